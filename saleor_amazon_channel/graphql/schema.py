from collections.abc import Mapping
from typing import Any

import graphene
from django.db.models import Q, QuerySet

from saleor_amazon_channel.core import ids, marketplaces, text
from saleor_amazon_channel.core.host import MANAGE_CHANNELS
from saleor_amazon_channel.errors import DomainError
from saleor_amazon_channel.graphql.catalog.schema import (
    AmazonCatalogMatchCancel,
    AmazonCatalogMatchStart,
    CatalogQuery,
)
from saleor_amazon_channel.graphql.consent.mutations import (
    AmazonStoreCheckConnection,
    AmazonStoreConnect,
    AmazonStoreDisconnect,
    AuthorizationQueries,
)
from saleor_amazon_channel.graphql.core.context import Info, permission_required
from saleor_amazon_channel.graphql.core.pagination import MAX_PAGE_SIZE, paginate
from saleor_amazon_channel.graphql.core.request_errors import InvalidArgument
from saleor_amazon_channel.graphql.listings.schema import (
    AmazonListingsAssignAsin,
    AmazonListingsEnd,
    AmazonListingSettingsUpdate,
    AmazonListingsList,
    AmazonListingsOverrideClear,
    AmazonListingsOverrideSet,
    AmazonListingsRelist,
    AmazonListingSyncStart,
    ListingsQuery,
)
from saleor_amazon_channel.graphql.orders.schema import OrdersMutation, OrdersQuery
from saleor_amazon_channel.graphql.rules.schema import (
    AmazonListingRulesUpdate,
    AmazonPriceRuleCreate,
    AmazonPriceRuleDelete,
    AmazonPriceRulesReorder,
    AmazonPriceRuleUpdate,
    RulesQuery,
)
from saleor_amazon_channel.graphql.stores.mutations import (
    AmazonStoreCreate,
    AmazonStoreDelete,
    AmazonStoreUpdate,
    get_store_or_error,
)
from saleor_amazon_channel.graphql.stores.setup_mutations import AmazonChannelSetupTaskUpdate, channel_setup
from saleor_amazon_channel.graphql.stores.types import (
    AmazonChannelSetup,
    AmazonMarketplace,
    AmazonStore,
    AmazonStoreCountableConnection,
)
from saleor_amazon_channel.stores.models import AmazonStore as AmazonStoreModel


class AmazonStoreFilterInput(graphene.InputObjectType):
    channel = graphene.ID(description="Only stores selling from this Saleor channel.")
    marketplace = graphene.String(description="Only stores of this marketplace (country code or marketplace ID).")
    search = graphene.String(description="Matches the store name, contact e-mail or selling partner ID.")


MAX_SEARCH_LENGTH = 255


def filter_stores(queryset: QuerySet[AmazonStoreModel], filter: Mapping[str, Any] | None) -> QuerySet[AmazonStoreModel]:
    if not filter:
        return queryset
    if filter.get("channel"):
        pk = ids.decode(filter["channel"], "Channel")
        if pk is None:
            raise InvalidArgument("filter.channel is not a Saleor channel ID.")
        queryset = queryset.filter(channel_id=pk)
    if filter.get("marketplace"):
        marketplace = marketplaces.lookup(filter["marketplace"])
        if marketplace is None:
            raise InvalidArgument("filter.marketplace is not a known Amazon marketplace.")
        queryset = queryset.filter(marketplace_id=marketplace.id)
    raw_search = filter.get("search") or ""
    if len(raw_search) > MAX_SEARCH_LENGTH:
        raise InvalidArgument(f"filter.search is longer than {MAX_SEARCH_LENGTH} characters.")
    search = text.clean(raw_search)
    if search is None:
        raise InvalidArgument("filter.search contains control or invisible characters.")
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search)
            | Q(contact_email__icontains=search)
            | Q(authorization__selling_partner_id__iexact=search)
        )
    return queryset


class Query(AuthorizationQueries, CatalogQuery, ListingsQuery, OrdersQuery, RulesQuery, graphene.ObjectType):
    amazon_stores = graphene.ConnectionField(
        AmazonStoreCountableConnection,
        filter=AmazonStoreFilterInput(),
        description=f"Amazon stores, by name. Page size at most {MAX_PAGE_SIZE}. Requires MANAGE_CHANNELS.",
    )
    amazon_store = graphene.Field(
        AmazonStore, id=graphene.ID(required=True), description="One Amazon store. Requires MANAGE_CHANNELS."
    )
    amazon_marketplaces = graphene.List(
        graphene.NonNull(AmazonMarketplace), required=True, description="Every Amazon marketplace a store can sell to."
    )
    amazon_channel_setup = graphene.Field(
        AmazonChannelSetup,
        required=True,
        description="What the merchant registers with Amazon, and whether the plugin is configured.",
    )

    @staticmethod
    @permission_required(MANAGE_CHANNELS)
    def resolve_amazon_stores(
        root: object, info: Info, /, filter: Mapping[str, Any] | None = None, **args: Any
    ) -> graphene.relay.Connection:
        queryset = AmazonStoreModel.objects.select_related("channel", "authorization").order_by("name", "pk")
        return paginate(filter_stores(queryset, filter), args, AmazonStoreCountableConnection)

    @staticmethod
    @permission_required(MANAGE_CHANNELS)
    def resolve_amazon_store(root: object, info: Info, id: str) -> AmazonStoreModel | None:
        try:
            return get_store_or_error(id)
        except DomainError:
            return None

    @staticmethod
    @permission_required(MANAGE_CHANNELS)
    def resolve_amazon_marketplaces(root: object, info: Info) -> list[marketplaces.Marketplace]:
        return list(marketplaces.MARKETPLACES)

    @staticmethod
    @permission_required(MANAGE_CHANNELS)
    def resolve_amazon_channel_setup(root: object, info: Info) -> AmazonChannelSetup:
        return channel_setup(info.context)


class Mutation(OrdersMutation, graphene.ObjectType):
    amazon_store_create = AmazonStoreCreate.Field()
    amazon_store_update = AmazonStoreUpdate.Field()
    amazon_store_delete = AmazonStoreDelete.Field()
    amazon_store_connect = AmazonStoreConnect.Field()
    amazon_store_disconnect = AmazonStoreDisconnect.Field()
    amazon_store_check_connection = AmazonStoreCheckConnection.Field()
    amazon_channel_setup_task_update = AmazonChannelSetupTaskUpdate.Field()
    amazon_catalog_match_start = AmazonCatalogMatchStart.Field()
    amazon_catalog_match_cancel = AmazonCatalogMatchCancel.Field()
    amazon_listing_settings_update = AmazonListingSettingsUpdate.Field()
    amazon_listings_list = AmazonListingsList.Field()
    amazon_listings_end = AmazonListingsEnd.Field()
    amazon_listings_relist = AmazonListingsRelist.Field()
    amazon_listings_assign_asin = AmazonListingsAssignAsin.Field()
    amazon_listings_override_set = AmazonListingsOverrideSet.Field()
    amazon_listings_override_clear = AmazonListingsOverrideClear.Field()
    amazon_listing_sync_start = AmazonListingSyncStart.Field()
    amazon_listing_rules_update = AmazonListingRulesUpdate.Field()
    amazon_price_rule_create = AmazonPriceRuleCreate.Field()
    amazon_price_rule_update = AmazonPriceRuleUpdate.Field()
    amazon_price_rule_delete = AmazonPriceRuleDelete.Field()
    amazon_price_rules_reorder = AmazonPriceRulesReorder.Field()


schema = graphene.Schema(query=Query, mutation=Mutation, types=[AmazonStore])
