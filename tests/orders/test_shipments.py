"""Saleor fulfillments of Amazon orders confirmed back with confirmShipment, once each (real HTTP, emulator)."""

import pytest

from saleor_amazon_channel.orders import shipments
from saleor_amazon_channel.orders.models import AmazonOrder, AmazonShipment, ShipmentStatus
from tests.orders.helpers import item

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(order_store, stocked, place, poll):
    """``imported(items)``: an Unshipped Amazon order imported into Saleor; (Amazon order ID, row, variants)."""

    def make(lines):
        variants = {sku: stocked(sku, 10) for sku, _ in lines}
        order_id = place([item(sku, quantity) for sku, quantity in lines])
        poll()
        row = AmazonOrder.objects.get(amazon_order_id=order_id)
        assert row.saleor_order_id
        return order_id, row, variants

    return make


def sent(emulator, order_id):
    return emulator.orders.read(order_id)["shipmentConfirmations"]


def test_a_fulfillment_with_tracking_is_confirmed_once_and_amazon_ships_the_order(
    imported, fulfill, emulator, django_capture_on_commit_callbacks, poll
):
    order_id, row, variants = imported([("SHIP-1", 2)])
    with django_capture_on_commit_callbacks(execute=True):
        fulfillment_id = fulfill(row.saleor_order_id, {variants["SHIP-1"].pk: 2}, tracking_number="1Z999",
                                 carrier="UPS")

    shipment = AmazonShipment.objects.get(fulfillment_id=fulfillment_id)
    assert shipment.status == ShipmentStatus.CONFIRMED and shipment.confirmed_at
    [confirmation] = sent(emulator, order_id)
    assert confirmation["packageDetail"]["carrierCode"] == "UPS"
    assert confirmation["packageDetail"]["trackingNumber"] == "1Z999"
    assert confirmation["packageDetail"]["packageReferenceId"] == str(fulfillment_id)
    assert emulator.orders.read(order_id)["fulfillmentStatus"] == "SHIPPED"

    # The hook again (tracking re-saved), the sweep, a second send: nothing more goes to Amazon.
    with django_capture_on_commit_callbacks(execute=True):
        shipments.fulfillment_changed(shipment_fulfillment(row, fulfillment_id))
        shipments.sweep()
    assert shipments.send(shipment.pk) is None
    assert len(sent(emulator, order_id)) == 1
    poll()
    assert AmazonOrder.objects.get(pk=row.pk).amazon_status == "SHIPPED"


def shipment_fulfillment(row, fulfillment_id):
    from saleor_amazon_channel.core.host import get_host

    return next(f for f in get_host().order_fulfillments([row.saleor_order_id])[row.saleor_order_id]
                if f.id == fulfillment_id)


def test_partial_fulfillments_confirm_their_own_items_and_quantities(
    imported, fulfill, emulator, django_capture_on_commit_callbacks
):
    order_id, row, variants = imported([("SHIP-2", 3), ("SHIP-3", 1)])
    with django_capture_on_commit_callbacks(execute=True):
        fulfill(row.saleor_order_id, {variants["SHIP-2"].pk: 1}, tracking_number="TRK-1", carrier="Royal Mail")
    assert emulator.orders.read(order_id)["fulfillmentStatus"] == "PARTIALLY_SHIPPED"
    with django_capture_on_commit_callbacks(execute=True):
        fulfill(row.saleor_order_id, {variants["SHIP-2"].pk: 2, variants["SHIP-3"].pk: 1}, tracking_number="TRK-2",
                carrier="My Local Courier")
    confirmations = sent(emulator, order_id)
    assert [c["packageDetail"]["orderItems"][0]["quantity"] for c in confirmations[:1]] == [1]
    second = confirmations[1]["packageDetail"]
    assert second["carrierCode"] == "Other" and second["carrierName"] == "My Local Courier"
    assert sorted(i["quantity"] for i in second["orderItems"]) == [1, 2]
    assert emulator.orders.read(order_id)["fulfillmentStatus"] == "SHIPPED"
    assert AmazonShipment.objects.filter(status=ShipmentStatus.CONFIRMED).count() == 2


def test_a_fulfillment_without_tracking_waits_for_its_tracking_number(
    imported, fulfill, set_tracking, emulator, django_capture_on_commit_callbacks
):
    order_id, row, variants = imported([("SHIP-4", 1)])
    with django_capture_on_commit_callbacks(execute=True):
        fulfillment_id = fulfill(row.saleor_order_id, {variants["SHIP-4"].pk: 1})
    assert AmazonShipment.objects.get().status == ShipmentStatus.WAITING_TRACKING and sent(emulator, order_id) == []
    with django_capture_on_commit_callbacks(execute=True):
        set_tracking(fulfillment_id, "9400TRACK")
    assert AmazonShipment.objects.get().status == ShipmentStatus.CONFIRMED
    assert sent(emulator, order_id)[0]["packageDetail"]["trackingNumber"] == "9400TRACK"


def test_a_refusal_is_kept_with_amazons_reason_and_can_be_retried(
    imported, fulfill, emulator, django_capture_on_commit_callbacks
):
    order_id, row, variants = imported([("SHIP-5", 1)])
    emulator.orders.set_status(order_id, "Canceled")  # Amazon refuses to ship a cancelled order
    with django_capture_on_commit_callbacks(execute=True):
        fulfill(row.saleor_order_id, {variants["SHIP-5"].pk: 1}, tracking_number="TRK-5", carrier="USPS")
    shipment = AmazonShipment.objects.get()
    assert shipment.status == ShipmentStatus.REFUSED and shipment.error_code and shipment.error_message

    assert shipments.retry(shipment) is True
    assert AmazonShipment.objects.get().status == ShipmentStatus.PENDING


def test_transient_failures_are_retried_and_the_sweep_catches_a_missed_hook(
    imported, fulfill, emulator, django_capture_on_commit_callbacks
):
    order_id, row, variants = imported([("SHIP-6", 1)])
    fulfillment_id = fulfill(row.saleor_order_id, {variants["SHIP-6"].pk: 1}, tracking_number="TRK-6",
                             carrier="FedEx", hook=False)  # a worker died before the hook ran
    assert not AmazonShipment.objects.exists()
    emulator.orders.inject_fault("confirmShipment", status=503, count=1)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        shipments.sweep()
    shipment = AmazonShipment.objects.get(fulfillment_id=fulfillment_id)
    assert len(queued) == 1
    wait = shipments.send(shipment.pk, sleep=lambda s: None)
    assert wait is not None and AmazonShipment.objects.get().status == ShipmentStatus.PENDING
    assert shipments.send(shipment.pk, sleep=lambda s: None) is None
    assert AmazonShipment.objects.get().status == ShipmentStatus.CONFIRMED
    assert len(sent(emulator, order_id)) == 1


def test_a_shipment_handed_back_for_a_far_slot_is_sent_when_it_comes_back(
    imported, fulfill, emulator, django_capture_on_commit_callbacks, monkeypatch
):
    """More shipments waiting than confirmShipment's plan sends in MAX_SLEEP: the one handed back keeps no
    slot it will not use, so it gets its turn when it comes back (dropped slots pushed every turn out)."""
    import time
    from types import SimpleNamespace

    from saleor_amazon_channel.catalog import pacing
    from saleor_amazon_channel.catalog.models import RateBucket
    from saleor_amazon_channel.orders.poller import MAX_SLEEP, confirm_key
    from tests.orders.helpers import SELLER

    order_id, row, variants = imported([("SHIP-7", 1)])
    # Recorded by the sweep, not sent (Saleor runs the fulfillment hook after the commit, the stand-in at once).
    fulfillment_id = fulfill(row.saleor_order_id, {variants["SHIP-7"].pk: 1}, tracking_number="1Z777",
                             carrier="UPS", hook=False)
    with django_capture_on_commit_callbacks(execute=False):
        shipments.sweep()
    shipment = AmazonShipment.objects.get(fulfillment_id=fulfillment_id)
    # The burst is spent and 80 confirmations are queued ahead (40 s at 2/s).
    real = time.time
    bucket = RateBucket.objects.create(key=confirm_key(SELLER, "NA"), tat=real() + 40, rate=2.0, burst=10)
    told = shipments.send(shipment.pk, sleep=lambda s: None)
    assert told is not None and told > MAX_SLEEP and sent(emulator, order_id) == []
    assert RateBucket.objects.get(pk=bucket.pk).tat == bucket.tat  # no slot taken for nothing

    monkeypatch.setattr(pacing, "time", SimpleNamespace(time=lambda: real() + told + 0.5))
    emulator.state.advance_clock(told + 0.5)
    assert shipments.send(shipment.pk, sleep=lambda s: None) is None

    assert AmazonShipment.objects.get(pk=shipment.pk).status == ShipmentStatus.CONFIRMED
    assert len(sent(emulator, order_id)) == 1
