"""Patches or a feed: the engine sends a backlog the way that gets it ACCEPTED sooner, decreases first.

The choice itself (:func:`choice.choose`) is arithmetic on estimated seconds; the engine tests run it against the
emulator over real HTTP with a store whose recent feeds were fast (``recent_feeds``)."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from saleor_amazon_channel.amazon import feeds as amazon_feeds
from saleor_amazon_channel.amazon import listings as amazon_listings
from saleor_amazon_channel.listings import choice, sync
from saleor_amazon_channel.listings.models import Listing, ListingFeed
from tests.listings.helpers import amazon_offers, calls, match_catalog, sync_to_end

# --- The choice -----------------------------------------------------------------------------------------------

FEED = {"turnaround": 60.0, "feed_wait": 0.0, "feed_interval": 120.0}


def test_patches_when_patching_the_backlog_is_faster_than_a_feeds_turnaround():
    picked = choice.choose(0.0, 50.0, **FEED)  # 250 patches at 5/s
    assert (picked.decreases_by_feed, picked.rest_by_feed, picked.done) == (False, False, 50.0)


def test_a_feed_when_its_turnaround_is_shorter_than_patching_the_backlog():
    picked = choice.choose(0.0, 2000.0, **FEED)  # 10,000 puts at 5/s
    assert (picked.decreases_by_feed, picked.rest_by_feed, picked.done) == (False, True, 60.0)


def test_a_backlog_above_the_old_threshold_is_patched_when_feeds_are_slow():
    # 2,000 patches at 5/s (400 s) against Amazon's observed half-hour feeds: the old threshold (1,500) fed them.
    picked = choice.choose(0.0, 400.0, turnaround=1800.0, feed_wait=0.0, feed_interval=120.0)
    assert not picked.rest_by_feed and picked.done == 400.0


def test_decreases_are_patched_first_then_the_increases_go_as_a_feed():
    picked = choice.choose(50.0, 150.0, turnaround=5.0, feed_wait=0.0, feed_interval=120.0)
    # D by patch (50 s) then R by feed (5 s) beats: all patched (200 s), D fed then R patched (155 s),
    # D fed then R fed (the second createFeed waits for its slot: 125 s).
    assert (picked.decreases_by_feed, picked.rest_by_feed) == (False, True)
    assert (picked.decreases_done, picked.done) == (50.0, 55.0)


def test_many_decreases_go_as_a_feed_of_their_own_before_the_increases():
    picked = choice.choose(2000.0, 10.0, **FEED)
    assert (picked.decreases_by_feed, picked.rest_by_feed) == (True, False)
    assert (picked.decreases_done, picked.done) == (60.0, 70.0)


def test_a_second_feed_waits_for_its_createfeed_slot():
    picked = choice.choose(2000.0, 2000.0, **FEED)
    assert (picked.decreases_by_feed, picked.rest_by_feed) == (True, True)
    assert picked.done == 120.0 + 60.0  # the second createFeed two minutes after the first


def test_a_tie_goes_to_patches_whose_time_is_known():
    assert not choice.choose(0.0, 60.0, **FEED).rest_by_feed


def test_a_createfeed_slot_far_away_counts_against_the_feed():
    picked = choice.choose(0.0, 100.0, turnaround=5.0, feed_wait=110.0, feed_interval=120.0)
    assert not picked.rest_by_feed


# --- The engine -----------------------------------------------------------------------------------------------


def recent_feeds(store, seconds, number=3):
    """The store's last feeds each took ``seconds`` from their creation to DONE."""
    now = timezone.now()
    for n in range(number):
        created = now - timedelta(hours=1, minutes=n)
        ListingFeed.objects.create(store=store, feed_id=f"OLD-{n}", status="DONE", created_at=created,
                                   finished_at=created + timedelta(seconds=seconds))


@pytest.mark.django_db
def test_the_turnaround_is_learned_from_the_stores_recent_feeds(selling, settings):
    settings.AMAZON_CHANNEL_LISTINGS_FEED_TURNAROUND = 900
    assert sync.feed_turnaround(selling.store.pk) == 900.0  # no feed yet: the setting
    recent_feeds(selling.store, 40.0)
    ListingFeed.objects.create(store=selling.store, status="FATAL", created_at=timezone.now() - timedelta(hours=2),
                               finished_at=timezone.now())
    assert sync.feed_turnaround(selling.store.pk) == 40.0


@pytest.mark.django_db
def test_a_small_backlog_goes_as_one_feed_when_the_stores_feeds_turn_around_faster(selling, set_stock):
    variants = [selling.variant(quantity=2, sku=f"FAST-{n}") for n in range(12)]
    match_catalog(selling.store)
    sync_to_end(selling.store)  # listed one by one: the store has no feed yet, the default turnaround is long
    assert calls(selling.emu, "createFeed") == 0 and calls(selling.emu, "putListingsItem") == 12
    recent_feeds(selling.store, 0.5)
    for variant in variants:
        set_stock(variant, selling.warehouse, 7)

    sync_to_end(selling.store)  # 12 patches at 5/s take 2.4 s; the store's feeds take half a second

    assert calls(selling.emu, "createFeed") == 1 and calls(selling.emu, "patchListingsItem") == 0
    assert {quantity for _, quantity, _ in amazon_offers(selling.emu).values()} == {7}
    assert not Listing.objects.filter(store=selling.store, feed__isnull=False).exists()


@pytest.mark.django_db
def test_decreases_are_patched_before_the_increases_feed(selling, set_stock, monkeypatch):
    variants = [selling.variant(quantity=5, sku=f"MIX-{n:02d}") for n in range(12)]
    match_catalog(selling.store)
    sync_to_end(selling.store)
    recent_feeds(selling.store, 0.2)
    set_stock(variants[4], selling.warehouse, 1)
    set_stock(variants[9], selling.warehouse, 0)
    for variant in variants[:4] + variants[5:9] + variants[10:]:
        set_stock(variant, selling.warehouse, 8)
    sent = []
    real_patch, real_submit = amazon_listings.patch_offer, amazon_feeds.submit

    def patch(http, token, marketplace, seller_id, sku, product_type, offer):
        sent.append(sku)
        return real_patch(http, token, marketplace, seller_id, sku, product_type, offer)

    def submit(http, token, marketplace, content):
        sent.append(sorted(message["sku"] for message in json.loads(content)["messages"]))
        return real_submit(http, token, marketplace, content)

    monkeypatch.setattr(amazon_listings, "patch_offer", patch)
    monkeypatch.setattr(amazon_feeds, "submit", submit)

    sync_to_end(selling.store)

    # 2 decreases patched (0.4 s), then the 10 increases as one feed (0.2 s), not 12 patches (2.4 s).
    assert sorted(sent[:2]) == ["MIX-04", "MIX-09"]
    assert sent[2:] == [[f"MIX-{n:02d}" for n in range(12) if n not in (4, 9)]]
    offers = amazon_offers(selling.emu)
    assert (offers["MIX-04"][1], offers["MIX-09"][1], offers["MIX-00"][1]) == (1, 0, 8)


@pytest.mark.django_db
def test_amazons_rate_limit_header_slows_the_patches_estimate_and_a_feed_wins(selling, settings):
    from saleor_amazon_channel.catalog.models import RateBucket
    from saleor_amazon_channel.core.host import get_host

    settings.AMAZON_CHANNEL_LISTINGS_FEED_TURNAROUND = 10
    for n in range(12):
        selling.variant(quantity=2, sku=f"RATE-{n}")
    match_catalog(selling.store)
    sync.scan(selling.store)  # 12 new offers to put
    seller = sync.Seller(selling.store, get_host().get_config(), http=None)

    decreases, picked = sync.plan_sends(selling.store.pk, seller)
    assert not decreases and not picked.rest_by_feed and picked.done == pytest.approx(12 / (5.0 * 0.99))

    # x-amzn-RateLimit-Limit said 0.5/s for this seller (pacing.adopt_rate_limit): 24 s of puts, a feed takes 10.
    RateBucket.objects.create(key=seller.key("putListingsItem"), tat=0.0, rate=0.5, burst=10)
    _, picked = sync.plan_sends(selling.store.pk, seller)
    assert picked.rest_by_feed and picked.done == 10.0


@pytest.mark.django_db
def test_a_decrease_is_patched_while_a_feed_of_increases_is_in_flight(selling, set_stock):
    variants = [selling.variant(quantity=5, sku=f"FLY-{n}") for n in range(4)]
    match_catalog(selling.store)
    sync_to_end(selling.store)
    selling.emu.selling.configure(feed_delays=[600, 0])  # Amazon takes its time with the next feed
    recent_feeds(selling.store, 0.1)
    for variant in variants[:3]:
        set_stock(variant, selling.warehouse, 9)
    run, _ = sync.start_sync(selling.store, actor="test")

    assert sync.execute(run.pk).wait  # the three increases went as a feed, still in the queue
    feed = ListingFeed.objects.get(store=selling.store, status="IN_QUEUE")
    assert len(feed.messages) == 3 and calls(selling.emu, "patchListingsItem") == 0

    set_stock(variants[3], selling.warehouse, 1)
    sync.scan(selling.store, variant_ids=[variants[3].pk])  # what Saleor's variant hook does
    assert sync.execute(run.pk).wait  # the feed is still in flight ...

    # ... and the decrease did not wait for it; the feed's SKUs were not patched.
    assert calls(selling.emu, "patchListingsItem") == 1 and amazon_offers(selling.emu)["FLY-3"][1] == 1
    assert Listing.objects.filter(feed=feed).count() == 3
    assert {sku: quantity for sku, (_, quantity, _) in amazon_offers(selling.emu).items()} == {
        "FLY-0": 5, "FLY-1": 5, "FLY-2": 5, "FLY-3": 1}
