"""What a merchant does to listings: settings, list, end, relist, assign an ASIN, overrides (bulk by ids).

Each action records the merchant's choice, recomputes the affected listings at once (so their state
answers the mutation) and starts a sync run when the store can sync.
"""

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone

from saleor_amazon_channel.core.host import get_host
from saleor_amazon_channel.errors import refusal
from saleor_amazon_channel.listings import offers, sync
from saleor_amazon_channel.listings.models import Listing, ListingSettings, ListingState
from saleor_amazon_channel.outcomes import Outcome
from saleor_amazon_channel.stores.models import AmazonStore

ASIN = re.compile(r"^[A-Z0-9]{10}$")
MAX_IDS = 100
SETTINGS_FIELDS = ("auto_list", "handling_time", "condition", "condition_attribute", "warehouse_ids",
                   "out_of_stock_threshold", "max_quantity", "untracked_quantity", "import_third_party")
MAX_HANDLING_TIME = 30


def update_settings(store: AmazonStore, data: dict[str, Any]) -> ListingSettings:
    stored = sync.listing_settings(store)
    if "handling_time" in data and data["handling_time"] is not None and \
            not 1 <= data["handling_time"] <= MAX_HANDLING_TIME:
        raise refusal("handling_time", f"The handling time is 1 to {MAX_HANDLING_TIME} days.", Outcome.INVALID)
    if data.get("condition") is not None and offers.condition_code(data["condition"]) is None:
        raise refusal("condition", "This is not an Amazon condition (new_new, used_like_new, ...).", Outcome.INVALID)
    for name in ("out_of_stock_threshold", "max_quantity", "untracked_quantity"):
        if data.get(name) is not None and data[name] < 0:
            raise refusal(name, "A quantity cannot be negative.", Outcome.INVALID)
    if data.get("warehouse_ids") is not None:
        served = {w.id for w in get_host().channel_warehouses(store.channel_id)} if store.channel_id else set()
        unknown = [w for w in data["warehouse_ids"] if w not in served]
        if unknown:
            raise refusal("warehouse_ids", "These warehouses do not serve the store's channel.", Outcome.INVALID)
    for name in SETTINGS_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if value is None and name not in ("max_quantity",):
            continue
        if name == "condition":
            value = offers.condition_code(value)
        if name == "warehouse_ids":
            value = sorted(set(value))
        setattr(stored, name, value)
    stored.updated_at = timezone.now()
    stored.save()
    # The whole channel is recomputed by the sync's scan, not inside this request.
    try:
        sync.start_sync(store, actor="merchant")
    except sync.StartRefused:
        pass
    return stored


def listings_of(store: AmazonStore, listing_ids: Sequence[int]) -> list[Listing]:
    if not listing_ids or len(listing_ids) > MAX_IDS:
        raise refusal("ids", f"Give 1 to {MAX_IDS} listings.", Outcome.INVALID)
    found = list(Listing.objects.filter(store=store, pk__in=list(listing_ids)))
    if len(found) != len(set(listing_ids)):
        raise refusal("ids", "Some of these listings are not the store's.", Outcome.NOT_FOUND)
    return found


def _after(store: AmazonStore, listings: list[Listing]) -> None:
    """Recompute these listings now (at most ``MAX_IDS``), then let a sync send them."""
    variant_ids = [x.variant_id for x in listings if x.variant_id is not None]
    if not variant_ids:
        return
    sync.scan(store, variant_ids=variant_ids)
    try:
        sync.start_sync(store, actor="merchant")
    except sync.StartRefused:
        pass


def _variants_only(listings: list[Listing]) -> None:
    if any(listing.variant_id is None for listing in listings):
        raise refusal("ids", "Third-party offers are not the channel's to change.", Outcome.INVALID)


def list_listings(store: AmazonStore, listing_ids: Sequence[int]) -> list[Listing]:
    """Publish listings held in Ready to list (auto-listing off)."""
    listings = listings_of(store, listing_ids)
    _variants_only(listings)
    Listing.objects.filter(pk__in=[x.pk for x in listings]).update(list_requested=True, ended=False)
    _after(store, listings)
    return listings_of(store, listing_ids)


def end_listings(store: AmazonStore, listing_ids: Sequence[int]) -> list[Listing]:
    listings = listings_of(store, listing_ids)
    _variants_only(listings)
    Listing.objects.filter(pk__in=[x.pk for x in listings]).update(ended=True)
    _after(store, listings)
    return listings_of(store, listing_ids)


def relist_listings(store: AmazonStore, listing_ids: Sequence[int]) -> list[Listing]:
    listings = listings_of(store, listing_ids)
    _variants_only(listings)
    Listing.objects.filter(pk__in=[x.pk for x in listings]).update(ended=False, list_requested=True)
    _after(store, listings)
    return listings_of(store, listing_ids)


def assign_asin(store: AmazonStore, listing_ids: Sequence[int], asin: str) -> list[Listing]:
    """The merchant picks the ASIN (a multiple match, or another item); kept over later catalog matches."""
    asin = (asin or "").strip().upper()
    if not ASIN.match(asin):
        raise refusal("asin", "An ASIN is 10 letters and digits.", Outcome.INVALID)
    listings = listings_of(store, listing_ids)
    _variants_only(listings)
    if any(listing.on_amazon for listing in listings):
        raise refusal("ids", "An offer on Amazon keeps its ASIN: end it first.", Outcome.IMMUTABLE)
    from saleor_amazon_channel.catalog.models import CatalogMatch

    product_types = dict(
        CatalogMatch.objects.filter(store=store, variant_id__in=[x.variant_id for x in listings])
        .values_list("variant_id", "product_type")
    )
    for listing in listings:
        Listing.objects.filter(pk=listing.pk).update(
            asin=asin, asin_assigned=True,
            product_type=(product_types.get(listing.variant_id) or "") if listing.variant_id else "",
        )
    _after(store, listings)
    return listings_of(store, listing_ids)


OVERRIDE_FIELDS = {"price": "override_price", "quantity": "override_quantity",
                   "handling_time": "override_handling_time", "condition": "override_condition"}


def set_overrides(store: AmazonStore, listing_ids: Sequence[int], values: dict[str, Any]) -> list[Listing]:
    listings = listings_of(store, listing_ids)
    _variants_only(listings)
    fields: dict[str, Any] = {}
    if values.get("price") is not None:
        price = Decimal(values["price"])
        if price <= 0:
            raise refusal("price", "A price must be above 0.", Outcome.INVALID)
        fields["override_price"] = price
    if values.get("quantity") is not None:
        if values["quantity"] < 0:
            raise refusal("quantity", "A quantity cannot be negative.", Outcome.INVALID)
        fields["override_quantity"] = values["quantity"]
    if values.get("handling_time") is not None:
        if not 1 <= values["handling_time"] <= MAX_HANDLING_TIME:
            raise refusal("handling_time", f"The handling time is 1 to {MAX_HANDLING_TIME} days.", Outcome.INVALID)
        fields["override_handling_time"] = values["handling_time"]
    if values.get("condition"):
        code = offers.condition_code(values["condition"])
        if code is None:
            raise refusal("condition", "This is not an Amazon condition.", Outcome.INVALID)
        fields["override_condition"] = code
    if not fields:
        raise refusal(None, "Give at least one override.", Outcome.REQUIRED)
    Listing.objects.filter(pk__in=[x.pk for x in listings]).update(**fields)
    _after(store, listings)
    return listings_of(store, listing_ids)


def clear_overrides(store: AmazonStore, listing_ids: Sequence[int], names: Sequence[str] | None) -> list[Listing]:
    listings = listings_of(store, listing_ids)
    chosen = list(names) if names else list(OVERRIDE_FIELDS)
    if any(name not in OVERRIDE_FIELDS for name in chosen):
        raise refusal("fields", "Overrides are price, quantity, handling_time and condition.", Outcome.INVALID)
    cleared = {OVERRIDE_FIELDS[name]: ("" if name == "condition" else None) for name in chosen}
    Listing.objects.filter(pk__in=[x.pk for x in listings]).update(**cleared)
    _after(store, listings)
    return listings_of(store, listing_ids)


__all__ = ["ListingState", "assign_asin", "clear_overrides", "end_listings", "list_listings", "relist_listings",
           "set_overrides", "update_settings"]
