"""Domain errors as the GraphQL API spells them: the one place that maps the domain's
field names to the schema's camelCase arguments and outcomes to ``AmazonStoreErrorCode``."""

from graphene.utils.str_converters import to_camel_case

from saleor_amazon_channel.errors import DomainError, refusal
from saleor_amazon_channel.graphql.core.types import AmazonStoreError
from saleor_amazon_channel.outcomes import Outcome

# Domain names whose GraphQL argument is not simply their camelCase.
_ARGUMENTS = {"store": "id"}


def graphql_field(field: str | None) -> str | None:
    if field is None:
        return None
    return _ARGUMENTS.get(field) or to_camel_case(field)


def graphql_code(outcome: Outcome) -> str:
    """The ``AmazonStoreErrorCode`` value of an outcome (INVALID for one that is no API code)."""
    return (outcome if outcome.is_graphql_code else Outcome.INVALID).value.lower()


# Why a domain refuses to start a run (catalog.planning.StartRefused, listings.sync.StartRefused):
# the reasons both spell alike, as API codes.
START_REFUSAL_CODES = {
    "no_channel": Outcome.INVALID,
    "not_connected": Outcome.NOT_CONNECTED,
    "authorization_revoked": Outcome.AUTHORIZATION_REVOKED,
    "plugin_not_configured": Outcome.PLUGIN_NOT_CONFIGURED,
}


def start_refusal(reason: str, message: str, field: str = "store_id") -> DomainError:
    """A run that could not start, as the field error of the store argument that named it."""
    return refusal(field, message, START_REFUSAL_CODES[reason])


def errors_from_domain(error: DomainError) -> list[AmazonStoreError]:
    return [
        AmazonStoreError(field=graphql_field(problem.field), message=problem.message, code=graphql_code(problem.code))
        for problem in error.problems
    ]
