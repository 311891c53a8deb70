"""The one pagination of the API: every list is a Relay connection with offset cursors, as
graphql-relay (which Saleor ships) spells them, read in two queries (the count and the page).

Every argument is checked against what the resolver can use before any query runs: the page
size against the list's maximum, each cursor against the cursors this module issues (base64 of
``arrayconnection:<offset>``, the offset at most :data:`MAX_OFFSET`). The two queries run under
a statement timeout (PostgreSQL), so no filter or offset holds the database longer than it.
"""

import base64
import binascii
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import Any

import graphene
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Model, QuerySet
from graphql_relay.connection.arrayconnection import PREFIX, connection_from_list_slice

from saleor_amazon_channel.graphql.core.request_errors import InvalidArgument, InvalidCursor, QueryTimeout

MAX_PAGE_SIZE = 100
# Offsets a cursor may hold: nine digits, far beyond any list of the plugin, well inside what
# PostgreSQL's OFFSET and Python's slicing accept (an offset of 2^63 was an internal error).
MAX_OFFSET = 999_999_999
MAX_CURSOR_LENGTH = 64
STATEMENT_TIMEOUT_SETTING = "AMAZON_CHANNEL_GRAPHQL_STATEMENT_TIMEOUT"
# Milliseconds each query of a list may take; 0 disables.
DEFAULT_STATEMENT_TIMEOUT = 2000


def cursor_offset(cursor: object) -> int:
    """The offset a cursor we issued stands for; :class:`InvalidCursor` for anything else."""
    if not isinstance(cursor, str) or len(cursor) > MAX_CURSOR_LENGTH:
        raise InvalidCursor("This is not a cursor of this list.")
    try:
        decoded = base64.b64decode(cursor.encode("ascii"), validate=True).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        raise InvalidCursor("This is not a cursor of this list.") from None
    prefix, _, digits = decoded.partition(":")
    if prefix + ":" != PREFIX or not (digits.isascii() and digits.isdigit()) or int(digits) > MAX_OFFSET:
        raise InvalidCursor("This is not a cursor of this list.")
    return int(digits)


def check_page_args(args: Mapping[str, Any], max_page_size: int = MAX_PAGE_SIZE) -> None:
    """``first``/``last`` within 0..max (one of them given), cursors ours: before any query."""
    for key in ("first", "last"):
        value = args.get(key)
        if value is not None and not 0 <= value <= max_page_size:
            raise InvalidArgument(f"'{key}' must be between 0 and {max_page_size}.")
    if args.get("first") is None and args.get("last") is None:
        raise InvalidArgument(f"You must provide a 'first' or 'last' value (at most {max_page_size}).")
    for key in ("before", "after"):
        if args.get(key) is not None:
            cursor_offset(args[key])


def _window(args: Mapping[str, Any], total: int) -> tuple[int, int]:
    """The rows [start, end) the arguments select, as graphql-relay computes them."""
    start = cursor_offset(args["after"]) + 1 if args.get("after") is not None else 0
    end = min(cursor_offset(args["before"]), total) if args.get("before") is not None else total
    start = min(start, total)
    if args.get("first") is not None:
        end = min(end, start + args["first"])
    if args.get("last") is not None:
        start = max(start, end - args["last"])
    return start, max(start, end)


def statement_timeout_ms() -> int:
    return int(getattr(settings, STATEMENT_TIMEOUT_SETTING, DEFAULT_STATEMENT_TIMEOUT))


class _Bounded:
    """Run queries under PostgreSQL's statement_timeout (SET LOCAL); elsewhere unbounded.

    Outside a transaction it opens one, and its end drops the setting. Inside one (a savepoint),
    a rollback to the savepoint undoes the setting but a release keeps it: the previous value is
    put back on the way out.
    """

    def __init__(self) -> None:
        self.timeout = statement_timeout_ms() if connection.vendor == "postgresql" else 0
        self.atomic = transaction.atomic()
        self.previous: str | None = None

    def __enter__(self) -> "_Bounded":
        if self.timeout:
            nested = connection.in_atomic_block
            self.atomic.__enter__()
            with connection.cursor() as cursor:
                if nested:
                    cursor.execute(
                        "SELECT current_setting('statement_timeout'), set_config('statement_timeout', %s, true)",
                        [f"{self.timeout}ms"],
                    )
                    self.previous = cursor.fetchone()[0]
                else:
                    cursor.execute("SELECT set_config('statement_timeout', %s, true)", [f"{self.timeout}ms"])
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if not self.timeout:
            return
        if kind is None and self.previous is not None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [self.previous])
        self.atomic.__exit__(kind, error, traceback)
        if isinstance(error, DatabaseError) and "statement timeout" in str(error):
            raise QueryTimeout(
                f"The list took longer than {self.timeout} ms to read: narrow the filter or page closer "
                "to the start."
            ) from None


def sharing[M: Model](**shared: object) -> Callable[[list[M]], list[M]]:
    """A ``prepare`` for :func:`paginate`: every row of the page gets these objects, already read (the
    store a list belongs to), so no row queries for them."""

    def attach(rows: list[M]) -> list[M]:
        for row in rows:
            for name, value in shared.items():
                setattr(row, name, value)
        return rows

    return attach


def paginate[M: Model](
    queryset: QuerySet[M],
    args: Mapping[str, Any],
    connection_type: type[graphene.relay.Connection],
    *,
    max_page_size: int = MAX_PAGE_SIZE,
    prepare: Callable[[list[M]], Iterable[M]] | None = None,
) -> graphene.relay.Connection:
    """A page of ``queryset`` as ``connection_type`` (with ``total_count``): two queries, bounded in time.

    ``prepare`` may complete the page's rows in bulk (attach a shared object) before they become edges.
    """
    check_page_args(args, max_page_size)
    with _Bounded():
        total = queryset.count()
        start, end = _window(args, total)
        rows = list(queryset[start:end]) if end > start else []
    if prepare is not None:
        rows = list(prepare(rows))
    page = connection_from_list_slice(
        rows,
        {key: args.get(key) for key in ("first", "last", "before", "after")},
        slice_start=start,
        list_length=total,
        list_slice_length=len(rows),
        connection_type=connection_type,
        edge_type=connection_type.Edge,
        pageinfo_type=graphene.relay.PageInfo,
    )
    page.total_count = total
    return page
