"""Reading what rules test about variants, shared by the hosts' adapters (like :mod:`listings.variants`).

The Saleor adapter (plugin.py) and the stand-in host pass their own model classes (Saleor's product,
category, product channel listing, collection and attribute tables, or the stand-in's copies with the
same names and fields), so this module imports no host. Six queries, whatever the number of variants:
the variants with their product, the categories' ancestors (one recursive query), the product channel
listings, the collections, and the attribute values at variant and product level.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import BooleanField, ExpressionWrapper, F, IntegerField, Q, Sum
from django.db.models.functions import Greatest

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


# --- Counting in SQL (the preview) ---------------------------------------------------------------------------
# A condition tree compiled to one SQL predicate over the channel's variant listings, so the preview counts
# 100,000 variants in one statement instead of reading every variant into Python. Each leaf is two-valued
# (never NULL), so a negated tree is exactly the complement; relations are tested with uncorrelated
# ``IN (subquery)``, which PostgreSQL hashes once, rather than a subquery per row.


def category_descendants(category: Any, category_ids: set[int]) -> dict[int, set[int]]:
    """Each category with its descendants (itself included): one recursive query."""
    if not category_ids:
        return {}
    connection = connections[category.objects.db]
    quoted = connection.ops.quote_name(category._meta.db_table)
    placeholders = ", ".join(["%s"] * len(category_ids))
    sql = (
        f"WITH RECURSIVE down(start, id, depth) AS ("  # noqa: S608 (table name from the model)
        f" SELECT c.id, c.id, 0 FROM {quoted} c WHERE c.id IN ({placeholders})"
        f" UNION ALL SELECT down.start, c.id, down.depth + 1 FROM {quoted} c JOIN down ON c.parent_id = down.id"
        f" WHERE down.depth < 100)"
        f" SELECT start, id FROM down"
    )
    result: dict[int, set[int]] = {pk: set() for pk in category_ids}
    with connection.cursor() as cursor:
        cursor.execute(sql, sorted(category_ids))
        for start, pk in cursor.fetchall():
            result[start].add(pk)
    return result


def _category_ids(tree: dict[str, Any]) -> set[int]:
    if not tree:
        return set()
    ((kind, value),) = tree.items()
    if kind in ("all", "any"):
        return set().union(*(_category_ids(child) for child in value)) if value else set()
    return set(next(iter(value.values()))) if kind == "category" else set()


_TRUE = Q(variant_id__isnull=False)
_FALSE = Q(variant_id__isnull=True)


class _Compiler:
    def __init__(self, models: "ConditionModels", channel_id: int, warehouse_ids: Sequence[str] | None,
                 descendants: dict[int, set[int]], now: datetime, zone_stocks: Any | None) -> None:
        self.models, self.channel_id, self.warehouse_ids = models, channel_id, warehouse_ids
        self.descendants, self.now, self.zone_stocks = descendants, now, zone_stocks

    def tree(self, tree: dict[str, Any]) -> Q:
        if not tree:
            return _TRUE
        ((kind, value),) = tree.items()
        if kind == "all":
            q = _TRUE
            for child in value:
                q &= self.tree(child)
            return q
        if kind == "any":
            if not value:
                return _TRUE  # like conditions.compile_tree: an empty group keeps every variant
            q = _FALSE
            for child in value:
                q |= self.tree(child)
            return q
        if kind in ("productType", "category", "collection", "attribute"):
            operator = "oneOf" if "oneOf" in value else "noneOf"
            found = self.member(kind, value, value[operator])
            return found if operator == "oneOf" else ~found
        if kind == "published":
            found = Q(variant__product_id__in=self.models.product_listings.objects.filter(
                Q(published_at__isnull=True) | Q(published_at__lte=self.now), channel_id=self.channel_id,
                is_published=True).values("product_id"))
            return found if value else ~found
        if kind == "availableForPurchase":
            found = Q(variant__product_id__in=self.models.product_listings.objects.filter(
                channel_id=self.channel_id, available_for_purchase_at__lte=self.now).values("product_id"))
            return found if value else ~found
        if kind == "price":
            q = Q(price_amount__isnull=False)
            if "gte" in value:
                q &= Q(price_amount__gte=Decimal(value["gte"]))
            if "lte" in value:
                q &= Q(price_amount__lte=Decimal(value["lte"]))
            return q
        return self.stock(value.get("gte"), value.get("lte"))

    def member(self, kind: str, value: dict[str, Any], items: list[Any]) -> Q:
        m = self.models
        if kind == "productType":
            return Q(variant__product__product_type_id__isnull=False, variant__product__product_type_id__in=items)
        if kind == "category":
            ids = set().union(*(self.descendants.get(pk, {pk}) for pk in items))
            return Q(variant__product__category_id__isnull=False, variant__product__category_id__in=ids)
        if kind == "collection":
            return Q(variant__product_id__in=m.collection_products.objects.filter(
                collection_id__in=items).values("product_id"))
        slug = value["slug"]
        return Q(variant__product_id__in=m.product_values.objects.filter(
            value__attribute__slug=slug, value__slug__in=items).values("product_id")) | Q(
            variant_id__in=m.variant_values.objects.filter(
                assignment__assignment__attribute__slug=slug, value__slug__in=items).values("assignment__variant_id"))

    def stock(self, least: int | None, most: int | None) -> Q:
        """What Saleor can sell (as :func:`listings.variants.offer_variants` sums it) within the bounds; a
        variant that does not track inventory has unlimited stock."""
        m = self.models
        served = m.channel_warehouse.objects.filter(channel_id=self.channel_id).values("warehouse_id")
        stocks = (m.stocks.objects.all() if self.zone_stocks is None else self.zone_stocks).filter(
            warehouse_id__in=served)
        if self.warehouse_ids is not None:
            stocks = stocks.filter(warehouse_id__in=list(self.warehouse_ids))
        sums = stocks.values("product_variant_id").annotate(
            available=Sum(Greatest(F("quantity") - F("quantity_allocated"), 0), output_field=IntegerField())
        ).order_by()
        outside = Q()
        if least is not None:
            outside |= Q(available__lt=least)
        if most is not None:
            outside |= Q(available__gt=most)
        tracked = Q(variant__track_inventory=True)
        if (least is None or least <= 0) and (most is None or most >= 0):
            # Without stock rows a variant has 0, inside the range: only sums outside it fail.
            within = ~Q(variant_id__in=sums.filter(outside).values("product_variant_id"))
        else:
            within = Q(variant_id__in=sums.exclude(outside).values("product_variant_id"))
        if most is None:
            return ~tracked | within
        return tracked & within


@dataclass(frozen=True)
class ConditionModels:
    """The host's tables, by the role they play (Saleor's, or the stand-in's copies with the same fields)."""

    variant_listings: Any
    stocks: Any
    channel_warehouse: Any
    category: Any
    product_listings: Any
    collection_products: Any
    variant_values: Any
    product_values: Any


def condition_counts(
    models: ConditionModels,
    channel_id: int,
    trees: Sequence[dict[str, Any]],
    warehouse_ids: Sequence[str] | None,
    limit: int,
    now: datetime,
    zone_stocks: Any | None = None,
) -> dict[tuple[bool, ...], tuple[int, list[int]]]:
    """The variants listed in the channel grouped by which of ``trees`` they meet: per outcome (one bool a
    tree), how many variants and the first ``limit`` of their ids. One pass over the variants (each tree
    evaluated once a row), plus one query for categories. Stock as :func:`listings.variants.offer_variants`
    sums it (``zone_stocks`` alike)."""
    descendants = category_descendants(models.category, set().union(*(_category_ids(t) for t in trees)))
    compiler = _Compiler(models, channel_id, warehouse_ids, descendants, now, zone_stocks)
    names = [f"met_{i}" for i in range(len(trees))]
    inner = models.variant_listings.objects.filter(channel_id=channel_id).annotate(**{
        name: ExpressionWrapper(compiler.tree(tree), output_field=BooleanField()) for name, tree in zip(
            names, trees, strict=True)
    }).values("variant_id", *names)
    sql, params = inner.query.sql_with_params()
    connection = connections[inner.db]
    columns = ", ".join(connection.ops.quote_name(name) for name in names) or "NULL"
    ordered = ", ".join(str(i + 1) for i in range(len(names))) or "1"
    outer = (
        f"SELECT {columns}, COUNT(*), (ARRAY_AGG(x.{connection.ops.quote_name('variant_id')} "  # noqa: S608
        f"ORDER BY x.{connection.ops.quote_name('variant_id')}))[1:%s] FROM ({sql}) AS x "
        f"GROUP BY {ordered}"
    )
    result: dict[tuple[bool, ...], tuple[int, list[int]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(outer, [limit, *params])
        for row in cursor.fetchall():
            outcome = tuple(bool(met) for met in row[:len(names)])
            result[outcome] = (row[-2], list(row[-1] or []))
    return result
