"""Listings sync: Amazon's usage plans as the bound, then the scan's own cost with nothing changed.

1. **First listing, one by one** (the emulator enforces putListingsItem's plan, 5/s burst 10): N matched
   variants listed with their price and stock; time until every offer is ACCEPTED (and read back), calls
   per operation, requests refused for rate (429).
2. **First listing as one JSON_LISTINGS_FEED** (the engine told feeds are instant): the same N variants on a
   fresh seller; time until the feed is DONE and every offer read back, calls per operation.
3. **The scan with nothing changed** over M variants: time, SQL queries per read batch (constant), and
   Amazon calls (0).

The emulator serves real loopback HTTP from a forked process; the sync runs in this process exactly as the
Celery task does (``sync.execute``), in real time. The engine's own choice between the two, and changes made in
Saleor, are measured on an emulated clock by bench_listing_changes.py; convergence under faults by
bench_listing_faults.py. Usage: ``python bench/bench_listings.py [--listed N] [--scanned M]``
(defaults 200 and 10000; 0 skips a part).
"""

import argparse
import logging
import os
import secrets
import time

import requests

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/amazon_channel_bench_listings")
os.environ.pop("CELERY_BROKER_URL", None)

from _setup import activate_plugin, free_port, serve_in_child, setup_django  # noqa: E402
from bench_catalog import QueryCounter, populate  # noqa: E402

US = "ATVPDKIKX0DER"


def reset():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE saleor_amazon_channel_listing, saleor_amazon_channel_listingfeed, "
            "saleor_amazon_channel_listingsync, saleor_amazon_channel_listingsettings, "
            "saleor_amazon_channel_listingstorestate, saleor_amazon_channel_producttyperequirements, "
            "saleor_amazon_channel_catalogmatch, saleor_amazon_channel_catalogmatchbatch, "
            "saleor_amazon_channel_catalogmatchrun, saleor_amazon_channel_ratebucket, "
            "saleor_amazon_channel_amazonstoreevent, saleor_amazon_channel_pendingconnection, "
            "saleor_amazon_channel_amazonstore, saleor_amazon_channel_sellerauthorization, "
            "warehouse_allocation, warehouse_stock, warehouse_channelwarehouse, warehouse_warehouse, "
            "attribute_assignedvariantattributevalue, attribute_assignedvariantattribute, attribute_attributevariant, "
            "attribute_assignedproductattributevalue, attribute_attributeproduct, attribute_attributevalue, "
            "product_productvariantchannellisting, product_productvariant, product_product, product_producttype, "
            "channel_channel "
            "RESTART IDENTITY CASCADE"
        )


def store_for(emu, channel, seller_id):
    from amazon_emulator.state import Authorization
    from saleor_amazon_channel.authorizations.models import SellerAuthorization
    from saleor_amazon_channel.stores.models import AmazonStore
    from tests.fixtures import APPLICATION_ID

    token = "Atzr|" + secrets.token_urlsafe(48)
    emu.add_seller(f"{seller_id.lower()}@example.com", "pw", seller_id, "NA", {US: True})
    # Before the emulator forks: the child serves what the parent registered.
    emu.state.authorizations[token] = Authorization(token, APPLICATION_ID, seller_id, time.time())
    authorization = SellerAuthorization(selling_partner_id=seller_id, region="NA")
    authorization.renew(token)
    authorization.save()
    return AmazonStore.objects.create(
        name=f"Bench store {seller_id}", contact_email="bench@example.com", channel=channel, marketplace_id=US,
        product_id_type="EAN", product_id_source="attribute", product_id_attribute="ean", authorization=authorization,
    )


def known_asins(emu, n):
    """n ASINs the emulator's seeded catalog knows, with their product types (what a catalog match records)."""
    from amazon_emulator.catalog import CatalogItems, seeded_count

    items = CatalogItems(emu.state, lambda: "")
    found, k = [], 0
    while len(found) < n:
        k += 1
        asin = f"B{k:09d}"
        if seeded_count("ASIN", asin) == 1:
            found.append((asin, items.lookup("ASIN", asin, US, None)[0]["productTypes"][0]["productType"]))
    return found


def stock_and_matches(store, channel, asins):
    """A warehouse with stock for every variant of the channel, and a MATCHED result for each."""
    from saleor_amazon_channel.catalog.models import CatalogMatch
    from saleor_amazon_channel.catalog.planning import mapping_key
    from tests.standin.product.models import ProductVariantChannelListing
    from tests.standin.warehouse.models import ChannelWarehouse, Stock, Warehouse

    warehouse = Warehouse.objects.create(name=f"Bench {store.pk}", slug=f"bench-{store.pk}")
    ChannelWarehouse.objects.create(channel=channel, warehouse=warehouse)
    ids = list(ProductVariantChannelListing.objects.filter(channel=channel).order_by("variant_id")
               .values_list("variant_id", flat=True))
    Stock.objects.bulk_create([Stock(warehouse=warehouse, product_variant_id=pk, quantity=5 + pk % 7) for pk in ids],
                              batch_size=5000)
    if asins:
        CatalogMatch.objects.bulk_create([
            CatalogMatch(store=store, variant_id=pk, mapping=mapping_key(store), status="MATCHED", asin=asin,
                         asins=[asin], product_type=product_type, name=f"#{pk}")
            for pk, (asin, product_type) in zip(ids, asins, strict=False)
        ], batch_size=5000)
    return ids


def counters(url):
    return requests.get(url + "/_emulator/operation-calls", timeout=60).json()


def calls_of(before, after, seller):
    mine_before = before.get("calls_by_seller", {}).get(seller, {})
    mine_after = after.get("calls_by_seller", {}).get(seller, {})
    return {op: n - mine_before.get(op, 0) for op, n in sorted(mine_after.items()) if n - mine_before.get(op, 0)}


def sync_to_end(store):
    from saleor_amazon_channel.listings import sync
    from saleor_amazon_channel.listings.models import ListingSync

    run = ListingSync.objects.create(store=store, phase=ListingSync.Phase.SCAN, actor="bench")
    while True:
        outcome = sync.execute(run.pk)
        if outcome.finished:
            break
        time.sleep(min(outcome.wait or 0, 1.0))
    return ListingSync.objects.get(pk=run.pk)


def first_listing(url, store, n, label, feed):
    from django.conf import settings
    from django.db.models import Count

    from saleor_amazon_channel.listings.models import Listing

    seller = store.authorization.selling_partner_id
    # A fresh store has no feed of its own: the setting is the turnaround the engine expects (0: a feed, always).
    settings.AMAZON_CHANNEL_LISTINGS_FEED_TURNAROUND = 0 if feed else 10**9
    before = counters(url)
    started = time.perf_counter()
    run = sync_to_end(store)
    elapsed = time.perf_counter() - started
    after = counters(url)
    states = dict(Listing.objects.filter(store=store).values_list("state").annotate(n=Count("pk")).order_by())
    calls = calls_of(before, after, seller)
    refused = {op: count - before.get("throttled", {}).get(op, 0) for op, count in after.get("throttled", {}).items()
               if count - before.get("throttled", {}).get(op, 0)}
    print(f"{label}: {n} offers in {elapsed:.1f} s ({run.status}); listings per state {states}; "
          f"calls {calls}; refused for rate {refused or 0}", flush=True)


def scan_unchanged(store, n):
    from django.db import connection

    from saleor_amazon_channel.listings import sync

    sync.scan(store)  # the first scan writes the listings
    counter = QueryCounter()
    started, started_cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(counter):
        result = sync.scan(store)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    batches = -(-n // sync.READ_BATCH)
    print(f"scan, nothing changed: {result.scanned:,} variants in {elapsed:.2f} s wall (this process's CPU "
          f"{cpu:.1f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores) "
          f"({elapsed / max(1, result.scanned) * 1e6:.0f} µs/variant), {result.changed} changed, "
          f"{counter.count} queries ({counter.count / batches:.1f} per read batch of {sync.READ_BATCH}), "
          f"0 Amazon calls (the scan makes none)", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listed", type=int, default=200)
    parser.add_argument("--scanned", type=int, default=10_000)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    setup_django()
    from django.conf import settings

    from amazon_emulator import Emulator
    from tests.amazon_fixtures import LOGIN_URI, REDIRECT_URI
    from tests.fixtures import APPLICATION_ID, CLIENT_ID, CLIENT_SECRET
    from tests.standin.channel.models import Channel

    reset()
    activate_plugin()
    settings.AMAZON_CHANNEL_LISTINGS_VERIFY_DELAY = 0
    emu = Emulator(port=free_port())
    emu.register_app(APPLICATION_ID, CLIENT_ID, CLIENT_SECRET, [REDIRECT_URI], login_uri=LOGIN_URI, draft=False)
    emu.selling.configure(live_delay=0, report_delays=[0, 0], feed_delays=[1, 1])
    url = f"http://127.0.0.1:{emu.port}"
    for name in ("AMAZON_CHANNEL_SELLER_CENTRAL_URL", "AMAZON_CHANNEL_SP_API_URL"):
        setattr(settings, name, url)
    settings.AMAZON_CHANNEL_LWA_TOKEN_URL = url + "/auth/o2/token"
    # One channel for every part: the listing stores have catalog matches for their first N variants only.
    total = max(args.listed, args.scanned)
    channel = Channel.objects.create(name="Bench", slug="bench", currency_code="USD")
    populate(total, channel)
    asins = known_asins(emu, args.listed)
    puts = store_for(emu, channel, "A1BENCHPUTS")
    feed = store_for(emu, channel, "A2BENCHFEED")
    scanned = store_for(emu, channel, "A3BENCHSCAN")
    stock_and_matches(puts, channel, asins)
    from saleor_amazon_channel.catalog.models import CatalogMatch
    from saleor_amazon_channel.catalog.planning import mapping_key

    for store in (feed,):
        CatalogMatch.objects.bulk_create([
            CatalogMatch(store=store, variant_id=m.variant_id, mapping=mapping_key(store), status="MATCHED",
                         asin=m.asin, asins=m.asins, product_type=m.product_type, name=m.name)
            for m in CatalogMatch.objects.filter(store=puts)
        ])
    child = serve_in_child(emu, "/_emulator/state")
    try:
        if args.listed:
            first_listing(url, puts, args.listed, "one by one (putListingsItem)", feed=False)
            first_listing(url, feed, args.listed, "one JSON_LISTINGS_FEED", feed=True)
        if args.scanned:
            scan_unchanged(scanned, total)
    finally:
        child.terminate()


if __name__ == "__main__":
    main()
