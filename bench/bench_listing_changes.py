"""Listings: the engine's choice between patches and a feed, on the emulated clock (issue 18's "Speed and correctness").

1. **First listing of N variants** (``--listed``, 10,000 by the issue) on fresh sellers, three ways: the engine's
   choice, one JSON_LISTINGS_FEED alone, one request each alone (``--alone feed,patches``; patches alone is
   N / 5 s of putListingsItem). Time until every offer is ACCEPTED, calls per operation, requests refused for rate.
2. **Changes made in Saleor**: on the engine's store (N offers listed), ``--prices`` price changes (half up, half
   down) and ``--stocks`` stock changes (half decreases, some to 0, half increases) are written in the stand-in
   host's tables at one moment, then a sync run starts (what Saleor's variant hooks and the beat's scan do). For
   each changed offer: the time from the change to ACCEPTED (p50/p95/max, against the issue's 2 minutes), calls per
   operation, refused for rate, and whether every quantity decrease was sent before any other change.

**Amazon's side.** The emulator serves real loopback HTTP from a forked process and enforces Amazon's usage plans
(putListingsItem 5/s burst 10, patchListingsItem 5/s burst 5, createFeed 0.0083/s burst 15, getFeed 2/s …) on its
clock. A feed stays IN_QUEUE then IN_PROGRESS for ``--feed-seconds`` in all (half each): Amazon's own take minutes to
hours (about half an hour lately, even tiny ones); the emulator's default is 2 s.

**The emulated clock** (as bench_orders.py): the emulator's clock is the wall clock plus an offset it moves forward
on request; our side reads the same (``django.utils.timezone.now`` and the pacing's ``time.time``). Every wait
the engine would sleep (a pacing slot, a feed's processing, a retry) moves the clock on instead; everything else is
real time (HTTP, PostgreSQL, our code), so a time measured here is never shorter than a real run on this machine
would take. Login with Amazon's access tokens are cached for an hour of real time while the emulator expires them
after an hour of its clock: past an emulated hour a request meets one 403 and is sent again with a new token (a
call counted twice, never a version accepted twice: the emulator's count of accepted versions per SKU says so).
Read-backs (getListingsItem after ACCEPTED) are left out: ACCEPTED is what is measured.

Usage: ``python bench/bench_listing_changes.py [--listed 2000] [--prices 500] [--stocks 500] [--feed-seconds 2]
[--alone feed]`` (``--alone feed,patches``: patches alone too; the issue's size is ``--listed 10000``, about 4
minutes of real work here, 12 with patches alone).
"""

import argparse
import logging
import os
import time
from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace

import requests

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/amazon_channel_bench_listing_changes")
os.environ.pop("CELERY_BROKER_URL", None)

from _setup import activate_plugin, free_port, serve_in_child, setup_django  # noqa: E402
from bench_catalog import populate  # noqa: E402
from bench_listings import calls_of, counters, known_asins, reset, stock_and_matches, store_for  # noqa: E402

_real_time = time.time
OFFSET = 0.0
URL = ""


def vnow() -> float:
    return _real_time() + OFFSET


def advance(seconds: float) -> None:
    """Move the emulated clock on (ours follows) instead of sleeping."""
    global OFFSET
    if seconds > 0:
        answer = requests.post(URL + "/_emulator/clock", json={"seconds": seconds}, timeout=60)
        answer.raise_for_status()
        OFFSET = answer.json()["clock_offset"]


def install_clock() -> None:
    from django.utils import timezone

    from saleor_amazon_channel.catalog import pacing

    timezone.now = lambda: datetime.fromtimestamp(vnow(), UTC)
    pacing.time = SimpleNamespace(time=vnow, sleep=time.sleep)  # type: ignore[attr-defined]


def copy_matches(source, targets):
    from saleor_amazon_channel.catalog.models import CatalogMatch
    from saleor_amazon_channel.catalog.planning import mapping_key

    rows = list(CatalogMatch.objects.filter(store=source))
    for store in targets:
        CatalogMatch.objects.bulk_create([
            CatalogMatch(store=store, variant_id=m.variant_id, mapping=mapping_key(store), status="MATCHED",
                         asin=m.asin, asins=m.asins, product_type=m.product_type, name=m.name)
            for m in rows
        ], batch_size=5000)


def not_accepted(store) -> int:
    from saleor_amazon_channel.listings import sync

    return sync.pending(store.pk).count()


def run_until_accepted(store):
    """A sync run driven on the emulated clock until nothing is left to send (read-backs not waited for)."""
    from saleor_amazon_channel.listings import sync
    from saleor_amazon_channel.listings.models import Listing, ListingSync

    run = ListingSync.objects.create(store=store, phase=ListingSync.Phase.SCAN, actor="bench")
    for _ in range(100_000):
        outcome = sync.execute(run.pk, sleep=advance)
        if outcome.finished or (ListingSync.objects.get(pk=run.pk).phase in ("send", "verify")
                                and not not_accepted(store)):
            break
        advance(outcome.wait or 0)
    # Done with this run: its read-backs are not part of what is measured.
    ListingSync.objects.filter(pk=run.pk, status__in=["PENDING", "RUNNING"]).update(status="SUCCEEDED")
    Listing.objects.filter(store=store).update(verify_after=None)
    return ListingSync.objects.get(pk=run.pk)


def refused(before, after):
    return {op: n - before.get("throttled", {}).get(op, 0) for op, n in after.get("throttled", {}).items()
            if n - before.get("throttled", {}).get(op, 0)} or 0


def offer_writes(seller):
    """SKU -> offer versions Amazon accepted for this seller (putListingsItem, patchListingsItem, feed messages)."""
    answer = requests.get(URL + "/_emulator/offer-writes", params={"selling_partner_id": seller}, timeout=60)
    answer.raise_for_status()
    return answer.json()["writes"]


def first_listing(store, label, turnaround=None):
    from django.conf import settings

    seller = store.authorization.selling_partner_id
    if turnaround is None:
        settings.AMAZON_CHANNEL_LISTINGS_FEED_TURNAROUND = DEFAULT_TURNAROUND
    else:
        settings.AMAZON_CHANNEL_LISTINGS_FEED_TURNAROUND = turnaround
    before = counters(URL)
    started, started_real = vnow(), time.perf_counter()
    run = run_until_accepted(store)
    elapsed, real = vnow() - started, time.perf_counter() - started_real
    after = counters(URL)
    settings.AMAZON_CHANNEL_LISTINGS_FEED_TURNAROUND = DEFAULT_TURNAROUND
    print(f"first listing, {label}: {run.scanned:,} variants, all ACCEPTED after {elapsed:,.0f} s "
          f"(emulated clock; {real:.0f} s of it real work), {not_accepted(store)} left; "
          f"calls {calls_of(before, after, seller)}; refused for rate {refused(before, after)}", flush=True)
    return elapsed


def change_in_saleor(store, channel, prices, stocks):
    """Write the changes in the stand-in host's tables (price: channel listing; stock: warehouse stock) at one
    moment; returns {variant id: "decrease" | "increase" | "price"} and the moment."""
    from django.db import transaction

    from saleor_amazon_channel.listings.models import Listing
    from tests.standin.product.models import ProductVariantChannelListing
    from tests.standin.warehouse.models import Stock

    listed = list(Listing.objects.filter(store=store, on_amazon=True).order_by("variant_id")
                  .values_list("variant_id", "accepted_quantity"))
    step = max(1, len(listed) // (prices + stocks))
    chosen = listed[::step][:prices + stocks]
    kinds = {}
    with transaction.atomic():
        price_ids = [variant_id for variant_id, _ in chosen[:prices]]
        for n, variant_id in enumerate(price_ids):
            new = Decimal("1.50") if n % 2 else Decimal("0.75")  # half up, half down (from 1.00)
            ProductVariantChannelListing.objects.filter(variant_id=variant_id, channel=channel).update(
                price_amount=new)
            kinds[variant_id] = "price"
        for n, (variant_id, quantity) in enumerate(chosen[prices:]):
            if n % 2:
                new_quantity, kind = quantity + 5, "increase"
            else:
                new_quantity, kind = (0 if n % 4 == 0 else max(0, quantity - 2)), "decrease"
            Stock.objects.filter(product_variant_id=variant_id).update(quantity=new_quantity)
            kinds[variant_id] = kind
    return kinds, vnow()


def changes(store, channel, prices, stocks):
    from saleor_amazon_channel.amazon import feeds as amazon_feeds
    from saleor_amazon_channel.amazon import listings as amazon_listings
    from saleor_amazon_channel.listings.models import Listing

    seller = store.authorization.selling_partner_id
    advance(600)  # ten quiet minutes after the first listing (its createFeed slot, if any, is free again)
    kinds, changed_at = change_in_saleor(store, channel, prices, stocks)
    sku_kind = {sku: kinds[variant_id] for variant_id, sku in
                Listing.objects.filter(store=store, variant_id__in=list(kinds)).values_list("variant_id", "seller_sku")}
    sent = []  # (emulated time, sku, how)
    real_patch, real_submit = amazon_listings.patch_offer, amazon_feeds.submit

    def patch(http, token, marketplace, seller_id, sku, product_type, offer):
        sent.append((vnow(), sku, "patch"))
        return real_patch(http, token, marketplace, seller_id, sku, product_type, offer)

    def submit(http, token, marketplace, content):
        import json

        moment = vnow()
        sent.extend((moment, message["sku"], "feed") for message in json.loads(content)["messages"])
        return real_submit(http, token, marketplace, content)

    amazon_listings.patch_offer, amazon_feeds.submit = patch, submit
    before = counters(URL)
    writes_before = offer_writes(seller)
    try:
        run = run_until_accepted(store)
    finally:
        amazon_listings.patch_offer, amazon_feeds.submit = real_patch, real_submit
    after = counters(URL)
    writes = offer_writes(seller)
    twice = sum(writes.get(sku, 0) - writes_before.get(sku, 0) > 1 for sku in sku_kind)
    accepted = dict(Listing.objects.filter(store=store, variant_id__in=list(kinds))
                    .values_list("variant_id", "accepted_at"))
    delays = sorted((accepted[v].timestamp() - changed_at) if accepted.get(v) else float("inf") for v in kinds)
    p50, p95 = delays[len(delays) // 2], delays[min(len(delays) - 1, round(0.95 * (len(delays) - 1)))]
    decreases = [t for t, sku, _ in sent if sku_kind.get(sku) == "decrease"]
    others = [t for t, sku, _ in sent if sku_kind.get(sku) in ("increase", "price")]
    how = {}
    for _, sku, way in sent:
        key = f"{sku_kind.get(sku, 'other')} by {way}"
        how[key] = how.get(key, 0) + 1
    in_order = bool(decreases) and bool(others) and max(decreases) < min(others)
    print(f"changes: {prices} prices + {stocks} stocks ({sum(k == 'decrease' for k in kinds.values())} quantity "
          f"decreases) made at once, a sync run started right after: change to ACCEPTED p50 {p50:.1f} s, "
          f"p95 {p95:.1f} s, max {delays[-1]:.1f} s (target p95 ≤ 120 s: {'met' if p95 <= 120 else 'NOT met'}); "
          f"sent {how}; run {run.status}; calls {calls_of(before, after, seller)}; "
          f"refused for rate {refused(before, after)}; SKUs Amazon accepted more than one version of for their "
          f"one change: {twice}; every decrease sent before any other change: {in_order} "
          f"(last decrease sent {max(decreases, default=changed_at) - changed_at:.1f} s after the change, first other "
          f"{min(others, default=changed_at) - changed_at:.1f} s)", flush=True)


DEFAULT_TURNAROUND = None


def main():
    global URL, DEFAULT_TURNAROUND
    parser = argparse.ArgumentParser()
    parser.add_argument("--listed", type=int, default=2_000)
    parser.add_argument("--prices", type=int, default=500)
    parser.add_argument("--stocks", type=int, default=500)
    parser.add_argument("--feed-seconds", type=float, default=2.0)
    parser.add_argument("--alone", default="feed", help="comma-separated: feed, patches (or empty)")
    args = parser.parse_args()
    alone = [way for way in args.alone.split(",") if way]
    logging.disable(logging.WARNING)
    setup_django()
    from django.conf import settings

    from amazon_emulator import Emulator
    from saleor_amazon_channel.listings import sync
    from tests.amazon_fixtures import LOGIN_URI, REDIRECT_URI
    from tests.fixtures import APPLICATION_ID, CLIENT_ID, CLIENT_SECRET
    from tests.standin.channel.models import Channel

    DEFAULT_TURNAROUND = sync.default_feed_turnaround()
    reset()
    activate_plugin()
    install_clock()
    settings.AMAZON_CHANNEL_LISTINGS_VERIFY_DELAY = 3600  # read-backs are not measured
    emu = Emulator(port=free_port())
    emu.register_app(APPLICATION_ID, CLIENT_ID, CLIENT_SECRET, [REDIRECT_URI], login_uri=LOGIN_URI, draft=False)
    emu.selling.configure(live_delay=0, report_delays=[0, 0],
                          feed_delays=[args.feed_seconds / 2, args.feed_seconds / 2])
    URL = f"http://127.0.0.1:{emu.port}"
    for name in ("AMAZON_CHANNEL_SELLER_CENTRAL_URL", "AMAZON_CHANNEL_SP_API_URL"):
        setattr(settings, name, URL)
    settings.AMAZON_CHANNEL_LWA_TOKEN_URL = URL + "/auth/o2/token"
    channel = Channel.objects.create(name="Bench", slug="bench", currency_code="USD")
    populate(args.listed, channel)
    asins = known_asins(emu, args.listed)
    engine = store_for(emu, channel, "A1BENCHENGINE")
    alone_stores = {way: store_for(emu, channel, f"A{n + 2}BENCH{way.upper()}") for n, way in enumerate(alone)}
    stock_and_matches(engine, channel, asins)
    copy_matches(engine, alone_stores.values())
    child = serve_in_child(emu, "/_emulator/state")
    try:
        print(f"feeds take {args.feed_seconds:g} s on the emulator; the engine expects "
              f"{DEFAULT_TURNAROUND:g} s of a store's first feed, then its feeds' median", flush=True)
        first_listing(engine, "the engine's choice")
        if "feed" in alone_stores:
            first_listing(alone_stores["feed"], "one feed alone", turnaround=0)
        if "patches" in alone_stores:
            first_listing(alone_stores["patches"], "one request each alone", turnaround=10**9)
        if args.prices or args.stocks:
            changes(engine, channel, args.prices, args.stocks)
    finally:
        child.terminate()


if __name__ == "__main__":
    main()
