"""Latency: an order reaches Saleor within one poll interval plus Amazon's two minutes (issue 20), even when Amazon
changed it before its first poll, after a killed poller or a window left over from an earlier poll."""

import time
from datetime import timedelta

import pytest

from saleor_amazon_channel.catalog.models import RateBucket
from saleor_amazon_channel.orders import poller
from saleor_amazon_channel.orders.models import AmazonOrder, OrderSync
from tests.orders.helpers import SELLER, item, poll_killed_after

pytestmark = pytest.mark.django_db

INTERVAL = 300  # the beat's default poll interval


def searches(emulator):
    return emulator.orders.calls()["calls"]["searchOrders"]


def test_an_order_amazon_changed_before_its_first_poll_is_imported_by_that_poll(
    order_store, stocked, place, poll, emulator, host_orders
):
    """searchOrders reads a window by lastUpdatedTime: an order created after the last window and changed just
    before the next poll has its lastUpdatedTime inside Amazon's last two minutes, out of that window. The poll
    reads the same range by creation time too, so the order is not left for one more interval."""
    stocked("LATENCY-2")
    poll()
    order_id = place([item("LATENCY-2")])  # created after the cursor
    emulator.state.advance_clock(INTERVAL)
    emulator.orders.set_status(order_id, "Shipped")  # lastUpdatedTime: now, inside Amazon's two minutes

    outcome = poll(advance=0)

    assert outcome.polled and outcome.error == ""
    assert [o["external_reference"] for o in host_orders()] == [order_id]
    assert AmazonOrder.objects.get(amazon_order_id=order_id).amazon_status == "SHIPPED"
    # Read again by lastUpdatedTime at the next poll: still one Saleor order.
    poll()
    assert len(host_orders()) == 1


def test_the_creation_read_keeps_a_reserve_of_searchorders_for_the_windows(
    order_store, stocked, place, poll, emulator, host_orders, settings
):
    """Amazon's plan allows 1.7 searchOrders per 5-minute poll: the read by creation time is made only while the
    seller's burst keeps a reserve, so the windows (which guarantee every order) never wait for it."""
    settings.AMAZON_CHANNEL_ORDERS_SEARCH_RATE = 0.0056
    stocked("LATENCY-3")
    poll()
    order_id = place([item("LATENCY-3")])
    emulator.state.advance_clock(INTERVAL)
    emulator.orders.set_status(order_id, "Shipped")
    key = poller.search_key(SELLER, "NA")
    # Three requests of the burst are left: one for the window, two under the reserve.
    interval = 1 / (0.0056 * 0.99)
    RateBucket.objects.filter(key=key).update(tat=time.time() + (20 - 3) * interval, rate=0.0056)
    calls = searches(emulator)

    outcome = poller.poll(order_store.pk, sleep=lambda s: None, now=_emulated_now(emulator))

    assert outcome.polled and outcome.wait is None
    assert searches(emulator) == calls + 1  # the window only
    assert host_orders() == []  # left for the next window, which sees its change
    assert emulator.state.throttled["searchOrders"] == 0


def test_a_poll_that_finishes_a_left_over_window_reads_the_next_one_at_once(
    order_store, stocked, place, poll, emulator, host_orders
):
    stocked("LATENCY-4")
    poll()
    now = _emulated_now(emulator)
    # A window an earlier poll started ten minutes ago and did not finish (a killed worker, a far pacing slot).
    state = OrderSync.objects.get(store=order_store)
    OrderSync.objects.filter(pk=state.pk).update(window_after=state.cursor, window_before=state.cursor + timedelta(
        seconds=60), cursor=state.cursor)
    order_id = place([item("LATENCY-4")], created_seconds_ago=0)

    outcome = poll(advance=INTERVAL)

    assert outcome.polled and outcome.wait is None
    assert [o["external_reference"] for o in host_orders()] == [order_id]
    state = OrderSync.objects.get(store=order_store)
    assert state.window_before is None
    assert state.cursor > now + timedelta(seconds=INTERVAL) - timedelta(minutes=3)


def test_a_killed_pollers_store_is_polled_again_at_the_next_beat(
    order_store, stocked, emulator, poll, host_orders, monkeypatch
):
    """The lease is a heartbeat renewed while the poll goes on: a killed poller's runs out before the next beat,
    so its window is finished one interval later, not two or three."""
    from tests.orders.test_exactly_once import place_many

    stocked("LATENCY-5", 1000)
    order_ids = place_many(emulator, ["LATENCY-5"], count=30)
    poll_killed_after(monkeypatch, poll, 10)
    state = OrderSync.objects.get(store=order_store)
    assert state.window_before is not None
    # What a SIGKILL leaves: the lease as the dead poller last renewed it (release() never ran).
    OrderSync.objects.filter(pk=state.pk).update(lease_until=_emulated_now(emulator) + poller.lease())

    assert poll(advance=INTERVAL).polled
    assert sorted(o["external_reference"] for o in host_orders()) == sorted(order_ids)


def _emulated_now(emulator):
    from datetime import UTC, datetime

    return datetime.fromtimestamp(emulator.state.now(), UTC)


def test_a_redelivered_poll_comes_back_when_a_killed_pollers_lease_runs_out(order_store, monkeypatch):
    """A killed worker's poll task is delivered again at once (acks late, rejected on a lost worker) and finds
    the dead poller's lease: it comes back when the lease runs out instead of waiting for the next beat. A first
    delivery that finds the store taken by a live poller does not (the beat brings the next poll)."""
    from celery.exceptions import Retry
    from django.utils import timezone

    from saleor_amazon_channel.orders import tasks

    assert poller.claim(order_store, timezone.now())  # the poller that was then killed
    retried = []

    def retry(countdown=None, **kwargs):
        retried.append(countdown)
        return Retry(when=countdown)

    monkeypatch.setattr(tasks.poll_orders_task, "retry", retry)
    for redelivered in (False, True):
        tasks.poll_orders_task.push_request(delivery_info={"redelivered": redelivered})
        try:
            if redelivered:
                with pytest.raises(Retry):
                    tasks.poll_orders_task.run(order_store.pk)
            else:
                assert tasks.poll_orders_task.run(order_store.pk)["polled"] is False
        finally:
            tasks.poll_orders_task.pop_request()

    assert len(retried) == 1 and 0 < retried[0] <= poller.lease().total_seconds() + 1


def test_once_the_burst_is_spent_a_finished_left_over_window_leaves_the_next_to_the_beat(
    order_store, stocked, place, poll, emulator, settings
):
    """A poll brought back for its pacing slot finishes its window and stops there: reading the next one at once
    would hand the store back for the next slot again, and chase Amazon's two-minute edge at every slot."""
    settings.AMAZON_CHANNEL_ORDERS_SEARCH_RATE = 0.0056
    stocked("LATENCY-6")
    poll()
    state = OrderSync.objects.get(store=order_store)
    OrderSync.objects.filter(pk=state.pk).update(window_after=state.cursor, window_before=state.cursor + timedelta(
        seconds=60))
    place([item("LATENCY-6")], created_seconds_ago=0)
    emulator.state.advance_clock(INTERVAL)
    interval = 1 / (0.0056 * 0.99)
    # One request of the burst is left: the left-over window's.
    RateBucket.objects.filter(key=poller.search_key(SELLER, "NA")).update(tat=time.time() + 18.5 * interval,
                                                                           rate=0.0056)
    calls = searches(emulator)

    outcome = poller.poll(order_store.pk, sleep=lambda s: None, now=_emulated_now(emulator))

    assert outcome.polled and outcome.wait is None and outcome.error == ""
    assert searches(emulator) == calls + 1
    assert OrderSync.objects.get(store=order_store).window_before is None  # the beat starts the next window
