"""Request-level GraphQL errors with a code: ``extensions.exception.code`` names it.

Saleor's convention is the exception's class name; these carry it explicitly so a
client can tell an over-limit query from a bad cursor without reading messages.
"""

from graphql import GraphQLError


class RequestError(GraphQLError):
    code = "GraphQLError"

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        if code is not None:
            self.code = code


class QueryLimitError(RequestError):
    """The operation is refused before it runs: too deep, too wide, too costly."""


class InvalidArgument(RequestError):
    code = "InvalidArgument"


class InvalidCursor(RequestError):
    code = "InvalidCursor"


class QueryTimeout(RequestError):
    """A list's query ran past the statement timeout (a search or an offset too costly to read)."""

    code = "QueryTimeout"


class InvalidText(InvalidArgument):
    """A text argument holding a NUL, a lone surrogate, a control or a format character."""

    code = "INVALID"
