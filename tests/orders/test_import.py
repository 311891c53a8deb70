"""Amazon orders into Saleor orders through the poller, over real HTTP against the emulator (real PostgreSQL)."""

from decimal import Decimal

import pytest

from saleor_amazon_channel.orders import sync
from saleor_amazon_channel.orders.models import AmazonOrder, OrderSettings, OrderSync, Problem
from tests.orders.helpers import SELLER, item

pytestmark = pytest.mark.django_db


def amazon_order(order_id) -> AmazonOrder:
    return AmazonOrder.objects.get(amazon_order_id=order_id)


def test_an_unshipped_order_becomes_one_saleor_order_with_stock_allocated(
    order_store, stocked, place, poll, host_orders, stock_of, order_webhooks, django_capture_on_commit_callbacks
):
    lamp, shade = stocked("LAMP-1", 5), stocked("SHADE-1", 5)
    order_id = place([item("LAMP-1", 2, price="20.00", tax="3.20", shipping_price="5.00", shipping_tax="0.40"),
                      item("SHADE-1", 1, price="7.50", tax="0.60")])

    with django_capture_on_commit_callbacks(execute=True):
        outcome = poll()

    assert outcome.polled and outcome.created == 1
    [order] = host_orders()
    assert order["external_reference"] == order_id and order["status"] == "unfulfilled"
    assert order["channel_id"] == order_store.channel_id and order["currency"] == "USD"
    # amazon.com prices exclude tax: net as Amazon priced it, gross with Amazon's tax.
    assert sorted(order["lines"]) == sorted([
        (lamp.pk, 2, Decimal("21.60"), Decimal("20.00")), (shade.pk, 1, Decimal("8.10"), Decimal("7.50"))])
    assert order["shipping_gross"] == Decimal("5.40")
    assert order["metadata"]["amazon.order_id"] == order_id
    assert stock_of(lamp) == (5, 2) and stock_of(shade) == (5, 1)
    row = amazon_order(order_id)
    assert row.saleor_order_id == order["id"] and row.problem == "" and not row.needs_sync
    assert ("ORDER_CREATED", order_id) in order_webhooks

    # Re-reading the same window (the overlap) and a new poll change nothing.
    poll()
    poll()
    assert len(host_orders()) == 1 and stock_of(lamp) == (5, 2)


def test_pending_orders_wait_unless_the_store_reserves_stock_for_them(
    order_store, stocked, place, poll, host_orders, stock_of, emulator
):
    lamp = stocked("LAMP-2", 3)
    waiting = place([item("LAMP-2", 1)], status="Pending")
    poll()
    assert host_orders() == [] and amazon_order(waiting).amazon_status == "PENDING"

    OrderSettings.objects.filter(store=order_store).update(reserve_pending=True)
    reserved = place([item("LAMP-2", 1)], status="Pending")
    poll()
    [order] = host_orders()
    assert order["external_reference"] == reserved and order["status"] == "unconfirmed"
    assert stock_of(lamp) == (3, 1)

    emulator.orders.set_status(reserved, "Unshipped")
    emulator.orders.set_status(waiting, "Unshipped")
    poll()
    by_reference = {o["external_reference"]: o for o in host_orders()}
    assert by_reference[reserved]["status"] == "unfulfilled" and by_reference[waiting]["status"] == "unfulfilled"
    assert len(by_reference) == 2 and stock_of(lamp) == (3, 2)  # the confirmed one kept its allocation


def test_a_cancellation_on_amazon_cancels_the_saleor_order_and_releases_stock(
    order_store, stocked, place, poll, host_orders, stock_of, emulator, order_webhooks,
    django_capture_on_commit_callbacks
):
    lamp = stocked("LAMP-3", 4)
    order_id = place([item("LAMP-3", 3)])
    poll()
    assert stock_of(lamp) == (4, 3)

    emulator.orders.set_status(order_id, "Canceled", cancelled_by="BUYER", reason="Changed my mind")
    with django_capture_on_commit_callbacks(execute=True):
        poll()

    [order] = host_orders()
    assert order["status"] == "canceled" and stock_of(lamp) == (4, 0)
    assert amazon_order(order_id).amazon_status == "CANCELLED"
    assert ("ORDER_CANCELLED", order_id) in order_webhooks


def test_a_buyer_cancellation_request_is_flagged_on_the_same_order(order_store, stocked, place, poll, emulator,
                                                                     host_orders):
    stocked("LAMP-4")
    order_id = place([item("LAMP-4")])
    poll()
    emulator.orders.request_cancellation(order_id, reason="Ordered by mistake")
    poll()
    row = amazon_order(order_id)
    assert row.buyer_cancel_requested and row.cancel_reason == "Ordered by mistake"
    assert len(host_orders()) == 1 and host_orders()[0]["status"] == "unfulfilled"


def test_partial_and_full_shipment_on_amazon_update_the_same_record(order_store, stocked, place, poll, emulator,
                                                                      host_orders):
    stocked("LAMP-5")
    order_id = place([item("LAMP-5", 3)])
    poll()
    [line] = emulator.orders.read(order_id)["order"]["orderItems"]
    emulator.orders.set_status(order_id, "PartiallyShipped", items=[{"orderItemId": line["orderItemId"],
                                                                        "quantity": 1}])
    poll()
    assert amazon_order(order_id).amazon_status == "PARTIALLY_SHIPPED"
    assert amazon_order(order_id).lines.get().quantity_shipped == 1
    emulator.orders.set_status(order_id, "Shipped")
    poll()
    assert amazon_order(order_id).amazon_status == "SHIPPED"
    assert amazon_order(order_id).lines.get().quantity_shipped == 3
    assert len(host_orders()) == 1


def test_an_unknown_sku_waits_with_its_reason_and_imports_once_the_variant_exists(
    order_store, stocked, place, poll, host_orders
):
    order_id = place([item("NOT-YET", 1)])
    poll()
    row = amazon_order(order_id)
    assert row.problem == Problem.UNKNOWN_SKU and "NOT-YET" in row.problem_message and row.needs_sync
    assert host_orders() == []

    stocked("NOT-YET", 2)
    poll()  # every poll retries what waits

    row = amazon_order(order_id)
    assert row.problem == "" and row.saleor_order_id and len(host_orders()) == 1


def test_lines_map_through_the_stores_listings_before_the_variant_sku(order_store, stocked, place, poll, host_orders):
    """The Listing row of a seller SKU names the variant (a generated SKU, an adopted offer whose SKU is not the
    variant's, or a SKU another variant also carries); the variant's own SKU is the fallback."""
    from saleor_amazon_channel.listings.models import Listing

    lamp, decoy, shade = stocked("LAMP-L1"), stocked("AMZ-LAMP"), stocked("SHADE-L1")
    # The offer "AMZ-LAMP" on Amazon was adopted for the lamp; the decoy variant merely carries that SKU.
    Listing.objects.create(store=order_store, variant=lamp, seller_sku="AMZ-LAMP", adopted=True)
    # A variant without SKU is offered under a made-up one.
    Listing.objects.create(store=order_store, variant=shade, seller_sku="GEN-SHADE", sku_generated=True)
    order_id = place([item("AMZ-LAMP", 1), item("GEN-SHADE", 1), item("SHADE-L1", 1)])

    poll()

    row = amazon_order(order_id)
    assert row.problem == "", row.problem_message
    assert {line.seller_sku: line.variant_id for line in row.lines.all()} == {
        "AMZ-LAMP": lamp.pk, "GEN-SHADE": shade.pk, "SHADE-L1": shade.pk}
    [order] = host_orders()
    assert sorted(variant for variant, *_ in order["lines"]) == sorted([lamp.pk, shade.pk, shade.pk])
    assert decoy.pk not in {variant for variant, *_ in order["lines"]}


def test_a_listing_whose_variant_was_deleted_falls_back_to_the_variant_sku(order_store, stocked, place, poll):
    from saleor_amazon_channel.listings.models import Listing

    lamp = stocked("LAMP-L2")
    Listing.objects.create(store=order_store, variant=None, seller_sku="LAMP-L2")  # a third-party offer, say
    order_id = place([item("LAMP-L2", 1)])
    poll()
    row = amazon_order(order_id)
    assert row.problem == "" and row.lines.get().variant_id == lamp.pk


def test_not_enough_stock_waits_and_retry_by_hand_imports_it(order_store, stocked, make_stock, place, poll,
                                                              host_orders, stock_of):
    lamp = stocked("LAMP-6", 1)
    order_id = place([item("LAMP-6", 2)])
    poll()
    row = amazon_order(order_id)
    assert row.problem == Problem.INSUFFICIENT_STOCK and host_orders() == [] and stock_of(lamp) == (1, 0)

    make_stock(lamp, order_store.channel, 5)
    assert sync.retry(row).action == "created"
    assert len(host_orders()) == 1 and stock_of(lamp) == (5, 2)


def test_a_variant_not_in_the_channel_is_a_problem_not_a_lost_order(order_store, make_variant, place, poll):
    make_variant(None, sku="ELSEWHERE")  # exists, not listed in the store's channel
    order_id = place([item("ELSEWHERE")])
    poll()
    assert amazon_order(order_id).problem == Problem.VARIANT_MISSING


def test_orders_placed_before_the_import_date_are_never_imported(order_store, stocked, place, poll, host_orders):
    stocked("LAMP-7")
    place([item("LAMP-7")], created_seconds_ago=4 * 86400)
    OrderSettings.objects.filter(store=order_store).update(import_from=OrderSettings.objects.get().import_from
                                                           - __import__("datetime").timedelta(days=1))
    poll()
    assert host_orders() == [] and not AmazonOrder.objects.exists()


def test_import_switched_off_records_orders_for_display_only(order_store, stocked, place, poll, host_orders):
    stocked("LAMP-8")
    OrderSettings.objects.filter(store=order_store).update(import_enabled=False)
    order_id = place([item("LAMP-8")])
    poll()
    assert host_orders() == [] and amazon_order(order_id).saleor_order_id == ""


def test_fba_orders_import_once_shipped_as_fulfilled_without_stock_movement(
    order_store, stocked, place, poll, host_orders, stock_of
):
    lamp = stocked("LAMP-9", 2)
    OrderSettings.objects.filter(store=order_store).update(import_fba=True)
    order_id = place([item("LAMP-9", 1)], status="Shipped", fulfillment_channel="AFN")
    poll()
    [order] = host_orders()
    assert order["external_reference"] == order_id and order["status"] == "fulfilled"
    assert stock_of(lamp) == (2, 0)


def test_without_pii_roles_orders_import_with_the_address_amazon_leaves(
    order_store, stocked, place, poll, host_orders, emulator
):
    stocked("LAMP-10", 5)
    withheld = place([item("LAMP-10")])
    poll()
    row = amazon_order(withheld)
    assert row.pii_withheld and row.buyer_email == "" and "line1" not in row.address
    [order] = host_orders()
    assert order["user_email"] == "" and order["shipping_address"]["country"] == "US"
    assert order["shipping_address"]["street_address_1"] == "" and order["shipping_address"]["postal_code"]
    assert order["metadata"]["amazon.pii_withheld"] == "true"

    emulator.orders.set_pii_roles(SELLER, True)
    shared = place([item("LAMP-10")])
    poll()
    row = amazon_order(shared)
    assert not row.pii_withheld and "@" in row.buyer_email and row.address["line1"]
    assert {o["external_reference"]: o for o in host_orders()}[shared]["user_email"] == row.buyer_email


def test_the_cursor_follows_amazons_echoed_lastupdatedbefore(order_store, stocked, place, poll):
    stocked("LAMP-11")
    place([item("LAMP-11")])
    poll()
    state = OrderSync.objects.get(store=order_store)
    assert state.cursor is not None and state.window_before is None and state.page_token == ""
    assert state.last_success_at and state.next_poll_at and state.last_error_code == ""
