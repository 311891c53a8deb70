"""Reading a channel's variants and their identifiers, shared by the hosts' adapters.

The Saleor adapter (plugin.py) and the stand-in host pass their own model classes
(Saleor's channel listing and attribute assignment tables, or the stand-in's copies of
them), so this module imports no host.
"""

from collections.abc import Sequence
from typing import Any

from saleor_amazon_channel.core.host import CatalogVariant


def channel_variants(
    listings: Any,
    variant_values: Any,
    product_values: Any,
    channel_id: int,
    attribute_slug: str | None,
    after: int,
    limit: int,
) -> list[CatalogVariant]:
    """One keyset batch of the variants listed in the channel, in three queries: the listings, then
    the variant- and product-level attribute values."""
    rows = list(
        listings.objects.filter(channel_id=channel_id, variant_id__gt=after)
        .order_by("variant_id")
        .values_list("variant_id", "variant__sku", "variant__name", "variant__product_id", "variant__product__name")[
            :limit
        ]
    )
    return catalog_variants(rows, attribute_slug, variant_values, product_values)


def catalog_variants(
    rows: Sequence[tuple[Any, ...]], attribute_slug: str | None, variant_values: Any, product_values: Any
) -> list[CatalogVariant]:
    """Shared by both hosts' adapters: ``rows`` are (variant id, sku, name, product id, product name)."""
    by_variant: dict[Any, str] = {}
    by_product: dict[Any, str] = {}
    if attribute_slug and rows:
        # First value by sort order wins (a multi-value attribute carries one identifier per variant).
        for variant_id, name, plain_text in (
            variant_values.objects.filter(
                assignment__variant_id__in=[row[0] for row in rows],
                assignment__assignment__attribute__slug=attribute_slug,
            )
            .order_by("-sort_order", "-pk")
            .values_list("assignment__variant_id", "value__name", "value__plain_text")
        ):
            by_variant[variant_id] = plain_text or name
        for product_id, name, plain_text in (
            product_values.objects.filter(
                product_id__in={row[3] for row in rows}, value__attribute__slug=attribute_slug
            )
            .order_by("-sort_order", "-pk")
            .values_list("product_id", "value__name", "value__plain_text")
        ):
            by_product[product_id] = plain_text or name
    result = []
    for variant_id, sku, name, product_id, product_name in rows:
        if attribute_slug:
            identifier = by_variant.get(variant_id) or by_product.get(product_id) or ""
        else:
            identifier = sku or ""
        result.append(CatalogVariant(variant_id, sku or "", name or "", product_name or "", identifier))
    return result
