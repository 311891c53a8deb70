"""The listings API: settings, listings page by page, merchant actions, sync start (MANAGE_CHANNELS)."""

import binascii
import uuid
from collections.abc import Mapping
from typing import Any

import graphene
from django.db.models import Q, QuerySet
from graphql_relay import from_global_id

from saleor_amazon_channel.core import ids, text
from saleor_amazon_channel.core.host import MANAGE_CHANNELS
from saleor_amazon_channel.errors import DomainError, refusal
from saleor_amazon_channel.graphql.core.context import Info, permission_required
from saleor_amazon_channel.graphql.core.errors import start_refusal
from saleor_amazon_channel.graphql.core.pagination import MAX_PAGE_SIZE, paginate, sharing
from saleor_amazon_channel.graphql.core.request_errors import InvalidArgument
from saleor_amazon_channel.graphql.listings.types import (
    AmazonListing,
    AmazonListingCountableConnection,
    AmazonListingSettings,
    AmazonListingState,
    AmazonListingSync,
)
from saleor_amazon_channel.graphql.stores.mutations import AmazonStoreMutation, get_store_or_error
from saleor_amazon_channel.listings import actions, sync
from saleor_amazon_channel.listings.models import Listing, ListingSettings
from saleor_amazon_channel.outcomes import Outcome
from saleor_amazon_channel.stores.models import AmazonStore as AmazonStoreModel

MAX_SEARCH = 255


class AmazonListingFilterInput(graphene.InputObjectType):
    state = graphene.List(graphene.NonNull(AmazonListingState), description="Only listings in these states.")
    search = graphene.String(description="Matches the name, the seller SKU or the ASIN.")
    has_override = graphene.Boolean(description="Only listings with (true) or without (false) an override.")


class AmazonListingSettingsInput(graphene.InputObjectType):
    auto_list = graphene.Boolean()
    handling_time = graphene.Int(description="1 to 30 days.")
    condition = graphene.String(description="Amazon condition code (new_new, used_like_new, ...).")
    condition_attribute = graphene.String(description="Read the condition from this Saleor attribute; \"\" to stop.")
    warehouses = graphene.List(graphene.NonNull(graphene.ID), description="Counted warehouses; [] for all.")
    out_of_stock_threshold = graphene.Int()
    max_quantity = graphene.Int(description="null: no maximum.")
    untracked_quantity = graphene.Int()
    import_third_party = graphene.Boolean()


class AmazonListingOverridesInput(graphene.InputObjectType):
    price = graphene.Decimal()
    quantity = graphene.Int()
    handling_time = graphene.Int()
    condition = graphene.String()


AmazonListingOverrideField = graphene.Enum(
    "AmazonListingOverrideField",
    [("PRICE", "price"), ("QUANTITY", "quantity"), ("HANDLING_TIME", "handling_time"), ("CONDITION", "condition")],
)


def filter_listings(queryset: QuerySet[Listing], filter: Mapping[str, Any] | None) -> QuerySet[Listing]:
    if not filter:
        return queryset
    if filter.get("state"):
        queryset = queryset.filter(state__in=list(filter["state"]))
    raw = filter.get("search") or ""
    if len(raw) > MAX_SEARCH:
        raise InvalidArgument(f"filter.search is longer than {MAX_SEARCH} characters.")
    search = text.clean(raw)
    if search is None:
        raise InvalidArgument("filter.search contains control or invisible characters.")
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(seller_sku__icontains=search)
                                   | Q(asin__iexact=search))
    if filter.get("has_override") is not None:
        overridden = (Q(override_price__isnull=False) | Q(override_quantity__isnull=False)
                      | Q(override_handling_time__isnull=False) | ~Q(override_condition=""))
        queryset = queryset.filter(overridden) if filter["has_override"] else queryset.exclude(overridden)
    return queryset


def settings_node(store: AmazonStoreModel) -> ListingSettings:
    stored = sync.listing_settings(store)
    stored.store = store
    return stored


class ListingsQuery(graphene.ObjectType):
    amazon_listings = graphene.Field(
        AmazonListingCountableConnection,
        store_id=graphene.ID(required=True),
        filter=AmazonListingFilterInput(),
        first=graphene.Int(description=f"At most {MAX_PAGE_SIZE}."),
        after=graphene.String(),
        description="The store's Amazon listings, by name. Requires MANAGE_CHANNELS.",
    )
    amazon_listing_settings = graphene.Field(
        AmazonListingSettings, store_id=graphene.ID(required=True),
        description="How the store lists on Amazon. Requires MANAGE_CHANNELS.",
    )
    amazon_listing = graphene.Field(
        AmazonListing, id=graphene.ID(required=True),
        description="One Amazon listing by its ID; null when no listing has it. Requires MANAGE_CHANNELS.",
    )

    @staticmethod
    @permission_required(MANAGE_CHANNELS)
    def resolve_amazon_listings(
        root: object,
        info: Info,
        store_id: str,
        filter: Mapping[str, Any] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> graphene.relay.Connection | None:
        try:
            store = get_store_or_error(store_id, field="store_id")
        except DomainError:
            return None
        queryset = Listing.objects.filter(store=store).order_by("name", "seller_sku", "pk")
        page: graphene.relay.Connection = paginate(
            filter_listings(queryset, filter), {"first": first, "after": after}, AmazonListingCountableConnection,
            prepare=sharing(store=store),
        )
        return page

    @staticmethod
    @permission_required(MANAGE_CHANNELS)
    def resolve_amazon_listing(root: object, info: Info, id: str) -> Listing | None:
        # Any ID that does not name an existing listing (forged, of another type, malformed) reads as null,
        # like a listing that was never there.
        pk = ids.decode(id, "AmazonListing")
        if pk is None:
            return None
        return Listing.objects.select_related("store").filter(pk=pk).first()

    @staticmethod
    @permission_required(MANAGE_CHANNELS)
    def resolve_amazon_listing_settings(root: object, info: Info, store_id: str) -> ListingSettings | None:
        try:
            return settings_node(get_store_or_error(store_id, field="store_id"))
        except DomainError:
            return None


class AmazonListingSettingsUpdate(AmazonStoreMutation):
    listing_settings = graphene.Field(AmazonListingSettings)

    class Arguments:
        store_id = graphene.ID(required=True)
        input = AmazonListingSettingsInput(required=True)

    class Meta:
        description = "Change how the store lists on Amazon; listings are recomputed. Requires MANAGE_CHANNELS."

    @classmethod
    def perform_mutation(
        cls, root: object, info: Info, store_id: str, input: Mapping[str, Any]
    ) -> "AmazonListingSettingsUpdate":
        store = get_store_or_error(store_id, field="store_id")
        data = dict(input)
        if "warehouses" in data:
            warehouses = data.pop("warehouses")
            if warehouses is not None:
                decoded = [_warehouse_id(w) for w in warehouses]
                if any(w is None for w in decoded):
                    raise refusal("warehouses", "These are not Saleor warehouse IDs.", Outcome.INVALID)
                data["warehouse_ids"] = decoded
        actions.update_settings(store, data)
        return cls(amazon_store=store, listing_settings=settings_node(store), errors=[])


def _warehouse_id(global_id: object) -> str | None:
    """Saleor's warehouse primary key (a UUID) behind a Warehouse global ID; None for anything else."""
    if not isinstance(global_id, str) or len(global_id) > 200:
        return None
    try:
        kind, pk = from_global_id(global_id)
        return str(uuid.UUID(pk)) if kind == "Warehouse" else None
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        return None


class AmazonListingsMutation(AmazonStoreMutation):
    """A bulk action on listings of one store, by listing IDs."""

    class Meta:
        abstract = True

    listings = graphene.List(graphene.NonNull(AmazonListing), required=True)

    @classmethod
    def mutate(cls, root: object, info: Info, **data: Any) -> "AmazonListingsMutation":
        result = super().mutate(root, info, **data)
        if result.listings is None:  # refused: no listing changed
            result.listings = []
        return result

    @classmethod
    def listing_ids(cls, global_ids: list[str] | None) -> list[int]:
        decoded = [ids.decode(value, "AmazonListing") for value in global_ids or []]
        pks = [pk for pk in decoded if pk is not None]
        if len(pks) != len(decoded):
            raise refusal("ids", "These are not Amazon listing IDs.", Outcome.INVALID)
        return pks

    @classmethod
    def answer(cls, store: AmazonStoreModel, listings: list[Listing]) -> "AmazonListingsMutation":
        for listing in listings:
            listing.store = store
        return cls(amazon_store=store, listings=sorted(listings, key=lambda x: x.pk), errors=[])


class AmazonListingsList(AmazonListingsMutation):
    class Arguments:
        store_id = graphene.ID(required=True)
        ids = graphene.List(graphene.NonNull(graphene.ID), required=True)

    class Meta:
        description = "Publish listings held in Ready to list. Requires MANAGE_CHANNELS."

    @classmethod
    def perform_mutation(cls, root: object, info: Info, store_id: str, ids: list[str]) -> "AmazonListingsMutation":
        store = get_store_or_error(store_id, field="store_id")
        return cls.answer(store, actions.list_listings(store, cls.listing_ids(ids)))


class AmazonListingsEnd(AmazonListingsList):
    class Meta:
        description = "End offers on Amazon (deleted there; relist to publish again). Requires MANAGE_CHANNELS."

    @classmethod
    def perform_mutation(cls, root: object, info: Info, store_id: str, ids: list[str]) -> "AmazonListingsMutation":
        store = get_store_or_error(store_id, field="store_id")
        return cls.answer(store, actions.end_listings(store, cls.listing_ids(ids)))


class AmazonListingsRelist(AmazonListingsList):
    class Meta:
        description = "Publish ended offers again. Requires MANAGE_CHANNELS."

    @classmethod
    def perform_mutation(cls, root: object, info: Info, store_id: str, ids: list[str]) -> "AmazonListingsMutation":
        store = get_store_or_error(store_id, field="store_id")
        return cls.answer(store, actions.relist_listings(store, cls.listing_ids(ids)))


class AmazonListingsAssignAsin(AmazonListingsMutation):
    class Arguments:
        store_id = graphene.ID(required=True)
        ids = graphene.List(graphene.NonNull(graphene.ID), required=True)
        asin = graphene.String(required=True)

    class Meta:
        description = "Choose the Amazon item (ASIN) the offers go on, e.g. for a multiple match. Requires " \
                      "MANAGE_CHANNELS."

    @classmethod
    def perform_mutation(
        cls, root: object, info: Info, store_id: str, ids: list[str], asin: str
    ) -> "AmazonListingsMutation":
        store = get_store_or_error(store_id, field="store_id")
        return cls.answer(store, actions.assign_asin(store, cls.listing_ids(ids), asin))


class AmazonListingsOverrideSet(AmazonListingsMutation):
    class Arguments:
        store_id = graphene.ID(required=True)
        ids = graphene.List(graphene.NonNull(graphene.ID), required=True)
        input = AmazonListingOverridesInput(required=True)

    class Meta:
        description = "Override price, quantity, handling time or condition: they win over settings and rules " \
                      "(quantity never above what Saleor can sell). Requires MANAGE_CHANNELS."

    @classmethod
    def perform_mutation(
        cls, root: object, info: Info, store_id: str, ids: list[str], input: Mapping[str, Any]
    ) -> "AmazonListingsMutation":
        store = get_store_or_error(store_id, field="store_id")
        return cls.answer(store, actions.set_overrides(store, cls.listing_ids(ids), dict(input)))


class AmazonListingsOverrideClear(AmazonListingsMutation):
    class Arguments:
        store_id = graphene.ID(required=True)
        ids = graphene.List(graphene.NonNull(graphene.ID), required=True)
        fields = graphene.List(graphene.NonNull(AmazonListingOverrideField), description="Default: all.")

    class Meta:
        description = "Remove overrides. Requires MANAGE_CHANNELS."

    @classmethod
    def perform_mutation(
        cls, root: object, info: Info, store_id: str, ids: list[str], fields: list[str] | None = None
    ) -> "AmazonListingsMutation":
        store = get_store_or_error(store_id, field="store_id")
        return cls.answer(store, actions.clear_overrides(store, cls.listing_ids(ids), fields))


class AmazonListingSyncStart(AmazonStoreMutation):
    listing_sync = graphene.Field(AmazonListingSync, description="The new run, or the one already running.")

    class Arguments:
        store_id = graphene.ID(required=True)

    class Meta:
        description = "Send the store's offers to Amazon now (the first run also reads the seller's existing " \
                      "offers). Returns the running sync instead when one is on. Requires MANAGE_CHANNELS."

    @classmethod
    def perform_mutation(cls, root: object, info: Info, store_id: str) -> "AmazonListingSyncStart":
        store = get_store_or_error(store_id, field="store_id")
        try:
            run, _ = sync.start_sync(store, actor=info.context.requestor.label)
        except sync.StartRefused as refused:
            raise start_refusal(refused.reason, refused.message) from None
        return cls(amazon_store=store, listing_sync=run, errors=[])
