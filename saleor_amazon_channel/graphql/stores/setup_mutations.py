"""The setup page: what to register with Amazon, and the tasks the merchant ticks."""

import graphene

from saleor_amazon_channel.core import urls
from saleor_amazon_channel.core.host import MANAGE_CHANNELS
from saleor_amazon_channel.graphql.core.context import GraphQLContext, Info, require_permission
from saleor_amazon_channel.graphql.core.types import AmazonStoreError
from saleor_amazon_channel.graphql.stores.types import AmazonChannelSetup, AmazonSetupTaskKey
from saleor_amazon_channel.stores import setup_tasks


def channel_setup(context: GraphQLContext) -> AmazonChannelSetup:
    config = context.config
    return AmazonChannelSetup(
        is_configured=config.is_complete,
        missing_configuration=config.missing,
        redirect_uri=urls.redirect_uri(),
        login_uri=urls.login_uri(),
        draft_app=config.draft_app,
    )


class AmazonChannelSetupTaskUpdate(graphene.Mutation):
    setup = graphene.Field(AmazonChannelSetup, description="The setup page's data, with the task updated.")
    errors = graphene.List(graphene.NonNull(AmazonStoreError), required=True)

    class Arguments:
        key = AmazonSetupTaskKey(required=True, description="The task.")
        done = graphene.Boolean(required=True, description="Ticked (true) or not (false).")

    class Meta:
        description = (
            "Tick (or untick) a pre-configuration task only the merchant can confirm; shared by the whole staff. "
            "Requires MANAGE_CHANNELS."
        )

    @classmethod
    def mutate(cls, root: object, info: Info, key: str, done: bool) -> "AmazonChannelSetupTaskUpdate":
        require_permission(info, MANAGE_CHANNELS)
        # The enum argument already refused unknown keys (a GraphQL error, nothing written).
        setup_tasks.set_done(key, done, info.context.requestor)
        return cls(setup=channel_setup(info.context), errors=[])
