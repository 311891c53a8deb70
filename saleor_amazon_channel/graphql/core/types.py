"""Types every domain's API shares: the error type and its codes."""

import graphene

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
