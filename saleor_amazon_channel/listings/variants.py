"""Reading what an offer is computed from, shared by the hosts' adapters.

The Saleor adapter (plugin.py) and the stand-in host pass their own model classes
(Saleor's channel listing, stock, channel-warehouse and attribute tables, or the
stand-in's copies of them, same names and fields), so this module imports no host.
Four queries a batch: the channel listings, the stock sums, and the attribute
values at variant and product level (only when an attribute is asked for).

Stock is summed over the channel's warehouses, or over ``zone_stocks`` when the host
gives them: the stock rows Saleor allocates an order from when it allocates through
shipping zones (its own query, which this module cannot import).
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import F, IntegerField, Q, Sum
from django.db.models.functions import Greatest

from saleor_amazon_channel.catalog.variants import catalog_variants
from saleor_amazon_channel.core.batches import ids_filter
from saleor_amazon_channel.core.host import HostWarehouse, OfferVariant


def channel_warehouses(channel_warehouse: Any, channel_id: int) -> list[HostWarehouse]:
    rows = (
        channel_warehouse.objects.filter(channel_id=channel_id)
        .order_by("warehouse__name", "warehouse_id")
        .values_list("warehouse_id", "warehouse__name")
    )
    return [HostWarehouse(str(pk), name or "") for pk, name in rows]


def offer_variants(
    listings: Any,
    stocks: Any,
    channel_warehouse: Any,
    variant_values: Any,
    product_values: Any,
    channel_id: int,
    warehouse_ids: Sequence[str] | None,
    attribute_slug: str | None,
    variant_ids: Sequence[int] | None,
    after: int,
    limit: int,
    zone_stocks: Any | None = None,
) -> list[OfferVariant]:
    queryset = listings.objects.filter(channel_id=channel_id, variant_id__gt=after)
    if variant_ids is not None:
        queryset = queryset.filter(variant_id__in=list(variant_ids))
    rows = list(
        queryset.order_by("variant_id").values_list(
            "variant_id", "variant__sku", "variant__product_id", "price_amount", "currency", "cost_price_amount",
            "variant__track_inventory",
        )[:limit]
    )
    if not rows:
        return []
    ids = [row[0] for row in rows]
    # Only warehouses that serve the channel count, even when the settings name others.
    served = channel_warehouse.objects.filter(channel_id=channel_id).values("warehouse_id")
    # A range for a dense batch (rows of other variants are never looked up), IN otherwise.
    stock_filter = ids_filter("product_variant_id", ids) & Q(warehouse_id__in=served)
    if warehouse_ids is not None:
        stock_filter &= Q(warehouse_id__in=list(warehouse_ids))
    rows_of_stock = stocks.objects.all() if zone_stocks is None else zone_stocks
    available: dict[int, int] = dict(
        rows_of_stock.filter(stock_filter)
        .values("product_variant_id")
        .annotate(
            available=Sum(Greatest(F("quantity") - F("quantity_allocated"), 0), output_field=IntegerField())
        )
        .order_by()
        .values_list("product_variant_id", "available")
    )
    values: dict[int, str] = {}
    if attribute_slug:
        read = catalog_variants([(row[0], row[1], "", row[2], "") for row in rows], attribute_slug, variant_values,
                                product_values)
        values = {variant.variant_id: variant.identifier for variant in read}
    result = []
    for variant_id, sku, product_id, price, currency, cost, track in rows:
        result.append(
            OfferVariant(
                variant_id=variant_id,
                sku=sku or "",
                product_id=product_id,
                price=Decimal(price) if price is not None else None,
                currency=currency or "",
                cost_price=Decimal(cost) if cost is not None else None,
                track_inventory=bool(track),
                available=int(available.get(variant_id) or 0),
                attribute_value=values.get(variant_id, ""),
            )
        )
    return result

