"""GraphQL types of Amazon listings; loaders keep store lists and listing pages at a constant query count."""

from collections.abc import Mapping
from typing import TYPE_CHECKING

import graphene
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from promise import Promise

from saleor_amazon_channel.core import ids
from saleor_amazon_channel.core.host import get_host
from saleor_amazon_channel.graphql.core.context import ContextLoader, Info
from saleor_amazon_channel.graphql.core.types import RunErrorResolvers
from saleor_amazon_channel.listings import sync
from saleor_amazon_channel.listings.models import Listing, ListingSettings, ListingState, ListingSync, SyncStatus
from saleor_amazon_channel.outcomes import lookup
from saleor_amazon_channel.stores.models import AmazonStore

if TYPE_CHECKING:
    from saleor_amazon_channel.graphql.rules.types import AmazonAppliedRule

AmazonListingState = graphene.Enum(
    "AmazonListingState", [(s.value, s.value) for s in ListingState],
    description="Where a listing stands, named like Amazon Sales Channel's tabs.",
)
AmazonListingSyncStatus = graphene.Enum(
    "AmazonListingSyncStatus", [(s.value, s.value) for s in SyncStatus], description="Where a sync run stands."
)


class AmazonWarehouse(graphene.ObjectType):
    id = graphene.ID(required=True, description="Saleor's Warehouse global ID.")
    name = graphene.String(required=True)


class AmazonListingSettings(graphene.ObjectType):
    auto_list = graphene.Boolean(required=True, description="List eligible offers automatically; else hold them in "
                                 "Ready to list.")
    handling_time = graphene.Int(required=True, description="Days to ship (offers the channel creates).")
    condition = graphene.String(required=True, description="Amazon condition code, e.g. new_new.")
    condition_attribute = graphene.String(description="Slug of the Saleor attribute the condition is read from.")
    warehouses = graphene.List(graphene.NonNull(AmazonWarehouse), required=True,
                               description="Warehouses counted towards quantity; empty: all of the channel's.")
    out_of_stock_threshold = graphene.Int(required=True)
    max_quantity = graphene.Int(description="Never list more than this.")
    untracked_quantity = graphene.Int(required=True, description="Quantity of variants that do not track inventory.")
    import_third_party = graphene.Boolean(required=True)

    @staticmethod
    def resolve_condition_attribute(root: ListingSettings, info: Info) -> str | None:
        return root.condition_attribute or None

    @staticmethod
    def resolve_warehouses(root: ListingSettings, info: Info) -> list[AmazonWarehouse]:
        chosen = set(root.warehouse_ids or [])
        if not chosen:
            return []
        channel_id = root.store.channel_id
        found = get_host().channel_warehouses(channel_id) if channel_id else []
        return [AmazonWarehouse(id=ids.to_global_id("Warehouse", w.id), name=w.name) for w in found if w.id in chosen]


class AmazonListingIssue(graphene.ObjectType):
    code = graphene.String(required=True)
    severity = graphene.String(required=True, description="ERROR, WARNING or INFO.")
    message = graphene.String(required=True, description="Amazon's own words.")
    attribute_names = graphene.List(graphene.NonNull(graphene.String), required=True)


class AmazonOffer(graphene.ObjectType):
    price = graphene.Decimal()
    currency = graphene.String()
    quantity = graphene.Int()
    handling_time = graphene.Int()
    condition = graphene.String()


class AmazonListingOverrides(graphene.ObjectType):
    price = graphene.Decimal()
    quantity = graphene.Int()
    handling_time = graphene.Int()
    condition = graphene.String()


class AmazonListing(graphene.ObjectType):
    id = graphene.ID(required=True)
    variant_id = graphene.ID(description="Saleor's ProductVariant global ID; null for third-party offers.")
    name = graphene.String(required=True)
    seller_sku = graphene.String(required=True)
    sku_generated = graphene.Boolean(required=True, description="The variant has no SKU: this one was made up.")
    asin = graphene.String()
    product_type = graphene.String()
    state = AmazonListingState(required=True)
    reason_code = graphene.String(description="Why it is incomplete (an outcome code).")
    reason = graphene.String(description="Why it is incomplete, for a person.")
    in_progress = graphene.Boolean(required=True, description="A change is on its way to Amazon.")
    desired = graphene.Field(AmazonOffer, required=True, description="What Saleor wants Amazon to show.")
    on_amazon = graphene.Field(AmazonOffer, description="What Amazon showed when last read; null if not on Amazon.")
    amazon_status = graphene.List(graphene.NonNull(graphene.String), required=True)
    fulfillment_channel = graphene.String(required=True, description="DEFAULT (merchant) or AMAZON_* (FBA).")
    overrides = graphene.Field(AmazonListingOverrides, required=True)
    has_override = graphene.Boolean(required=True)
    applied = graphene.List(graphene.NonNull(graphene.String), required=True,
                            description="Rules and overrides that set the desired offer, in order.")
    applied_rules = graphene.List(
        graphene.NonNull("saleor_amazon_channel.graphql.rules.types.AmazonAppliedRule"), required=True,
        description="Why the listing has its desired offer: the listing rules' condition that makes it ineligible, "
                    "the price rules applied in order, a floor or ceiling holding the price, overrides.")
    issues = graphene.List(graphene.NonNull(AmazonListingIssue), required=True)
    product_url = graphene.String()
    checked_at = graphene.DateTime()
    updated_at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_id(root: Listing, info: Info) -> str:
        return ids.to_global_id("AmazonListing", root.pk)

    @staticmethod
    def resolve_variant_id(root: Listing, info: Info) -> str | None:
        return ids.to_global_id("ProductVariant", root.variant_id) if root.variant_id else None

    @staticmethod
    def resolve_asin(root: Listing, info: Info) -> str | None:
        return root.asin or None

    @staticmethod
    def resolve_product_type(root: Listing, info: Info) -> str | None:
        return root.product_type or None

    @staticmethod
    def resolve_reason_code(root: Listing, info: Info) -> str | None:
        return root.state_reason or None

    @staticmethod
    def resolve_reason(root: Listing, info: Info) -> str | None:
        outcome = lookup(root.state_reason)
        return outcome.message if outcome else None

    @staticmethod
    def resolve_in_progress(root: Listing, info: Info) -> bool:
        return root.in_progress or root.verify_after is not None

    @staticmethod
    def resolve_desired(root: Listing, info: Info) -> AmazonOffer:
        return AmazonOffer(price=root.desired_price, currency=root.desired_currency or None,
                           quantity=root.desired_quantity, handling_time=root.desired_handling_time,
                           condition=root.desired_condition or None)

    @staticmethod
    def resolve_on_amazon(root: Listing, info: Info) -> AmazonOffer | None:
        if not root.on_amazon:
            return None
        return AmazonOffer(price=root.amazon_price, currency=root.store.marketplace.currency_code,
                           quantity=root.amazon_quantity, handling_time=root.accepted_handling_time,
                           condition=root.accepted_condition or None)

    @staticmethod
    def resolve_overrides(root: Listing, info: Info) -> AmazonListingOverrides:
        return AmazonListingOverrides(price=root.override_price, quantity=root.override_quantity,
                                      handling_time=root.override_handling_time,
                                      condition=root.override_condition or None)

    @staticmethod
    def resolve_applied(root: Listing, info: Info) -> list[str]:
        return [str(note) for note in root.desired_notes or []]

    @staticmethod
    def resolve_applied_rules(root: Listing, info: Info) -> "Promise[list[AmazonAppliedRule]]":
        from saleor_amazon_channel.graphql.rules.types import applied_rules

        return applied_rules(root, info)

    @staticmethod
    def resolve_issues(root: Listing, info: Info) -> list[AmazonListingIssue]:
        return [
            AmazonListingIssue(code=str(i.get("code") or ""), severity=str(i.get("severity") or ""),
                               message=str(i.get("message") or ""),
                               attribute_names=[str(a) for a in i.get("attributeNames") or []])
            for i in root.issues or [] if isinstance(i, dict)
        ]

    @staticmethod
    def resolve_product_url(root: Listing, info: Info) -> str | None:
        return f"https://{root.store.marketplace.domain}/dp/{root.asin}" if root.asin else None


class AmazonListingCountableConnection(graphene.relay.Connection):
    total_count = graphene.Int(description="How many listings match the filter, across all pages.")

    class Meta:
        node = AmazonListing


class AmazonListingCounts(graphene.ObjectType):
    incomplete = graphene.Int(required=True)
    ready_to_list = graphene.Int(required=True)
    active = graphene.Int(required=True)
    inactive = graphene.Int(required=True)
    ended = graphene.Int(required=True)
    error = graphene.Int(required=True)
    third_party = graphene.Int(required=True)
    ineligible = graphene.Int(required=True, description="Excluded by the store's listing rules.")
    overrides = graphene.Int(required=True, description="Listings with an override.")
    pending = graphene.Int(required=True, description="Changes not yet accepted by Amazon.")


class AmazonListingSync(RunErrorResolvers, graphene.ObjectType):
    id = graphene.ID(required=True)
    status = AmazonListingSyncStatus(required=True)
    phase = graphene.String(required=True, description="scan, import, send or verify.")
    sent = graphene.Int(required=True)
    accepted = graphene.Int(required=True)
    rejected = graphene.Int(required=True)
    amazon_calls = graphene.Int(required=True)
    progress = graphene.Float(required=True, description="Sent / (sent + still to send), from 0 to 1.")
    counts = graphene.Field(AmazonListingCounts, required=True, description="The store's listings per state, now.")
    created_at = graphene.DateTime(required=True)
    finished_at = graphene.DateTime()
    last_error_code = graphene.String()
    last_error = graphene.String()

    @staticmethod
    def resolve_id(root: ListingSync, info: Info) -> str:
        return ids.to_global_id("AmazonListingSync", root.pk)

    @staticmethod
    def resolve_progress(root: ListingSync, info: Info) -> Promise[float]:
        def ratio(counts: dict[str, int]) -> float:
            left = counts.get("pending", 0)
            return 1.0 if not left else root.sent / (root.sent + left)

        return info.context.loader(ListingCountsLoader).load(root.store_id).then(ratio)

    @staticmethod
    def resolve_counts(root: ListingSync, info: Info) -> Promise[AmazonListingCounts]:
        return info.context.loader(ListingCountsLoader).load(root.store_id).then(counts_object)


def counts_object(counts: Mapping[str, int]) -> AmazonListingCounts:
    return AmazonListingCounts(**{state.lower(): counts.get(state.value, 0) for state in ListingState},
                               overrides=counts.get("overrides", 0), pending=counts.get("pending", 0))


class ListingCountsLoader(ContextLoader):
    def batch_load_fn(self, store_ids: list[int]) -> Promise[list[dict[str, int]]]:
        counts = sync.counts(list(store_ids))
        from django.db.models import Q

        overridden = Q(override_price__isnull=False) | Q(override_quantity__isnull=False) | Q(
            override_handling_time__isnull=False) | ~Q(override_condition="")
        for store_id, number in Listing.objects.filter(store_id__in=list(store_ids)).filter(overridden).values_list(
                "store_id").annotate(n=Count("pk")).order_by():
            counts[store_id]["overrides"] = number
        waiting = Q(desired_operation__in=["put", "patch", "delete"], accepted_version__lt=F("desired_version"))
        for store_id, number in Listing.objects.filter(store_id__in=list(store_ids)).filter(waiting).values_list(
                "store_id").annotate(n=Count("pk")).order_by():
            counts[store_id]["pending"] = number
        return Promise.resolve([counts.get(store_id, {}) for store_id in store_ids])


class LatestListingSyncLoader(ContextLoader):
    def batch_load_fn(self, store_ids: list[int]) -> Promise[list[ListingSync | None]]:
        ranked = ListingSync.objects.filter(store_id__in=store_ids).annotate(
            rank=Window(RowNumber(), partition_by=[F("store_id")], order_by=[F("created_at").desc(), F("pk").desc()])
        ).filter(rank=1)
        by_store = {run.store_id: run for run in ranked}
        return Promise.resolve([by_store.get(store_id) for store_id in store_ids])


def resolve_listing_sync(root: AmazonStore, info: Info) -> Promise[ListingSync | None]:
    return info.context.loader(LatestListingSyncLoader).load(root.pk)
