"""Exactly once: two pollers, overlapping windows, repeated pages, late updates and a killed poller never create
a second Saleor order nor lose one (real PostgreSQL transactions, threads as concurrent workers)."""

import threading
from datetime import timedelta

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from saleor_amazon_channel.orders import poller, sync
from saleor_amazon_channel.orders.models import AmazonOrder, OrderSync
from tests.orders.helpers import SELLER, US, item, poll_killed_after

pytestmark = pytest.mark.django_db(transaction=True)

COUNT = 130  # two pages of searchOrders


def place_many(emulator, skus, count=COUNT, status="Unshipped", created_seconds_ago=0):
    bodies = [{"selling_partner_id": SELLER, "items": [item(skus[n % len(skus)])], "marketplace_id": US,
               "status": status, "created_seconds_ago": created_seconds_ago} for n in range(count)]
    return emulator.orders.create_many(bodies)["orderIds"]


def run_together(*functions):
    """Start every function in its own thread (own database connection) at once; re-raise their errors."""
    barrier, errors = threading.Barrier(len(functions)), []

    def worker(function):
        # A thread opens its own connections: Saleor's replica alias would name the non-test database there.
        for alias in connections.settings:
            if alias != DEFAULT_DB_ALIAS:
                connections[alias] = connections[DEFAULT_DB_ALIAS]
        try:
            barrier.wait()
            function()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors


def assert_each_once(host_orders, order_ids):
    references = [order["external_reference"] for order in host_orders()]
    assert len(references) == len(set(references)), "a second Saleor order"
    assert set(references) == set(order_ids), "a lost order"


def test_two_pollers_at_once_even_without_the_lease_create_each_order_once(
    order_store, stocked, emulator, poll, host_orders, stock_of, monkeypatch
):
    variants = [stocked(f"ONCE-{n}", 1000) for n in range(3)]
    order_ids = place_many(emulator, [f"ONCE-{n}" for n in range(3)])
    emulator.orders.repeat_next_page(count=2)  # Amazon serves a page twice
    # The lease keeps one poller per store; here both go on regardless (a lease that ran out mid-poll).
    monkeypatch.setattr(poller, "claim", lambda store, now: bool(poller.sync_row(store)))
    emulator.state.advance_clock(180)

    run_together(lambda: poll(advance=0), lambda: poll(advance=0))

    assert_each_once(host_orders, order_ids)
    assert sum(stock_of(v)[1] for v in variants) == COUNT  # allocated once per order
    assert AmazonOrder.objects.count() == COUNT and not AmazonOrder.objects.filter(needs_sync=True).exists()


def test_the_lease_keeps_one_poller_per_store(order_store, stocked, emulator, poll):
    stocked("LEASE-1")
    place_many(emulator, ["LEASE-1"], count=3)
    outcomes = []
    emulator.state.advance_clock(180)
    run_together(lambda: outcomes.append(poll(advance=0)), lambda: outcomes.append(poll(advance=0)))
    assert sorted(o.polled for o in outcomes) in ([False, True], [True, True])
    # Both may have polled only one after the other; never both inside the lease (pages counted once each).
    assert AmazonOrder.objects.count() == 3


def test_applying_one_order_from_two_workers_creates_it_once(order_store, stocked, emulator, poll, host_orders,
                                                              monkeypatch):
    stocked("TWICE-1")
    [order_id] = place_many(emulator, ["TWICE-1"], count=1)
    monkeypatch.setattr(sync, "apply", lambda pk: sync.Applied(pk, "nothing"))  # record only
    poll()
    monkeypatch.undo()
    row = AmazonOrder.objects.get()
    results = []
    run_together(*[lambda: results.append(sync.apply(row.pk).action) for _ in range(4)])
    assert results.count("created") == 1 and set(results) <= {"created", "busy", "nothing"}
    assert_each_once(host_orders, [order_id])


def test_a_killed_poller_is_resumed_from_its_page_without_duplicates_or_losses(
    order_store, stocked, emulator, poll, host_orders, monkeypatch, settings
):
    stocked("KILL-1", 1000)
    order_ids = place_many(emulator, ["KILL-1"])
    poll_killed_after(monkeypatch, poll, 70)  # mid-way through the first page's orders (recorded, not all applied)
    state = OrderSync.objects.get(store=order_store)
    assert state.window_before is not None and state.cursor is None  # the window is not finished
    # A killed worker keeps its lease until it runs out: the next poller waits for it, then resumes.
    OrderSync.objects.filter(pk=state.pk).update(lease_until=state.last_poll_at + timedelta(hours=1))
    assert poll(advance=0).polled is False
    OrderSync.objects.filter(pk=state.pk).update(lease_until=state.last_poll_at - timedelta(seconds=1))

    assert poll().polled
    assert_each_once(host_orders, order_ids)
    assert not AmazonOrder.objects.filter(needs_sync=True).exists()


def test_late_updates_inside_an_already_polled_window_are_applied_once(
    order_store, stocked, emulator, poll, host_orders
):
    stocked("LATE-1")
    [order_id] = place_many(emulator, ["LATE-1"], count=1, status="Pending", created_seconds_ago=600)
    poll()
    assert host_orders() == []
    emulator.orders.set_status(order_id, "Unshipped")
    # Amazon makes the change visible late: its lastUpdatedTime falls inside the window we already read.
    emulator.orders.set_last_updated(order_id, seconds_ago=200)
    poll(advance=30)
    assert [o["external_reference"] for o in host_orders()] == [order_id]
    poll()
    assert len(host_orders()) == 1
