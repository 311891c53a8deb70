"""Connecting a store to Amazon: start the consent, disconnect, check on demand."""

import graphene

from .. import connections, oauth
from ..errors import AmazonStoreErrorCode, field_error
from .mutations import AmazonStoreMutation, errors_from_validation, get_store_or_error


class AmazonStoreConnect(AmazonStoreMutation):
    consent_url = graphene.String(
        description="Open in a new tab: it leads the seller to Amazon Seller Central's consent page. "
        "Valid for 10 minutes, once."
    )
    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = (
            "Start connecting the store to Amazon Seller Central (or renewing its authorization). "
            "Requires MANAGE_CHANNELS."
        )

    @classmethod
    def perform_mutation(cls, root, info, id):
        store = get_store_or_error(id)
        config = info.context.config
        if not config.is_complete:
            raise field_error(
                None,
                connections.MESSAGES[connections.Reason.PLUGIN_NOT_CONFIGURED],
                AmazonStoreErrorCode.PLUGIN_NOT_CONFIGURED,
            )
        pending = connections.start_connection(store, info.context.requestor)
        return cls(consent_url=oauth.consent_url(pending), amazon_store=store, errors=[])


class AmazonStoreDisconnect(AmazonStoreMutation):
    message = graphene.String(description="What to do in Seller Central as well.")

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = (
            "Unlink the store from its Amazon seller; the stored authorization is deleted when no other store "
            "uses it. Requires MANAGE_CHANNELS."
        )

    @classmethod
    def perform_mutation(cls, root, info, id):
        store = get_store_or_error(id)
        store = connections.disconnect(store, info.context.requestor)
        return cls(amazon_store=store, message=connections.REVOKE_HINT, errors=[])


class AmazonStoreCheckConnection(AmazonStoreMutation):
    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = (
            "Check the store's Amazon connection now: refresh an access token and re-read the seller's "
            "marketplaces. Requires MANAGE_CHANNELS."
        )

    @classmethod
    def perform_mutation(cls, root, info, id):
        store = get_store_or_error(id)
        store, problem = connections.check_connection(store, info.context.config, info.context.requestor)
        return cls(amazon_store=store, errors=errors_from_validation(problem) if problem is not None else [])
