"""Types every domain's API shares: the error type and its codes."""

from typing import Protocol

import graphene

from saleor_amazon_channel.graphql.core.context import Info
from saleor_amazon_channel.outcomes import Outcome

# Derived from the one outcome vocabulary: member names are the schema's values, values what
# the resolvers return (lower case, Saleor's convention).
AmazonStoreErrorCode = graphene.Enum(
    "AmazonStoreErrorCode",
    [(o.name, o.value.lower()) for o in Outcome if o.is_graphql_code],
    description="Error codes of the Amazon store API.",
)

class AmazonStoreError(graphene.ObjectType):
    field = graphene.String(description="The input field the error is about; null for the whole input.")
    message = graphene.String(description="What is wrong, for a person.")
    code = AmazonStoreErrorCode(required=True, description="The error code.")


class _FailedRun(Protocol):
    last_error_code: str
    last_error_message: str


class RunErrorResolvers:
    """``lastErrorCode`` and ``lastError`` of a domain's run (a catalog match, a listings sync): its empty
    columns read as null. A mixin before ``graphene.ObjectType``: graphene finds resolvers along the MRO."""

    @staticmethod
    def resolve_last_error_code(root: _FailedRun, info: Info) -> str | None:
        return root.last_error_code or None

    @staticmethod
    def resolve_last_error(root: _FailedRun, info: Info) -> str | None:
        return root.last_error_message or None
