"""Limits every operation must fit before it is validated and run, as Saleor's API has them.

Three steps, cheapest first:

1. :func:`precheck` scans the text with regular expressions (no recursion) so the
   recursive parser never meets a document nested deeper than it can handle, nor
   spends its time on one far wider than the limits allow;
2. :func:`measure` walks the parsed document once, expanding fragments, and stops as
   soon as a limit is passed (a fragment bomb costs no more than the limit);
3. :func:`check` compares the measure with the limits, and refuses introspection to
   anonymous requests (the dashboard extension always sends a token).

Each limit is a Django setting; the defaults are in :data:`DEFAULTS` and the README.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from graphql.language import ast
from graphql.type.definition import GraphQLField, GraphQLNamedType, GraphQLObjectType
from graphql.type.scalars import coerce_int
from graphql.type.schema import GraphQLSchema

from saleor_amazon_channel.graphql.core.pagination import cursor_offset
from saleor_amazon_channel.graphql.core.request_errors import InvalidCursor, QueryLimitError

DEFAULTS = {
    # Field nesting; the standard introspection query needs 13, the dashboard's queries 5.
    "AMAZON_CHANNEL_GRAPHQL_MAX_DEPTH": 15,
    # Fields with an alias; the dashboard uses none.
    "AMAZON_CHANNEL_GRAPHQL_MAX_ALIASES": 20,
    # Fields of the operation after expanding fragments; the standard introspection query has 181.
    "AMAZON_CHANNEL_GRAPHQL_MAX_SELECTIONS": 500,
    # Saleor's GRAPHQL_QUERY_MAX_COMPLEXITY default. A field costs 1, times the page size of the lists above it.
    "AMAZON_CHANNEL_GRAPHQL_MAX_COST": 50_000,
    # Mutations that call Amazon synchronously: more than half the budget, so one per request.
    "AMAZON_CHANNEL_GRAPHQL_AMAZON_CALL_COST": 30_000,
    # __schema / __type selections per request; none at all without a token.
    "AMAZON_CHANNEL_GRAPHQL_MAX_INTROSPECTION_FIELDS": 1,
    "AMAZON_CHANNEL_GRAPHQL_ANONYMOUS_INTROSPECTION": False,
    # A text search over a large table (every catalog result of a store): a fifth of the budget, so a
    # request holds at most four, each also bounded by the lists' statement timeout.
    "AMAZON_CHANNEL_GRAPHQL_SEARCH_COST": 10_000,
}

# Raw bracket nesting ({ [ ( together) the parser is ever handed; far above what MAX_DEPTH allows.
MAX_TOKEN_NESTING = 64
# Fragments spreading fragments; guards the walk's own recursion.
MAX_FRAGMENT_NESTING = 16

AMAZON_CALLING_MUTATIONS = frozenset({"amazonStoreCheckConnection"})
INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})
# Page size assumed for a list whose size the query does not say.
DEFAULT_LIST_SIZE = 100
# The most each paginated list returns (what its resolver allows or clamps to): its cost's page size.
MAX_PAGE_SIZES = {"amazonStores": 100, "amazonCatalogMatches": 100, "events": 200}
# A cursor's offset is rows the database reads and drops: every 10 cost 1 (a last page of 100,000
# results costs about what a search over them does).
OFFSET_ROWS_PER_COST = 10
UNPAGINATED_LIST_SIZES = {"amazonMarketplaces": 25, "participations": 25, "missingConfiguration": 3, "tasks": 5}


def limit(name: str) -> int:
    return getattr(settings, name, DEFAULTS[name])


# Strings and comments, whose brackets and words are not syntax.
_NOT_SYNTAX = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*(?:"""|$)|"(?:[^"\\\n]|\\.)*"?|#[^\n]*')
_BRACKETS = re.compile(r"[{}\[\]()]")
_NAMES = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")
# Names a document may hold per selection allowed (fields, arguments, types, fragment names).
NAMES_PER_SELECTION = 4


def precheck(query: str) -> None:
    """Refuse, before the (recursive, pure-Python) parser runs, a document nested deeper than
    :data:`MAX_TOKEN_NESTING` or holding far more names than the selection limit allows.
    Regular expressions only: cheap even for the longest query accepted."""
    code = _NOT_SYNTAX.sub(" ", query)
    depth = deepest = 0
    for match in _BRACKETS.finditer(code):
        if match.group() in "{[(":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    if deepest > MAX_TOKEN_NESTING:
        raise QueryLimitError(
            f"The query is nested deeper than {limit('AMAZON_CHANNEL_GRAPHQL_MAX_DEPTH')} levels.", "QueryTooDeep"
        )
    max_selections = limit("AMAZON_CHANNEL_GRAPHQL_MAX_SELECTIONS")
    if sum(1 for _ in _NAMES.finditer(code)) > NAMES_PER_SELECTION * max_selections:
        raise QueryLimitError(f"The query selects more than {max_selections} fields.", "TooManySelections")


@dataclass
class Measure:
    depth: int = 0
    aliases: int = 0
    selections: int = 0
    cost: int = 0
    introspection: int = 0
    over: str | None = None  # the first limit passed; the walk stopped there


class _Walk:
    def __init__(
        self,
        document: ast.Document,
        variables: Mapping[str, object] | None,
        operation: ast.OperationDefinition,
        schema: GraphQLSchema | None = None,
    ):
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, ast.FragmentDefinition)
        }
        # The variables as execution will see them: given, else the operation's defaults.
        self.variables = dict(variables or {})
        for definition in operation.variable_definitions or ():
            name = definition.variable.name.value
            if name not in self.variables and definition.default_value is not None:
                self.variables[name] = _literal(definition.default_value)
        self.schema = schema
        self.measure = Measure()
        self.max_selections = limit("AMAZON_CHANNEL_GRAPHQL_MAX_SELECTIONS")
        self.max_depth = limit("AMAZON_CHANNEL_GRAPHQL_MAX_DEPTH")
        self.amazon_call_cost = limit("AMAZON_CHANNEL_GRAPHQL_AMAZON_CALL_COST")
        self.search_cost = limit("AMAZON_CHANNEL_GRAPHQL_SEARCH_COST")

    def selection_set(
        self,
        selection_set: ast.SelectionSet | None,
        depth: int,
        multiplier: int,
        spreads: tuple[str, ...],
        in_introspection: bool,
        parent: object = None,
    ) -> int:
        """Cost of ``selection_set`` at ``depth``; stops early once a limit is passed. ``parent``: the
        schema's type the selections are on, when known (for the arguments' defaults)."""
        cost = 0
        for selection in selection_set.selections if selection_set else ():
            if self.measure.over:
                return cost
            if isinstance(selection, ast.Field):
                cost += self.field(selection, depth, multiplier, spreads, in_introspection, parent)
            elif isinstance(selection, ast.InlineFragment):
                inline_parent = self.named_type(selection.type_condition) or parent
                cost += self.selection_set(
                    selection.selection_set, depth, multiplier, spreads, in_introspection, inline_parent
                )
            elif isinstance(selection, ast.FragmentSpread):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in spreads:
                    continue  # unknown or cyclic: validation reports it
                if len(spreads) >= MAX_FRAGMENT_NESTING:
                    self.measure.over = "fragments"
                    return cost
                cost += self.selection_set(
                    fragment.selection_set, depth, multiplier, spreads + (name,), in_introspection,
                    self.named_type(fragment.type_condition) or parent,
                )
        return cost

    def named_type(self, type_condition: ast.NamedType | None) -> GraphQLNamedType | None:
        if self.schema is None or type_condition is None:
            return None
        return self.schema.get_type(type_condition.name.value)

    def field_definition(self, parent: object, name: str) -> GraphQLField | None:
        """The field ``name`` of ``parent`` (a schema type; fields of object and interface types)."""
        fields = getattr(parent, "fields", None)
        found = fields.get(name) if isinstance(fields, dict) else None
        return found if isinstance(found, GraphQLField) else None

    def field(
        self,
        field: ast.Field,
        depth: int,
        multiplier: int,
        spreads: tuple[str, ...],
        in_introspection: bool,
        parent: object = None,
    ) -> int:
        measure = self.measure
        name = field.name.value
        measure.selections += 1
        measure.depth = max(measure.depth, depth)
        if field.alias is not None:
            measure.aliases += 1
        if measure.selections > self.max_selections:
            measure.over = "selections"
            return 0
        if depth > self.max_depth:
            measure.over = "depth"
            return 0
        if name in INTROSPECTION_FIELDS:
            measure.introspection += 1
            in_introspection = True
        own = self.amazon_call_cost if depth == 1 and name in AMAZON_CALLING_MUTATIONS else 1
        definition = None if in_introspection else self.field_definition(parent, name)
        if not in_introspection:
            if self.searches(field):
                own += self.search_cost
            own += self.offset(field) // OFFSET_ROWS_PER_COST
        cost = own * multiplier
        if field.selection_set is not None:
            # The schema's own description is finite: introspection lists do not multiply.
            child_multiplier = multiplier if in_introspection else multiplier * self.list_size(field, definition)
            child_parent: object = None
            if definition is not None:
                child_parent = definition.type
                while hasattr(child_parent, "of_type"):
                    child_parent = child_parent.of_type
            cost += self.selection_set(
                field.selection_set, depth + 1, child_multiplier, spreads, in_introspection, child_parent
            )
        return cost

    def list_size(self, field: ast.Field, definition: GraphQLField | None = None) -> int:
        """The page size the resolver will use: the arguments as execution coerces them (variables,
        their defaults, the schema's argument defaults), capped at what the list returns at most."""
        name = field.name.value
        maximum = MAX_PAGE_SIZES.get(name)
        arguments = {argument.name.value: argument.value for argument in field.arguments or ()}
        sizes = []
        for key in ("first", "last"):
            value = self.int_value(arguments[key]) if key in arguments else None
            if value is None and definition is not None and key in (definition.args or {}):
                value = _coerce_int(definition.args[key].default_value)
            if value is not None:
                sizes.append(value)
        if sizes:
            return max(1, min(max(sizes), maximum or DEFAULT_LIST_SIZE))
        if maximum is not None:
            return maximum
        return UNPAGINATED_LIST_SIZES.get(name, 1)

    def int_value(self, value: ast.Value) -> int | None:
        """An Int argument's value as graphene will hand it to the resolver (None when unknown)."""
        if isinstance(value, ast.IntValue):
            return _coerce_int(value.value)
        if isinstance(value, ast.Variable):
            return _coerce_int(self.variables.get(value.name.value))
        return None

    def offset(self, field: ast.Field) -> int:
        """The offset the field's ``after``/``before`` cursor stands for (0 when none or not ours)."""
        deepest = 0
        for argument in field.arguments or ():
            if argument.name.value not in ("after", "before"):
                continue
            value = argument.value
            raw = self.variables.get(value.name.value) if isinstance(value, ast.Variable) else getattr(
                value, "value", None
            )
            try:
                deepest = max(deepest, cursor_offset(raw)) if raw is not None else deepest
            except InvalidCursor:
                pass  # refused by the resolver before any query
        return deepest

    def searches(self, field: ast.Field) -> bool:
        """Whether the field's ``filter`` holds a non-empty ``search`` (literal or variable)."""
        for argument in field.arguments or ():
            if argument.name.value != "filter":
                continue
            value = argument.value
            if isinstance(value, ast.Variable):
                given = self.variables.get(value.name.value)
                return isinstance(given, dict) and bool(given.get("search"))
            if isinstance(value, ast.ObjectValue):
                for item in value.fields:
                    if item.name.value == "search":
                        search = item.value
                        if isinstance(search, ast.Variable):
                            return bool(self.variables.get(search.name.value))
                        return not (isinstance(search, ast.StringValue) and not search.value)
        return False


def _coerce_int(raw: object) -> int | None:
    """graphene's Int coercion ("200" and 200.0 are 200); None for what it would refuse."""
    if raw is None or isinstance(raw, bool):
        return None
    try:
        return coerce_int(raw)  # what GraphQLInt.parse_value is
    except Exception:  # graphql-core 2 raises bare Exceptions for out-of-range values
        return None


def _literal(value: ast.Value) -> object:
    """A default value's literal as plain Python (what the variables would hold)."""
    if isinstance(value, (ast.IntValue, ast.FloatValue, ast.StringValue, ast.EnumValue)):
        return value.value
    if isinstance(value, ast.BooleanValue):
        return value.value
    if isinstance(value, ast.ListValue):
        return [_literal(item) for item in value.values]
    if isinstance(value, ast.ObjectValue):
        return {item.name.value: _literal(item.value) for item in value.fields}
    return None


def measure(
    document: ast.Document,
    variables: Mapping[str, object] | None,
    operation_name: str | None = None,
    schema: GraphQLSchema | None = None,
) -> Measure:
    """The largest measure over the document's operations (or the named one). With the ``schema``,
    arguments left out are costed at their defaults."""
    worst = Measure()
    for definition in document.definitions:
        if not isinstance(definition, ast.OperationDefinition):
            continue
        if operation_name and (definition.name is None or definition.name.value != operation_name):
            continue
        walk = _Walk(document, variables, definition, schema)
        root: GraphQLObjectType | None = None
        if schema is not None:
            root = schema.get_mutation_type() if definition.operation == "mutation" else schema.get_query_type()
        cost = walk.selection_set(definition.selection_set, 1, 1, (), False, root)
        current = walk.measure
        worst = Measure(
            depth=max(worst.depth, current.depth),
            aliases=max(worst.aliases, current.aliases),
            selections=max(worst.selections, current.selections),
            cost=max(worst.cost, cost),
            introspection=max(worst.introspection, current.introspection),
            over=worst.over or current.over,
        )
        if worst.over:
            break
    return worst


def check(
    document: ast.Document,
    variables: Mapping[str, object] | None,
    operation_name: str | None,
    anonymous: bool,
    schema: GraphQLSchema | None = None,
) -> Measure:
    """Raise :class:`QueryLimitError` (with its code) for the first limit passed; return the measure."""
    found = measure(document, variables, operation_name, schema)
    max_depth = limit("AMAZON_CHANNEL_GRAPHQL_MAX_DEPTH")
    max_selections = limit("AMAZON_CHANNEL_GRAPHQL_MAX_SELECTIONS")
    if found.over == "depth" or found.over == "fragments" or found.depth > max_depth:
        raise QueryLimitError(f"The query is nested deeper than {max_depth} levels.", "QueryTooDeep")
    if found.over == "selections" or found.selections > max_selections:
        raise QueryLimitError(f"The query selects more than {max_selections} fields.", "TooManySelections")
    max_aliases = limit("AMAZON_CHANNEL_GRAPHQL_MAX_ALIASES")
    if found.aliases > max_aliases:
        raise QueryLimitError(f"The query uses more than {max_aliases} aliases.", "TooManyAliases")
    if found.introspection:
        if anonymous and not limit("AMAZON_CHANNEL_GRAPHQL_ANONYMOUS_INTROSPECTION"):
            raise QueryLimitError("Introspection needs a token.", "IntrospectionDisabled")
        max_introspection = limit("AMAZON_CHANNEL_GRAPHQL_MAX_INTROSPECTION_FIELDS")
        if found.introspection > max_introspection:
            raise QueryLimitError(
                f"A request may select __schema or __type at most {max_introspection} time(s).", "IntrospectionLimit"
            )
    max_cost = limit("AMAZON_CHANNEL_GRAPHQL_MAX_COST")
    if max_cost and found.cost > max_cost:
        raise QueryLimitError(
            f"The query costs {found.cost}, more than the maximum of {max_cost} "
            "(a mutation that calls Amazon costs "
            f"{limit('AMAZON_CHANNEL_GRAPHQL_AMAZON_CALL_COST')}, a search "
            f"{limit('AMAZON_CHANNEL_GRAPHQL_SEARCH_COST')}).",
            "QueryCostError",
        )
    return found
