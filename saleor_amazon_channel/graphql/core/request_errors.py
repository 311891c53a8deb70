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
