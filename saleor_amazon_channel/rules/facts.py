"""Reading what rules test about variants, shared by the hosts' adapters (like :mod:`listings.variants`).

The Saleor adapter (plugin.py) and the stand-in host pass their own model classes (Saleor's product,
category, product channel listing, collection and attribute tables, or the stand-in's copies with the
same names and fields), so this module imports no host. Six queries, whatever the number of variants:
the variants with their product, the categories' ancestors (one recursive query), the product channel
listings, the collections, and the attribute values at variant and product level.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connections

from saleor_amazon_channel.core.batches import ids_filter
from saleor_amazon_channel.core.host import VariantFacts


def category_ancestors(category: Any, category_ids: set[int]) -> dict[int, tuple[int, ...]]:
    """Each category with its ancestors (itself first, then up to the root): one recursive query."""
    if not category_ids:
        return {}
    table = category._meta.db_table
    connection = connections[category.objects.db]
    quoted = connection.ops.quote_name(table)
    placeholders = ", ".join(["%s"] * len(category_ids))
    sql = (
        f"WITH RECURSIVE up(start, id, parent_id, depth) AS ("  # noqa: S608 (table name from the model)
        f" SELECT c.id, c.id, c.parent_id, 0 FROM {quoted} c WHERE c.id IN ({placeholders})"
        f" UNION ALL SELECT up.start, c.id, c.parent_id, up.depth + 1 FROM {quoted} c JOIN up ON c.id = up.parent_id"
        f" WHERE up.depth < 100)"
        f" SELECT start, id FROM up ORDER BY start, depth"
    )
    result: dict[int, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, sorted(category_ids))
        for start, pk in cursor.fetchall():
            result.setdefault(start, []).append(pk)
    return {start: tuple(chain) for start, chain in result.items()}


def variant_facts(
    variants: Any,
    category: Any,
    product_listings: Any,
    collection_products: Any,
    variant_values: Any,
    product_values: Any,
    channel_id: int,
    variant_ids: Sequence[int],
    now: datetime,
) -> list[VariantFacts]:
    wanted = set(variant_ids)
    rows = [
        row for row in variants.objects.filter(ids_filter("pk", wanted)).order_by("pk")
        .values_list("pk", "product_id", "product__product_type_id", "product__category_id")
        if row[0] in wanted
    ]
    if not rows:
        return []
    product_ids = {row[1] for row in rows}
    products = ids_filter("product_id", product_ids)
    ancestors = category_ancestors(category, {row[3] for row in rows if row[3] is not None})
    publication: dict[int, tuple[bool, bool]] = {}
    for product_id, is_published, published_at, available_at in product_listings.objects.filter(
        products, channel_id=channel_id
    ).values_list("product_id", "is_published", "published_at", "available_for_purchase_at"):
        publication[product_id] = (
            bool(is_published) and (published_at is None or published_at <= now),
            available_at is not None and available_at <= now,
        )
    collections: dict[int, list[int]] = {}
    for product_id, collection_id in collection_products.objects.filter(products).values_list(
        "product_id", "collection_id"
    ):
        collections.setdefault(product_id, []).append(collection_id)
    by_product: dict[int, set[tuple[str, str]]] = {}
    for product_id, slug, value in product_values.objects.filter(products).values_list(
        "product_id", "value__attribute__slug", "value__slug"
    ):
        by_product.setdefault(product_id, set()).add((slug, value))
    by_variant: dict[int, set[tuple[str, str]]] = {}
    for variant_id, slug, value in variant_values.objects.filter(
        ids_filter("assignment__variant_id", wanted)
    ).values_list("assignment__variant_id", "assignment__assignment__attribute__slug", "value__slug"):
        by_variant.setdefault(variant_id, set()).add((slug, value))
    # Built once per product (a product's variants share them), not once per variant.
    no_values: frozenset[tuple[str, str]] = frozenset()
    product_collections = {pid: tuple(sorted(found)) for pid, found in collections.items()}
    product_attributes = {pid: frozenset(found) for pid, found in by_product.items()}
    result: list[VariantFacts] = []
    append = result.append
    for variant_id, product_id, product_type_id, category_id in rows:
        published, available = publication.get(product_id, (False, False))
        attributes = product_attributes.get(product_id, no_values)
        own = by_variant.get(variant_id)
        if own:
            attributes = attributes | own
        append(VariantFacts(
            variant_id, product_id, product_type_id,
            ancestors.get(category_id, ()) if category_id is not None else (),
            product_collections.get(product_id, ()),
            attributes, published, available,
        ))
    return result
