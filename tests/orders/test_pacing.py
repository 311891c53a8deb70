"""searchOrders at Amazon's usage plan: 429s honoured, x-amzn-RateLimit-Limit adopted, a far slot ends the poll."""

import pytest

from saleor_amazon_channel.catalog.models import RateBucket
from saleor_amazon_channel.orders import poller
from saleor_amazon_channel.orders.models import AmazonOrder, OrderSync
from tests.orders.helpers import SELLER, item

pytestmark = pytest.mark.django_db


def test_a_429_slows_the_sellers_bucket_and_the_poll_still_completes(order_store, stocked, place, poll, emulator):
    stocked("PACE-1")
    place([item("PACE-1")])
    emulator.orders.inject_fault("searchOrders", status=429, count=1)
    slept = []

    outcome = poll(sleep=slept.append)

    assert outcome.polled and outcome.error == "" and outcome.orders == 1
    assert slept, "the 429 was waited out"
    bucket = RateBucket.objects.get(key=poller.search_key(SELLER, "NA"))
    assert bucket.rate == pytest.approx(0.0056)  # Amazon's header, adopted over our configured rate


def test_when_the_next_slot_is_minutes_away_the_poll_hands_the_store_back(order_store, stocked, place, emulator,
                                                                           settings):
    settings.AMAZON_CHANNEL_ORDERS_SEARCH_RATE = 0.0056
    stocked("PACE-2")
    place([item("PACE-2")], created_seconds_ago=600)
    key = poller.search_key(SELLER, "NA")
    # Twenty requests already went ahead of the pace (the burst is spent): the next slot is 3 minutes away.
    RateBucket.objects.create(key=key, tat=__import__("time").time() + 20 * 180, rate=0.0056, burst=20)
    calls = emulator.orders.calls()

    outcome = poller.poll(order_store.pk, sleep=lambda s: None)

    assert outcome.polled and outcome.wait is not None and 120 < outcome.wait <= 200
    assert emulator.orders.calls() == calls and not AmazonOrder.objects.exists()
    state = OrderSync.objects.get(store=order_store)
    assert state.lease_until is None and state.next_poll_at is not None


def test_a_poll_handed_back_for_a_far_slot_reads_the_page_when_it_comes_back(order_store, stocked, place, emulator,
                                                                               settings, monkeypatch):
    """The hand-back keeps no slot it will not use: coming back when told, the poll gets its turn (a slot
    reserved and dropped at each hand-back pushed the next one out by as much: no page after the burst)."""
    from types import SimpleNamespace

    from saleor_amazon_channel.catalog import pacing

    settings.AMAZON_CHANNEL_ORDERS_SEARCH_RATE = 0.0056
    stocked("PACE-3")
    order_id = place([item("PACE-3")], created_seconds_ago=600)
    key = poller.search_key(SELLER, "NA")
    real = __import__("time").time
    RateBucket.objects.create(key=key, tat=real() + 20 * 180, rate=0.0056, burst=20)
    told = poller.poll(order_store.pk, sleep=lambda s: None).wait
    assert told is not None and told > poller.MAX_SLEEP

    # The bucket's clock moves on by what the poll was told (the task's retry countdown); Amazon's refills.
    monkeypatch.setattr(pacing, "time", SimpleNamespace(time=lambda: real() + told + 1))
    emulator.state.advance_clock(told + 1)
    outcome = poller.poll(order_store.pk, sleep=lambda s: None)

    assert outcome.pages == 1 and outcome.created == 1
    assert AmazonOrder.objects.get(amazon_order_id=order_id).saleor_order_id
    assert emulator.state.throttled["searchOrders"] == 0
