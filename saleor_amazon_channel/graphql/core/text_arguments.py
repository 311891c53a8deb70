"""The one validation path of every text argument: a middleware over every field of the schema.

Before any resolver runs, each string among its arguments (nested inputs and lists included, from
literals or variables) is checked with :func:`.core.text.is_refused_text`. A refused one never reaches
a resolver or a query: a mutation answers its payload's ``errors`` with ``INVALID`` on that field
(Saleor's shape), any other field a request error whose code is ``INVALID``.
"""

from collections.abc import Callable, Iterator

from graphene.utils.str_converters import to_camel_case
from graphql.execution.base import ResolveInfo

from saleor_amazon_channel.core import text
from saleor_amazon_channel.errors import DomainError, Problem
from saleor_amazon_channel.graphql.core.errors import errors_from_domain
from saleor_amazon_channel.graphql.core.request_errors import InvalidText
from saleor_amazon_channel.outcomes import Outcome

# Where a string sits in the arguments: names and list indexes.
Path = tuple[str | int, ...]

MESSAGE = "contains a control or invisible character (NUL, zero-width, bidi override, lone surrogate)."


def _refused(value: object, path: Path) -> Iterator[Path]:
    if isinstance(value, str):
        if text.is_refused_text(value):
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _refused(item, (*path, key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _refused(item, (*path, index))


def _field_name(path: Path) -> str:
    names = [part for part in path if isinstance(part, str)]
    return to_camel_case(names[-1]) if names else ""


def text_arguments_middleware(next: Callable[..., object], root: object, info: ResolveInfo, **args: object) -> object:
    if not args:  # most fields: nothing to look at
        return next(root, info, **args)
    refused = list(_refused(args, ()))
    if not refused:
        return next(root, info, **args)
    payload = getattr(info.return_type, "graphene_type", None)
    is_root_mutation = info.operation.operation == "mutation" and root is None
    if is_root_mutation and payload is not None and "errors" in payload._meta.fields:
        problems = [Problem(_field_name(path), Outcome.INVALID, f"{_field_name(path)} {MESSAGE}") for path in refused]
        return payload(errors=errors_from_domain(DomainError(problems)))
    where = ".".join(to_camel_case(str(part)) for part in refused[0])
    raise InvalidText(f"{where} {MESSAGE}")
