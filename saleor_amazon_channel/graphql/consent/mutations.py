"""Connecting a store to Amazon: start the consent, disconnect, check on demand, and the
authorization requests Amazon sends through the Log-in URI."""

import graphene

from saleor_amazon_channel.consent import connections
from saleor_amazon_channel.consent import service as oauth
from saleor_amazon_channel.consent.state import BadSignedValue
from saleor_amazon_channel.core import marketplaces
from saleor_amazon_channel.core.host import MANAGE_CHANNELS
from saleor_amazon_channel.errors import DomainError, refusal
from saleor_amazon_channel.graphql.core.context import Info, permission_required
from saleor_amazon_channel.graphql.core.errors import errors_from_domain
from saleor_amazon_channel.graphql.core.types import AmazonStoreError
from saleor_amazon_channel.graphql.stores.mutations import AmazonStoreByIdMutation
from saleor_amazon_channel.graphql.stores.types import AmazonMarketplace, AmazonStore
from saleor_amazon_channel.monitoring import connection_check
from saleor_amazon_channel.outcomes import Outcome
from saleor_amazon_channel.stores.models import AmazonStore as AmazonStoreModel

AUTHORIZATION_FIELD = "amazon_authorization"


def read_authorization_or_error(ticket: object) -> dict[str, str]:
    """The Amazon parameters of a Log-in URI ticket, or a field error with its code."""
    try:
        return oauth.read_amazon_authorization(ticket)
    except BadSignedValue as bad:
        message = (
            "Amazon's authorization request expired. Start it again from Seller Central."
            if bad.reason is Outcome.STATE_EXPIRED
            else "This is not an authorization request from Amazon."
        )
        raise refusal(AUTHORIZATION_FIELD, message, bad.reason) from None


class AmazonStoreConnect(AmazonStoreByIdMutation):
    consent_url = graphene.String(
        description="Open it in a new browser tab right away (valid 2 minutes, once): it ties the consent to that "
        "browser and leads the seller to Seller Central (or, with amazonAuthorization, back to Amazon)."
    )

    class Arguments:
        id = graphene.ID(required=True)
        amazon_authorization = graphene.String(
            description="The authorization request Amazon sent through the Log-in URI (the extension receives it as "
            "?amazonAuthorization=): the consent then returns to Amazon for that seller."
        )

    class Meta:
        description = (
            "Start connecting the store to Amazon Seller Central (or renewing its authorization), as the "
            "requesting user. Requires MANAGE_CHANNELS."
        )

    @classmethod
    def perform_on_store(
        cls, info: Info, store: AmazonStoreModel, amazon_authorization: str | None = None
    ) -> "AmazonStoreConnect":
        config = info.context.config
        if not config.is_complete:
            raise refusal(None, Outcome.PLUGIN_NOT_CONFIGURED.message, Outcome.PLUGIN_NOT_CONFIGURED)
        amazon = None
        if amazon_authorization is not None:
            amazon = read_authorization_or_error(amazon_authorization)
            reason = connections.precheck(store, amazon["sp"])
            if reason is not None:
                raise refusal(AUTHORIZATION_FIELD, reason.message, reason)
        pending = connections.start_connection(store, info.context.requestor,
                                               expected_seller=amazon["sp"] if amazon else "")
        return cls(consent_url=oauth.consent_url(pending, amazon), amazon_store=store, errors=[])


class AmazonAuthorizationRequest(graphene.ObjectType):
    selling_partner_id = graphene.String(description="The seller Amazon asks to authorize for.")
    stores = graphene.List(
        graphene.NonNull(AmazonStore), required=True,
        description="The stores already connected to this seller: the authorization renews them.",
    )
    marketplace = graphene.Field(
        AmazonMarketplace, description="The marketplace Amazon's Seller Central address points to, when it names one."
    )
    errors = graphene.List(graphene.NonNull(AmazonStoreError), required=True)


def _marketplace_of(callback: str) -> marketplaces.Marketplace | None:
    from urllib.parse import urlsplit

    host = urlsplit(callback).netloc.lower()
    found = [m for m in marketplaces.MARKETPLACES
             if host in (urlsplit(m.seller_central_url).netloc.lower(),
                         "sellercentral." + m.domain.lower().removeprefix("www."))]
    # The unified European host serves several countries: no guess then.
    return found[0] if len(found) == 1 and found[0].seller_central_url != marketplaces.EU_SELLER_CENTRAL else None


class AuthorizationQueries(graphene.ObjectType):
    amazon_authorization_request = graphene.Field(
        AmazonAuthorizationRequest,
        required=True,
        authorization=graphene.String(required=True),
        description="What an authorization request from Amazon (Log-in URI) is about. Changes nothing. "
        "Requires MANAGE_CHANNELS.",
    )

    @staticmethod
    @permission_required(MANAGE_CHANNELS)
    def resolve_amazon_authorization_request(
        root: object, info: Info, authorization: str
    ) -> AmazonAuthorizationRequest:
        try:
            amazon = read_authorization_or_error(authorization)
        except DomainError as error:
            return AmazonAuthorizationRequest(stores=[], errors=errors_from_domain(error))
        stores = list(
            AmazonStoreModel.objects.select_related("channel", "authorization")
            .filter(authorization__selling_partner_id=amazon["sp"])
            .order_by("name", "pk")
        )
        return AmazonAuthorizationRequest(
            selling_partner_id=amazon["sp"], stores=stores, marketplace=_marketplace_of(amazon["cb"]), errors=[]
        )


class AmazonStoreDisconnect(AmazonStoreByIdMutation):
    message = graphene.String(description="What to do in Seller Central as well.")

    class Meta:
        description = (
            "Unlink the store from its Amazon seller; the stored authorization is deleted when no other store "
            "uses it. Requires MANAGE_CHANNELS."
        )

    act = staticmethod(connections.disconnect)

    @classmethod
    def payload(cls, store: AmazonStoreModel) -> "AmazonStoreDisconnect":
        return cls(amazon_store=store, message=connections.REVOKE_HINT, errors=[])


class AmazonStoreCheckConnection(AmazonStoreByIdMutation):
    class Meta:
        description = (
            "Check the store's Amazon connection now: refresh an access token and re-read the seller's "
            "marketplaces. Requires MANAGE_CHANNELS."
        )

    @classmethod
    def perform_on_store(cls, info: Info, store: AmazonStoreModel) -> "AmazonStoreCheckConnection":
        store, problem = connection_check.check_connection(store, info.context.config, info.context.requestor)
        return cls(amazon_store=store, errors=errors_from_domain(problem) if problem is not None else [])
