"""Listings: convergence under faults (issue 18's "Speed and correctness"), against the emulator over real HTTP.

N matched variants (``--listed``, 300 by default: a few minutes at Amazon's 5 requests a second) are listed, then
changed in Saleor (``--changed`` price changes and as many stock changes, half of them decreases), while Amazon
misbehaves:

- the first listing's JSON_LISTINGS_FEED ends FATAL (the engine is told feeds are instant, so it tries one);
- 429s (refused for rate) and 503s on putListingsItem and patchListingsItem, 503s on getListingsItem;
- in each of the two runs, the worker process is killed with SIGKILL in the middle of its sends (after a third of
  them), and the run is finished by another worker once the dead one's claims expire (lease 3 s).

Afterwards: Amazon's offers (the emulator's state) are compared with Saleor's desired offers (a final scan of
Saleor's data finds nothing to change), SKU by SKU: price and quantity equal for 100 % of SKUs; and no SKU was sent
twice for one desired version (the emulator counts the offer versions it accepted per SKU: never more than the
listing's desired versions). Calls per operation and the faults met are printed.

Usage: ``python bench/bench_listing_faults.py [--listed 300] [--changed 60]``. Real time (no emulated clock: the
killed worker is a process of its own).
"""

import argparse
import logging
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal

import requests

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/amazon_channel_bench_listing_faults")
os.environ.pop("CELERY_BROKER_URL", None)

from _setup import activate_plugin, free_port, serve_in_child, setup_django  # noqa: E402
from bench_catalog import populate  # noqa: E402
from bench_listings import calls_of, counters, known_asins, reset, stock_and_matches, store_for  # noqa: E402

SELLER = "A1BENCHFAULTS"
LEASE = 3.0


def configure(url, turnaround):
    from django.conf import settings

    for name in ("AMAZON_CHANNEL_SELLER_CENTRAL_URL", "AMAZON_CHANNEL_SP_API_URL"):
        setattr(settings, name, url)
    settings.AMAZON_CHANNEL_LWA_TOKEN_URL = url + "/auth/o2/token"
    settings.AMAZON_CHANNEL_LISTINGS_VERIFY_DELAY = 0
    settings.AMAZON_CHANNEL_LISTINGS_LEASE = LEASE
    settings.AMAZON_CHANNEL_LISTINGS_FEED_TURNAROUND = turnaround


def worker_main(run_id, url, turnaround):
    """A worker process: the run until it finishes (or is killed)."""
    logging.disable(logging.WARNING)
    setup_django()
    configure(url, turnaround)
    drive(run_id)


def drive(run_id):
    from saleor_amazon_channel.listings import sync

    for _ in range(100_000):
        outcome = sync.execute(run_id)
        if outcome.finished:
            return
        time.sleep(min(outcome.wait or 0, 1.0))


def emulator(url, method, path, body=None, **query):
    answer = requests.request(method, url + "/_emulator" + path, json=body, params=query, timeout=60)
    answer.raise_for_status()
    return answer.json()


def run_with_a_killed_worker(url, store, operation, kill_after, turnaround):
    """A run started in a worker process killed after ``kill_after`` requests of ``operation``, finished here."""
    from saleor_amazon_channel.listings.models import ListingSync

    run = ListingSync.objects.create(store=store, phase=ListingSync.Phase.SCAN, actor="bench")
    before = emulator(url, "GET", "/operation-calls")["calls_by_seller"].get(SELLER, {}).get(operation, 0)
    worker = subprocess.Popen([sys.executable, __file__, "--worker", str(run.pk), url, str(turnaround)],
                              cwd=os.path.dirname(os.path.abspath(__file__)))
    killed = False
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline and worker.poll() is None:
        sent = emulator(url, "GET", "/operation-calls")["calls_by_seller"].get(SELLER, {}).get(operation, 0)
        if sent - before >= kill_after:
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
            killed = True
            break
        time.sleep(0.1)
    if not killed:
        worker.kill()
        worker.wait(10)
    time.sleep(LEASE + 0.5)  # the dead worker's claims run out; another worker (this process) takes the run over
    drive(run.pk)
    run.refresh_from_db()
    return run, killed


def change_in_saleor(store, channel, changed):
    from saleor_amazon_channel.listings.models import Listing
    from tests.standin.product.models import ProductVariantChannelListing
    from tests.standin.warehouse.models import Stock

    ids = list(Listing.objects.filter(store=store).order_by("variant_id").values_list("variant_id", flat=True))
    step = max(1, len(ids) // (2 * changed))
    chosen = ids[::step][:2 * changed]
    for n, variant_id in enumerate(chosen[:changed]):
        ProductVariantChannelListing.objects.filter(variant_id=variant_id, channel=channel).update(
            price_amount=Decimal("1.50") if n % 2 else Decimal("0.80"))
    for n, variant_id in enumerate(chosen[changed:]):
        stock = Stock.objects.get(product_variant_id=variant_id)
        stock.quantity = 0 if n % 4 == 0 else (stock.quantity - 2 if n % 2 == 0 else stock.quantity + 4)
        stock.save(update_fields=["quantity"])


def compare(url, store):
    """(SKUs whose Amazon offer differs from Saleor's desired one, SKUs Amazon accepted more versions of than the
    listing had, SKUs, what a final scan changed)."""
    from saleor_amazon_channel.listings import sync
    from saleor_amazon_channel.listings.models import Listing

    rescan = sync.scan(store)  # Saleor's desired offers now: nothing may be left to change
    offers = {o["sku"]: o for o in emulator(url, "GET", "/offers", selling_partner_id=SELLER)["offers"]}
    writes = emulator(url, "GET", "/offer-writes", selling_partner_id=SELLER)["writes"]
    differ, twice, total = [], [], 0
    for sku, price, quantity, version in Listing.objects.filter(store=store, variant__isnull=False).values_list(
            "seller_sku", "desired_price", "desired_quantity", "desired_version"):
        total += 1
        offer = offers.get(sku)
        if offer is None or Decimal(offer["price"]) != price or offer["quantity"] != quantity:
            differ.append((sku, str(price), quantity, offer and (offer["price"], offer["quantity"])))
        if writes.get(sku, 0) > version:
            twice.append((sku, writes.get(sku), version))
    return differ, twice, total, rescan.changed, sync.pending(store.pk).count()


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker_main(int(sys.argv[2]), sys.argv[3], float(sys.argv[4]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--listed", type=int, default=300)
    parser.add_argument("--changed", type=int, default=60)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    setup_django()
    from amazon_emulator import Emulator
    from saleor_amazon_channel.listings.models import ListingFeed
    from tests.amazon_fixtures import LOGIN_URI, REDIRECT_URI
    from tests.fixtures import APPLICATION_ID, CLIENT_ID, CLIENT_SECRET
    from tests.standin.channel.models import Channel

    reset()
    activate_plugin()
    emu = Emulator(port=free_port())
    emu.register_app(APPLICATION_ID, CLIENT_ID, CLIENT_SECRET, [REDIRECT_URI], login_uri=LOGIN_URI, draft=False)
    emu.selling.configure(live_delay=0, report_delays=[0, 0], feed_delays=[1, 1])
    url = f"http://127.0.0.1:{emu.port}"
    channel = Channel.objects.create(name="Bench", slug="bench", currency_code="USD")
    populate(args.listed, channel)
    asins = known_asins(emu, args.listed)
    store = store_for(emu, channel, SELLER)
    stock_and_matches(store, channel, asins)
    child = serve_in_child(emu, "/_emulator/state")
    try:
        configure(url, 0)
        started = time.perf_counter()
        before = counters(url)
        # First listing: the engine believes feeds are instant, so it sends one; it ends FATAL.
        emulator(url, "POST", "/feeds/fatal", {"count": 1})
        for operation, status, count in (("putListingsItem", 429, 5), ("putListingsItem", 503, 5),
                                         ("getListingsItem", 503, 3)):
            emulator(url, "POST", "/operation-faults", {"operation": operation, "status": status, "count": count})
        first, killed_first = run_with_a_killed_worker(url, store, "putListingsItem", args.listed // 3, 0)
        feeds = list(ListingFeed.objects.filter(store=store).values_list("status", flat=True))
        # Changes in Saleor, sent one by one (feeds expected slow again), under 429s and 503s, a worker killed.
        change_in_saleor(store, channel, args.changed)
        for operation, status, count in (("patchListingsItem", 429, 5), ("patchListingsItem", 503, 5),
                                         ("getListingsItem", 503, 3)):
            emulator(url, "POST", "/operation-faults", {"operation": operation, "status": status, "count": count})
        configure(url, 1800)
        second, killed_second = run_with_a_killed_worker(url, store, "patchListingsItem", args.changed // 2, 1800)
        elapsed = time.perf_counter() - started
        after = counters(url)
        differ, twice, total, rescanned, pending = compare(url, store)
        refused = {op: n - before.get("throttled", {}).get(op, 0) for op, n in after.get("throttled", {}).items()
                   if n - before.get("throttled", {}).get(op, 0)}
        print(f"faults: {total} SKUs, first listing (feeds {feeds}, worker killed: {killed_first}, run "
              f"{first.status} {first.last_error_code or ''}), then {args.changed} price + {args.changed} stock "
              f"changes (worker killed: {killed_second}, run {second.status}); injected: a FATAL feed, 10 429s and "
              f"10 503s on put/patch, 6 503s on getListingsItem; {elapsed:.0f} s wall")
        print(f"  Amazon's offer equals Saleor's desired offer for {total - len(differ)}/{total} SKUs "
              f"({100 * (total - len(differ)) / max(1, total):.1f} %); a final scan changed {rescanned}, "
              f"{pending} left to send; SKUs Amazon accepted more versions of than were desired: {len(twice)}"
              f"{' ' + str(twice[:5]) if twice else ''}{'; differ: ' + str(differ[:5]) if differ else ''}")
        print(f"  calls {calls_of(before, after, SELLER)}; refused for rate beyond the injected ones "
              f"{refused or 0}", flush=True)
    finally:
        child.terminate()


if __name__ == "__main__":
    main()
