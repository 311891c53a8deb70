"""A rule's conditions: a tree of all / any groups over what Saleor knows of a variant, like Saleor's
``where`` filters. Stored as JSON, checked by :func:`clean`, compiled once per batch by :func:`compile_tree`.

    node  := {"all": [node, ...]} | {"any": [node, ...]} | leaf        ({} or {"all": []}: every variant)
    leaf  := {"productType" | "category" | "collection": {"oneOf" | "noneOf": [host pk, ...]}}
           | {"attribute": {"slug": "color", "oneOf" | "noneOf": ["red", ...]}}      (value slugs)
           | {"published": true | false} | {"availableForPurchase": true | false}   (in the store's channel)
           | {"price": {"gte": "10.00", "lte": "99.99"}}                             (the channel price)
           | {"stock": {"gte": 1, "lte": 100}}                                       (what Saleor can sell)

``category`` includes subcategories. A variant that does not track inventory has unlimited stock.
"""

import json
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from saleor_amazon_channel.core.host import OfferVariant, VariantFacts

MAX_DEPTH = 6
MAX_NODES = 200
MAX_VALUES = 500
ID_KINDS = ("productType", "category", "collection")
FLAG_KINDS = ("published", "availableForPurchase")
RANGE_KINDS = ("price", "stock")
KINDS = (*ID_KINDS, "attribute", *FLAG_KINDS, *RANGE_KINDS)
FACT_KINDS = frozenset((*ID_KINDS, "attribute", *FLAG_KINDS))
EMPTY_FACTS = VariantFacts(0, 0, 0, (), (), frozenset(), False, False)


class InvalidConditions(ValueError):
    """The tree is not valid; ``path`` says where (``all.1.category``)."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class Subject(NamedTuple):
    variant: OfferVariant
    facts: VariantFacts


# Returns None when the subject meets the condition, else the leaf it fails (as stored).
Check = Callable[[Subject], dict[str, Any] | None]


def clean(tree: Any) -> dict[str, Any]:
    """The tree in its canonical form (ids as ints, amounts as strings, duplicates removed); raises
    :class:`InvalidConditions`."""
    if tree is None or tree == {}:
        return {}
    counter = [0]
    cleaned = _clean(tree, "", 1, counter)
    return cleaned


def _clean(node: Any, path: str, depth: int, counter: list[int]) -> dict[str, Any]:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise InvalidConditions(path, f"at most {MAX_NODES} conditions.")
    if depth > MAX_DEPTH:
        raise InvalidConditions(path, f"groups nest at most {MAX_DEPTH} deep.")
    if not isinstance(node, dict) or len(node) != 1:
        raise InvalidConditions(path, "each condition has exactly one kind.")
    ((kind, value),) = node.items()
    here = f"{path}.{kind}" if path else kind
    if kind in ("all", "any"):
        if not isinstance(value, list):
            raise InvalidConditions(here, "a group is a list of conditions.")
        return {kind: [_clean(child, f"{here}.{i}", depth + 1, counter) for i, child in enumerate(value)]}
    if kind in ID_KINDS:
        operator, values = _listed(value, here)
        ids = []
        for item in values:
            if isinstance(item, bool) or not isinstance(item, int | str) or not str(item).isdigit():
                raise InvalidConditions(here, "ids are positive integers.")
            ids.append(int(item))
        return {kind: {operator: sorted(set(ids))}}
    if kind == "attribute":
        if not isinstance(value, dict) or not isinstance(value.get("slug"), str) or not value["slug"].strip():
            raise InvalidConditions(here, "an attribute condition names the attribute's slug.")
        operator, values = _listed({k: v for k, v in value.items() if k != "slug"}, here)
        if not all(isinstance(item, str) and item for item in values):
            raise InvalidConditions(here, "attribute values are value slugs.")
        return {kind: {"slug": value["slug"].strip(), operator: sorted(set(values))}}
    if kind in FLAG_KINDS:
        if not isinstance(value, bool):
            raise InvalidConditions(here, "true or false.")
        return {kind: value}
    if kind in RANGE_KINDS:
        if not isinstance(value, dict) or not value or set(value) - {"gte", "lte"}:
            raise InvalidConditions(here, "a range has gte and/or lte.")
        bounds: dict[str, Any] = {}
        for name in ("gte", "lte"):
            if value.get(name) is None:
                continue
            bounds[name] = _amount(value[name], here) if kind == "price" else _count(value[name], here)
        if not bounds:
            raise InvalidConditions(here, "a range has gte and/or lte.")
        if "gte" in bounds and "lte" in bounds and Decimal(bounds["gte"]) > Decimal(bounds["lte"]):
            raise InvalidConditions(here, "gte is above lte.")
        return {kind: bounds}
    raise InvalidConditions(here, "unknown condition; one of all, any, " + ", ".join(KINDS) + ".")


def _listed(value: Any, path: str) -> tuple[str, list[Any]]:
    if not isinstance(value, dict) or len(value) != 1 or next(iter(value)) not in ("oneOf", "noneOf"):
        raise InvalidConditions(path, "oneOf or noneOf, with a list.")
    ((operator, values),) = value.items()
    if not isinstance(values, list) or not values:
        raise InvalidConditions(path, "the list is empty.")
    if len(values) > MAX_VALUES:
        raise InvalidConditions(path, f"at most {MAX_VALUES} values.")
    return operator, values


def _amount(value: Any, path: str) -> str:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidConditions(path, "amounts are decimal numbers.") from None
    if not amount.is_finite() or amount < 0 or amount > Decimal("1e9"):
        raise InvalidConditions(path, "amounts are between 0 and 1,000,000,000.")
    return str(amount)


def _count(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not -(10**9) < value < 10**9:
        raise InvalidConditions(path, "stock bounds are whole numbers.")
    return value


def needs_facts(tree: dict[str, Any]) -> bool:
    """True when the tree tests anything beyond price and stock (the host's variant facts are read)."""
    ((kind, value),) = tree.items() if tree else (("all", []),)
    if kind in ("all", "any"):
        return any(needs_facts(child) for child in value)
    return kind in FACT_KINDS


def ids_of(tree: dict[str, Any], kind: str) -> set[int]:
    """Every id the tree names for ``kind`` (productType, category, collection)."""
    if not tree:
        return set()
    ((name, value),) = tree.items()
    if name in ("all", "any"):
        return set().union(*(ids_of(child, kind) for child in value)) if value else set()
    if name == kind:
        return set(next(iter(value.values())))
    return set()


def describe(leaf: dict[str, Any]) -> str:
    """A leaf as stored, compact and stable: what a listing's note names."""
    return json.dumps(leaf, separators=(",", ":"), sort_keys=True)


def compile_tree(tree: dict[str, Any]) -> Check:
    """A function telling whether a subject meets ``tree`` (a cleaned tree), and which leaf it fails."""
    if not tree:
        return lambda subject: None
    ((kind, value),) = tree.items()
    if kind in ("all", "any"):
        checks = [compile_tree(child) for child in value]
        if kind == "all":
            def check_all(subject: Subject) -> dict[str, Any] | None:
                for check in checks:
                    failed = check(subject)
                    if failed is not None:
                        return failed
                return None
            return check_all
        if not checks:
            return lambda subject: None

        def check_any(subject: Subject) -> dict[str, Any] | None:
            failures = []
            for check in checks:
                failed = check(subject)
                if failed is None:
                    return None
                failures.append(failed)
            return failures[0] if len(failures) == 1 else {"any": failures}
        return check_any
    test = _leaf_test(kind, value)

    def check_leaf(subject: Subject) -> dict[str, Any] | None:
        return None if test(subject) else tree
    return check_leaf


def _leaf_test(kind: str, value: Any) -> Callable[[Subject], bool]:
    if kind in ID_KINDS or kind == "attribute":
        operator = "oneOf" if "oneOf" in value else "noneOf"
        wanted: frozenset[Any]
        if kind == "attribute":
            slug = value["slug"]
            wanted = frozenset((slug, item) for item in value[operator])
        else:
            wanted = frozenset(value[operator])
        read = _READERS[kind]
        if operator == "oneOf":
            return lambda subject: not wanted.isdisjoint(read(subject.facts))
        return lambda subject: wanted.isdisjoint(read(subject.facts))
    if kind == "published":
        return lambda subject: subject.facts.published is value
    if kind == "availableForPurchase":
        return lambda subject: subject.facts.available_for_purchase is value
    if kind == "price":
        low = Decimal(value["gte"]) if "gte" in value else None
        high = Decimal(value["lte"]) if "lte" in value else None

        def price_test(subject: Subject) -> bool:
            price = subject.variant.price
            if price is None:
                return False
            return (low is None or price >= low) and (high is None or price <= high)
        return price_test
    least: int | None = value.get("gte")
    most: int | None = value.get("lte")

    def stock_test(subject: Subject) -> bool:
        if not subject.variant.track_inventory:
            return most is None  # unlimited
        available = subject.variant.available
        return (least is None or available >= least) and (most is None or available <= most)
    return stock_test


_READERS: dict[str, Callable[[VariantFacts], Any]] = {
    "productType": lambda facts: (facts.product_type_id,),
    "category": lambda facts: facts.category_ids,
    "collection": lambda facts: facts.collection_ids,
    "attribute": lambda facts: facts.attribute_values,
}
