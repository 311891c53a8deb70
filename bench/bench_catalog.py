"""Catalog match: Amazon's usage plan as the bound, then the plugin's own cost at 100,000 variants.

1. **Amazon's plan enforced** (the emulator refuses past 2 requests/s, burst 2, per seller):
   10,000 variants with valid EANs listed in the store's channel (500 searchCatalogItems
   calls of 20). The bound is 20 x 2 = 40 variants/s, i.e. 250 s; the issue asks for
   <= 263 s (within 5%) with no request refused for rate (429).
2. **Nothing changed**: the same store matched again; zero Amazon calls.
3. **Limit lifted** (emulator without throttling, the plugin's pace raised to match):
   100,000 variants. Reported: the plugin's own time per variant (wall time minus the
   time spent inside the HTTP calls to Amazon and in pacing waits), SQL queries per
   lookup batch and per planning read batch (constant), and memory along the run:
   RSS, and in a second pass (every result made stale) the Python heap traced by
   tracemalloc, sampled every tenth of the batches.

The emulator serves real loopback HTTP from a forked process (its own GIL); the run
executes in this process exactly as the Celery task does (``tasks.execute``).
Usage: ``python bench/bench_catalog.py [--enforced N] [--lifted N]`` (defaults 10000, 100000;
0 skips a part).
"""

import argparse
import logging
import os
import secrets
import time
import tracemalloc

import requests

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/amazon_channel_bench_catalog")
os.environ.pop("CELERY_BROKER_URL", None)

from _setup import activate_plugin, free_port, serve_in_child, setup_django  # noqa: E402

SELLER_ID = "A1BENCHCATALOG"
CHUNK = 5_000
BOUND_SECONDS = 263


def ean13(n: int) -> str:
    body = f"{400000000000 + n:012d}"
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(reversed(body), start=1))
    return body + str((10 - total % 10) % 10)


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0





def emulator_counters(url) -> dict:
    return requests.get(url + "/_emulator/state", timeout=60).json()["counters"]


def reset():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE saleor_amazon_channel_catalogmatch, saleor_amazon_channel_catalogmatchbatch, "
            "saleor_amazon_channel_catalogmatchrun, saleor_amazon_channel_ratebucket, "
            "saleor_amazon_channel_amazonstoreevent, saleor_amazon_channel_pendingconnection, "
            "saleor_amazon_channel_amazonstore, saleor_amazon_channel_sellerauthorization, "
            "attribute_assignedvariantattributevalue, attribute_assignedvariantattribute, attribute_attributevariant, "
            "attribute_assignedproductattributevalue, attribute_attributeproduct, attribute_attributevalue, "
            "product_productvariantchannellisting, product_productvariant, product_product, product_producttype "
            "RESTART IDENTITY CASCADE"
        )


def populate(n, channel):
    """n variants listed in ``channel``, ten per product, each with a valid EAN on the ``ean`` attribute."""
    from django.db import connection

    from tests.standin.attribute.models import (
        AssignedVariantAttribute,
        AssignedVariantAttributeValue,
        Attribute,
        AttributeValue,
        AttributeVariant,
    )
    from tests.standin.product.models import Product, ProductType, ProductVariant, ProductVariantChannelListing

    ean, _ = Attribute.objects.get_or_create(slug="ean", defaults={"name": "EAN"})
    product_type = ProductType.objects.create(name="Bench")
    assignment = AttributeVariant.objects.create(attribute=ean, product_type=product_type)
    for start in range(0, n, CHUNK):
        stop = min(n, start + CHUNK)
        products = Product.objects.bulk_create(
            [
                Product(product_type=product_type, name=f"Bench product {i}", slug=f"bench-{i}")
                for i in range(start, stop, 10)
            ]
        )
        variants = ProductVariant.objects.bulk_create(
            [
                ProductVariant(product=products[(i - start) // 10], sku=f"BENCH-{i}", name=f"#{i}")
                for i in range(start, stop)
            ]
        )
        ProductVariantChannelListing.objects.bulk_create(
            [ProductVariantChannelListing(variant=v, channel=channel, currency="USD", price_amount=1) for v in variants]
        )
        values = AttributeValue.objects.bulk_create(
            [
                AttributeValue(attribute=ean, name=ean13(i), slug=f"ean-{i}", plain_text=ean13(i))
                for i in range(start, stop)
            ]
        )
        assigned = AssignedVariantAttribute.objects.bulk_create(
            [AssignedVariantAttribute(variant=v, assignment=assignment) for v in variants]
        )
        AssignedVariantAttributeValue.objects.bulk_create(
            [
                AssignedVariantAttributeValue(value=value, assignment=a, variant=v, sort_order=0)
                for v, a, value in zip(variants, assigned, values, strict=True)
            ]
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def connected_store(emu, channel):
    from amazon_emulator.state import Authorization
    from saleor_amazon_channel.authorizations.models import SellerAuthorization
    from saleor_amazon_channel.stores.models import AmazonStore
    from tests.fixtures import APPLICATION_ID

    token = "Atzr|" + secrets.token_urlsafe(48)
    emu.add_seller("bench@example.com", "pw", SELLER_ID, "NA", {"ATVPDKIKX0DER": True})
    emu.state.authorizations[token] = Authorization(token, APPLICATION_ID, SELLER_ID, time.time())
    authorization = SellerAuthorization(selling_partner_id=SELLER_ID, region="NA")
    authorization.renew(token)
    authorization.save()
    return AmazonStore.objects.create(
        name="Bench store", contact_email="bench@example.com", channel=channel, marketplace_id="ATVPDKIKX0DER",
        product_id_type="EAN", product_id_source="attribute", product_id_attribute="ean", authorization=authorization,
    )


class Probe:
    """Time inside Amazon calls and pacing waits; batches done; memory samples along the run."""

    def __init__(self, expected_batches, traced=False):
        from saleor_amazon_channel.amazon import catalog as amazon_catalog
        from saleor_amazon_channel.catalog import storage

        self.http = self.waited = 0.0
        self.batches = 0
        self.every = max(1, expected_batches // 10)
        self.samples = []
        self.traced = traced
        self._search, self._commit = amazon_catalog.search_page, storage.commit
        probe = self

        def search(*args, **kwargs):
            started = time.perf_counter()
            try:
                return probe._search(*args, **kwargs)
            finally:
                probe.http += time.perf_counter() - started

        def commit(*args, **kwargs):
            done = probe._commit(*args, **kwargs)
            probe.batches += 1
            if probe.batches % probe.every == 0:
                heap = tracemalloc.get_traced_memory()[0] / 2**20 if probe.traced else None
                probe.samples.append((probe.batches, rss_mb(), heap))
            return done

        amazon_catalog.search_page, storage.commit = search, commit

    def sleep(self, seconds):
        self.waited += seconds
        time.sleep(seconds)

    def restore(self):
        from saleor_amazon_channel.amazon import catalog as amazon_catalog
        from saleor_amazon_channel.catalog import storage

        amazon_catalog.search_page, storage.commit = self._search, self._commit


def match(store, url, n, label, traced=False):
    """Start, plan and execute one run; print its figures; return them."""
    from django.db import connection

    from saleor_amazon_channel.catalog import planning as catalog_planning
    from saleor_amazon_channel.catalog import tasks
    from saleor_amazon_channel.catalog.models import CatalogMatchRun

    before = emulator_counters(url)
    probe = Probe(n // 20, traced)
    planning, lookups = QueryCounter(), QueryCounter()
    started = time.perf_counter()
    # Created as start_run does, without queuing the task: this process plays the worker.
    run = CatalogMatchRun.objects.create(store=store, actor="bench")
    with connection.execute_wrapper(planning):
        catalog_planning.plan(run.pk)
    planned = time.perf_counter()
    try:
        with connection.execute_wrapper(lookups):
            # One slice as long as the run: the task's hand-over between slices is not what is measured.
            outcome = tasks.execute(run.pk, sleep=probe.sleep, slice_seconds=float("inf"))
            while outcome.wait is not None:  # Amazon's pace asked for more than a worker sleeps
                probe.sleep(outcome.wait)
                outcome = tasks.execute(run.pk, sleep=probe.sleep, slice_seconds=float("inf"))
    finally:
        probe.restore()
    elapsed = time.perf_counter() - started
    after = emulator_counters(url)
    run = CatalogMatchRun.objects.get(pk=run.pk)
    assert outcome.finished and run.status == "SUCCEEDED" and run.done == n, (outcome, run.status, run.done)
    calls = after["catalog_calls"].get(SELLER_ID, 0) - before["catalog_calls"].get(SELLER_ID, 0)
    refused = after["throttled"].get("catalog", 0) - before["throttled"].get("catalog", 0)
    ours = elapsed - probe.http - probe.waited
    read_batches = -(-n // catalog_planning.READ_BATCH)
    print(
        f"{label}: {n:,} variants in {elapsed:.1f} s (planning {planned - started:.1f} s); "
        f"{calls} Amazon calls, {refused} refused for rate (429); "
        f"in Amazon calls {probe.http:.1f} s, pacing waits {probe.waited:.1f} s, plugin's own {ours:.1f} s = "
        f"{ours / n * 1e6:.0f} µs/variant; queries: planning {planning.count} "
        f"({planning.count / read_batches:.1f} per read batch of {catalog_planning.READ_BATCH}), "
        f"lookups {lookups.count} "
        f"({lookups.count / max(1, probe.batches):.2f} per batch of 20)",
        flush=True,
    )
    if probe.samples:
        kind = "traced heap MB" if traced else "RSS MB"
        points = ", ".join(
            f"{b}: {heap:.1f}" if traced else f"{b}: {rss:.0f}" for b, rss, heap in probe.samples
        )
        print(f"  {kind} after N batches: {points}", flush=True)
    return {"elapsed": elapsed, "calls": calls, "refused": refused, "ours": ours, "batches": probe.batches,
            "lookup_queries": lookups.count, "samples": probe.samples}


def part(n, rate_limited, settings_overrides):
    from django.conf import settings
    from django.core.cache import cache

    from amazon_emulator import Emulator
    from tests.amazon_fixtures import LOGIN_URI, REDIRECT_URI
    from tests.fixtures import APPLICATION_ID, CLIENT_ID, CLIENT_SECRET
    from tests.standin.channel.models import Channel

    reset()
    cache.clear()
    for name, value in settings_overrides.items():
        setattr(settings, name, value)
    channel, _ = Channel.objects.get_or_create(slug="bench", defaults={"name": "Bench", "currency_code": "USD"})
    started = time.perf_counter()
    populate(n, channel)
    print(f"(loaded {n:,} variants in {time.perf_counter() - started:.0f} s)", flush=True)
    emu = Emulator(port=free_port(), rate_limit=rate_limited)
    emu.register_app(APPLICATION_ID, CLIENT_ID, CLIENT_SECRET, [REDIRECT_URI], login_uri=LOGIN_URI)
    url = f"http://127.0.0.1:{emu.port}"
    settings.AMAZON_CHANNEL_LWA_TOKEN_URL = url + "/auth/o2/token"
    settings.AMAZON_CHANNEL_SP_API_URL = url
    store = connected_store(emu, channel)
    child = serve_in_child(emu, "/_emulator/state")
    try:
        yield store, url
    finally:
        child.kill()
        child.join()


def main(enforced, lifted):
    setup_django()
    import tests.standin.celery  # noqa: F401

    logging.getLogger("saleor_amazon_channel").setLevel(logging.ERROR)
    activate_plugin()
    ok = True
    if enforced:
        for store, url in part(
            enforced, True, {"AMAZON_CHANNEL_CATALOG_RATE": 2.0, "AMAZON_CHANNEL_CATALOG_MAX_AGE_DAYS": 7}
        ):
            first = match(store, url, enforced, "Amazon's plan enforced")
            verdict = first["elapsed"] <= BOUND_SECONDS * enforced / 10_000 and first["refused"] == 0
            print(
                f"  bound {BOUND_SECONDS * enforced / 10_000:.0f} s, no 429: {'MET' if verdict else 'NOT MET'}",
                flush=True,
            )
            second = match(store, url, enforced, "second run, nothing changed")
            print(f"  zero Amazon calls: {'MET' if second['calls'] == 0 else 'NOT MET'}", flush=True)
            ok &= verdict and second["calls"] == 0
    if lifted:
        # The plugin's pace raised with the emulator's limit lifted (a seller with a bigger plan).
        for store, url in part(lifted, False, {"AMAZON_CHANNEL_CATALOG_RATE": 100_000.0}):
            match(store, url, lifted, "limit lifted")
            from django.conf import settings

            settings.AMAZON_CHANNEL_CATALOG_MAX_AGE_DAYS = 0  # every result stale: all looked up again
            tracemalloc.start(1)
            try:
                match(store, url, lifted, "limit lifted, all stale, heap traced", traced=True)
            finally:
                tracemalloc.stop()
                settings.AMAZON_CHANNEL_CATALOG_MAX_AGE_DAYS = 7
            second = match(store, url, lifted, "second run, nothing changed")
            ok &= second["calls"] == 0
    reset()
    return ok


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--enforced", type=int, default=10_000)
    parser.add_argument("--lifted", type=int, default=100_000)
    args = parser.parse_args()
    raise SystemExit(0 if main(args.enforced, args.lifted) else 1)
