"""Listing and price rules over 100,000 variants (stand-in host, PostgreSQL).

- **Preview** of a draft rule set (category with subcategories, an attribute, stock and a price range, nested
  all/any) over every variant of the channel: wall time (median of 5), this process's CPU time and SQL
  queries; nothing is written.
- **Re-computing desired offers after a rule change**: every variant already on Amazon at its accepted price
  (written directly, as after a first sync), then a +15% price rule on one category is saved and the listings
  scan recomputes the store: wall time, queries, offers whose price changed, and operations queued for Amazon
  (the engine sends exactly those; tests/rules/test_rules_sync.py checks the calls against the emulator).

Usage: ``python bench/bench_rules.py [variants] [--preview-only]``: default 10,000 so ``make bench`` stays
within a few minutes; the issue's figures are taken with ``100000``. ``--preview-only`` measures the preview
again on the database a run left (populated once, kept): a quiet moment's figure without populating again.
"""

import os
import sys
import time
from decimal import Decimal

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rl_bench_rules")

from _setup import setup_django  # noqa: E402

PRODUCT_VARIANTS = 5
CHUNK = 10_000


class QueryCounter:
    def __init__(self):
        self.count = 0
        self.writes = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        self.writes += not sql.lstrip().upper().startswith(("SELECT", "WITH"))
        return execute(sql, params, many, context)


def reset():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE product_productvariant, product_product, product_category, product_collection, "
            "product_producttype, attribute_attribute, warehouse_warehouse, channel_channel, "
            "saleor_amazon_channel_amazonstore, saleor_amazon_channel_sellerauthorization RESTART IDENTITY CASCADE"
        )


def populate(n):
    from django.db import connection

    from saleor_amazon_channel.authorizations.models import SellerAuthorization
    from saleor_amazon_channel.stores.models import AmazonStore
    from tests.standin.attribute.models import AssignedProductAttributeValue, Attribute, AttributeValue
    from tests.standin.channel.models import Channel
    from tests.standin.product.models import (
        Category,
        Collection,
        CollectionProduct,
        Product,
        ProductChannelListing,
        ProductType,
        ProductVariant,
        ProductVariantChannelListing,
    )
    from tests.standin.warehouse.models import ChannelWarehouse, Stock, Warehouse

    channel = Channel.objects.create(slug="bench", name="Bench", currency_code="USD", is_active=True)
    warehouse = Warehouse.objects.create(name="Bench", slug="bench")
    ChannelWarehouse.objects.create(channel=channel, warehouse=warehouse)
    types = [ProductType.objects.create(name=f"Type {i}") for i in range(10)]
    roots = [Category.objects.create(name=f"Root {i}", slug=f"root-{i}") for i in range(10)]
    leaves = [Category.objects.create(name=f"Leaf {i}", slug=f"leaf-{i}", parent=roots[i % 10]) for i in range(50)]
    collections = [Collection.objects.create(name=f"Collection {i}", slug=f"collection-{i}") for i in range(10)]
    color = Attribute.objects.create(slug="color", name="Color")
    colors = [AttributeValue.objects.create(attribute=color, name=c, slug=c) for c in ("red", "green", "blue", "black")]
    products_n = n // PRODUCT_VARIANTS
    for start in range(0, products_n, CHUNK):
        stop = min(products_n, start + CHUNK)
        products = Product.objects.bulk_create([
            Product(product_type=types[i % 10], name=f"Product {i}", slug=f"product-{i}", category=leaves[i % 50])
            for i in range(start, stop)])
        ProductChannelListing.objects.bulk_create([
            ProductChannelListing(product=p, channel=channel, is_published=i % 7 != 0, currency="USD")
            for i, p in enumerate(products, start)])
        CollectionProduct.objects.bulk_create([
            CollectionProduct(collection=collections[i % 10], product=p) for i, p in enumerate(products, start)
            if i % 3 == 0])
        AssignedProductAttributeValue.objects.bulk_create([
            AssignedProductAttributeValue(value=colors[i % 4], product=p, sort_order=0)
            for i, p in enumerate(products, start)])
        variants = ProductVariant.objects.bulk_create([
            ProductVariant(sku=f"SKU-{i}-{k}", product=p) for i, p in enumerate(products, start)
            for k in range(PRODUCT_VARIANTS)])
        ProductVariantChannelListing.objects.bulk_create([
            ProductVariantChannelListing(variant=v, channel=channel, currency="USD",
                                         price_amount=Decimal(10 + v.pk % 90) + Decimal("0.49"),
                                         cost_price_amount=Decimal(5 + v.pk % 40))
            for v in variants])
        Stock.objects.bulk_create([Stock(warehouse=warehouse, product_variant=v, quantity=v.pk % 12)
                                   for v in variants])
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    authorization = SellerAuthorization.objects.create(
        selling_partner_id="ABENCHRULES", region="NA", encrypted_refresh_token="-", authorized_at=now,
        expires_at=now + timedelta(days=365),
    )
    store = AmazonStore.objects.create(
        name="Bench rules", contact_email="owner@bench.example", channel=channel, marketplace_id="ATVPDKIKX0DER",
        product_id_type="SKU", product_id_source="variant_sku", authorization=authorization,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return store, roots, leaves


def measure_preview(store, roots, n):
    from django.db import connection

    from saleor_amazon_channel.rules import services
    from saleor_amazon_channel.rules.preview import preview

    draft = services.clean_conditions({"all": [
        {"any": [{"category": {"oneOf": [roots[0].pk, roots[1].pk]}}, {"attribute": {"slug": "color",
                                                                                     "oneOf": ["red"]}}]},
        {"stock": {"gte": 1}},
        {"price": {"gte": "15", "lte": "80"}},
        {"published": True},
    ]})
    times, cpu = [], []
    for _ in range(5):
        counter = QueryCounter()
        started, started_cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(counter):
            result = preview(store, draft)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    assert result.total == n, result.total
    assert counter.writes == 0
    times.sort()
    cpu.sort()
    load = os.getloadavg()[0]
    print(f"preview of {n:,} variants: {times[2]:.2f} s median wall (min {times[0]:.2f}, max {times[4]:.2f}; "
          f"this process's CPU {cpu[2]:.2f} s; load average {load:.1f} on {os.cpu_count()} cores), "
          f"{counter.count} queries, 0 writes; eligible {result.eligible.count:,}, ineligible "
          f"{result.ineligible.count:,}, newly eligible {result.newly_eligible.count:,}", flush=True)


def measure_recompute(store, roots, n):
    from django.db import connection
    from django.db.models import F

    from saleor_amazon_channel.listings import sync
    from saleor_amazon_channel.listings.models import Listing
    from saleor_amazon_channel.rules.models import PriceRule

    started = time.perf_counter()
    first = sync.scan(store)
    print(f"first scan (listings created): {time.perf_counter() - started:.1f} s, {first.scanned:,} variants",
          flush=True)
    # As after a first sync: every offer on Amazon at the price it accepted, with what the engine writes on
    # acceptance (sync._record: no operation left, priority 1) and the state a read-back gives it.
    Listing.objects.filter(store=store).update(
        on_amazon=True, asin="B000000000", product_type="PRODUCT", accepted_price=F("desired_price"),
        accepted_quantity=F("desired_quantity"), accepted_handling_time=F("desired_handling_time"),
        accepted_version=F("desired_version"), desired_operation="", priority=1, amazon_status=["BUYABLE"],
        state_reason="",
        state="ACTIVE")
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started, started_cpu = time.perf_counter(), time.process_time()
        PriceRule.objects.create(store=store, name="Amazon fees", action="INCREASE", amount_type="PERCENTAGE",
                                 amount=Decimal(15), rounding="UP", conditions={"category": {"oneOf": [roots[0].pk]}})
        result = sync.scan(store)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    changed_prices = Listing.objects.filter(store=store).exclude(desired_price=F("accepted_price")).count()
    queued = Listing.objects.filter(store=store, desired_operation__in=["put", "patch", "delete"]).count()
    assert queued == changed_prices, (queued, changed_prices)
    print(f"re-computing {result.scanned:,} desired offers after a rule change: {elapsed:.1f} s wall "
          f"(this process's CPU {cpu:.1f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores), "
          f"{counter.count:,} queries ({counter.count / (n / sync.READ_BATCH):.1f} per batch of {sync.READ_BATCH}); "
          f"prices changed {changed_prices:,} = Amazon operations queued {queued:,} "
          f"(unchanged offers: {n - queued:,}, nothing sent for them)", flush=True)


def stored_store(n):
    """The store and root categories a previous run populated (``--preview-only``); None when not there."""
    from saleor_amazon_channel.stores.models import AmazonStore
    from tests.standin.product.models import Category

    store = AmazonStore.objects.filter(name="Bench rules").first()
    roots = list(Category.objects.filter(slug__startswith="root-").order_by("pk"))
    if store is None or len(roots) < 2:
        return None
    return store, roots


def main(n, preview_only=False):
    setup_django()
    import logging

    logging.getLogger("saleor_amazon_channel").setLevel(logging.ERROR)
    stored = stored_store(n) if preview_only else None
    if stored is not None:
        measure_preview(*stored, n)
        return
    reset()
    started = time.perf_counter()
    store, roots, leaves = populate(n)
    print(f"{n:,} variants populated in {time.perf_counter() - started:.0f} s", flush=True)
    measure_preview(store, roots, n)
    if preview_only:
        return  # kept for the next --preview-only run
    measure_recompute(store, roots, n)
    reset()


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(arguments[0]) if arguments else 10_000, preview_only="--preview-only" in sys.argv)
