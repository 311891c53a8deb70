"""Saleor fulfillments of Amazon orders, confirmed to Amazon (confirmShipment, Orders v0) once each.

A fulfillment becomes an :class:`AmazonShipment` row (unique per fulfillment) when Saleor
announces it (the plugin's ``fulfillment_created`` and ``tracking_number_updated`` hooks) or when
the periodic sweep finds it. A row is sent by whoever claims it (a conditional UPDATE with a
lease): 204 marks it CONFIRMED; a refusal (4xx) keeps Amazon's code and message as REFUSED
(retryable by hand after a fix); transient failures are retried, then FAILED (retryable too).
A worker killed after sending and before recording leaves a lease that runs out: the sweep sends
it again with the same ``packageReferenceId`` (the fulfillment's id), which Amazon ties to the
same package.

Carrier: the fulfillment's metadata ``amazon.carrier`` (or ``carrier``), else the tracking number's
shape (UPS, USPS, FedEx, Royal Mail, Amazon Shipping), else the order's shipping method name, mapped
to Amazon's carrier codes; anything else is ``Other`` with the name. Carrier, tracking number and
items are read again when the confirmation is sent (after the host's transaction committed).
A fulfillment without a tracking number waits (WAITING_TRACKING) for one.
"""

import logging
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from saleor_amazon_channel.amazon import errors
from saleor_amazon_channel.amazon import orders as amazon_orders
from saleor_amazon_channel.amazon.http import AmazonHttp, backoff
from saleor_amazon_channel.authorizations import tokens
from saleor_amazon_channel.catalog import pacing
from saleor_amazon_channel.core.host import HostFulfillment, get_host
from saleor_amazon_channel.orders.models import AmazonOrder, AmazonOrderLine, AmazonShipment, ShipmentStatus
from saleor_amazon_channel.orders.poller import MAX_SLEEP, confirm_key

logger = logging.getLogger(__name__)

DEFAULT_LEASE = 120
MAX_ATTEMPTS = 6
SWEEP_LOOKBACK = timedelta(days=3)
RETRYABLE = (ShipmentStatus.REFUSED, ShipmentStatus.FAILED)


def lease() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "AMAZON_CHANNEL_ORDERS_SHIPMENT_LEASE", DEFAULT_LEASE)))


def carrier_for(fulfillment: HostFulfillment) -> tuple[str, str]:
    """The fulfillment's metadata ``amazon.carrier`` (or ``carrier``); else what the tracking number's shape
    says (UPS, USPS, FedEx, Royal Mail, Amazon Shipping); else the order's shipping method name as Other."""
    name = fulfillment.metadata.get("amazon.carrier") or fulfillment.metadata.get("carrier") or ""
    if not name:
        name = amazon_orders.carrier_from_tracking(fulfillment.tracking_number) or ""
    if not name and fulfillment.shipping_method_name not in ("", "Amazon"):
        name = fulfillment.shipping_method_name
    return amazon_orders.carrier_code(name or "Other")


def items_for(order: AmazonOrder, fulfillment: HostFulfillment) -> list[dict[str, object]]:
    """Amazon's order items and quantities for the fulfillment's lines (by variant, then SKU)."""
    lines = list(order.lines.all())
    left = {line.pk: line.quantity for line in lines}
    items: dict[str, int] = {}
    for fline in fulfillment.lines:
        quantity = fline.quantity
        for line in lines:
            if quantity <= 0:
                break
            same = (fline.variant_id is not None and line.variant_id == fline.variant_id) or (
                fline.sku and line.seller_sku == fline.sku)
            if not same or left[line.pk] <= 0:
                continue
            take = min(quantity, left[line.pk])
            left[line.pk] -= take
            quantity -= take
            items[line.order_item_id] = items.get(line.order_item_id, 0) + take
    return [{"orderItemId": item_id, "quantity": quantity} for item_id, quantity in items.items()]


def record(fulfillment: HostFulfillment) -> AmazonShipment | None:
    """The shipment row of a Saleor fulfillment of an imported Amazon order (None for other orders).

    A known fulfillment gains its tracking number when it had none; a confirmed one never changes.
    """
    if fulfillment.status not in ("fulfilled", "waiting_for_approval"):
        return None
    order = AmazonOrder.objects.filter(saleor_order_id=fulfillment.order_id).select_related("store").first()
    if order is None or order.fulfilled_by == "AMAZON":
        return None
    tracking = fulfillment.tracking_number.strip()[:255]
    code, name = carrier_for(fulfillment)
    fields = {
        "carrier_code": code, "carrier_name": name, "tracking_number": tracking, "ship_date": fulfillment.created_at,
        "items": items_for(order, fulfillment),
        "status": ShipmentStatus.PENDING if tracking else ShipmentStatus.WAITING_TRACKING,
    }
    with transaction.atomic():
        shipment = AmazonShipment.objects.select_for_update().filter(fulfillment_id=fulfillment.id).first()
        if shipment is None:
            try:
                with transaction.atomic():
                    return AmazonShipment.objects.create(order=order, fulfillment_id=fulfillment.id, **fields)
            except IntegrityError:
                shipment = AmazonShipment.objects.select_for_update().get(fulfillment_id=fulfillment.id)
        if shipment.status == ShipmentStatus.WAITING_TRACKING and tracking:
            for name_, value in fields.items():
                setattr(shipment, name_, value)
            shipment.save()
        return shipment


def queue(shipment_id: int) -> None:
    from saleor_amazon_channel.orders.tasks import confirm_shipment_task

    transaction.on_commit(lambda: confirm_shipment_task.delay(shipment_id))


def fulfillment_changed(fulfillment: HostFulfillment) -> AmazonShipment | None:
    """The plugin hooks' entry: record, and send once the host's transaction commits."""
    shipment = record(fulfillment)
    if shipment is not None and shipment.status == ShipmentStatus.PENDING:
        queue(shipment.pk)
    return shipment


def claim(shipment_id: int) -> AmazonShipment | None:
    now = timezone.now()
    claimed = AmazonShipment.objects.filter(pk=shipment_id, status=ShipmentStatus.PENDING).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    ).update(lease_until=now + lease(), attempts=F("attempts") + 1)
    if not claimed:
        return None
    return AmazonShipment.objects.select_related("order__store__authorization").get(pk=shipment_id)


def send(shipment_id: int, *, http: AmazonHttp | None = None,
         sleep: Callable[[float], None] = time.sleep) -> float | None:
    """Send a PENDING shipment; None when settled (or not ours to send), else seconds until a retry."""
    shipment = claim(shipment_id)
    if shipment is None:
        return None
    store = shipment.order.store
    _refresh(shipment)
    if not shipment.tracking_number:
        AmazonShipment.objects.filter(pk=shipment.pk).update(status=ShipmentStatus.WAITING_TRACKING, lease_until=None)
        return None
    authorization = store.authorization
    if authorization is None:
        return _settle(shipment, ShipmentStatus.FAILED, "not_connected", "The store is not connected to Amazon.")
    if not shipment.items:
        return _settle(shipment, ShipmentStatus.REFUSED, "no_items",
                       "No line of this fulfillment matches an item of the Amazon order.")
    key = confirm_key(authorization.selling_partner_id, authorization.region)
    wait = pacing.reserve(key, amazon_orders.CONFIRM_RATE, amazon_orders.CONFIRM_BURST, configurable=False,
                          spend_burst=True, max_wait=MAX_SLEEP)
    if wait > MAX_SLEEP:
        return _later(shipment, wait)
    if wait > 0:
        sleep(wait)
    own = http is None
    client = http or AmazonHttp(max_attempts=1)
    try:
        token = tokens.get_access_token(authorization, get_host().get_config(), http=client)
        amazon_orders.confirm_shipment(
            client, token, store.marketplace, shipment.order.amazon_order_id,
            package_reference_id=str(shipment.fulfillment_id), carrier_code=shipment.carrier_code,
            carrier_name=shipment.carrier_name, tracking_number=shipment.tracking_number,
            ship_date=shipment.ship_date or shipment.created_at,
            items=[amazon_orders.ShipmentItem(str(i["orderItemId"]), int(i["quantity"])) for i in shipment.items],
        )
    except errors.Throttled as error:
        pacing.slow_down(key, error.retry_after)
        return _retry(shipment, error, error.retry_after)
    except errors.Forbidden as error:
        tokens.forget_access_token(authorization)
        return _retry(shipment, error, None)
    except errors.AmazonRequestError as error:
        return _settle(shipment, ShipmentStatus.REFUSED, error.code, str(error.message))
    except errors.AmazonError as error:
        return _retry(shipment, error, None)
    finally:
        if own:
            client.close()
    with transaction.atomic():
        AmazonShipment.objects.filter(pk=shipment.pk).update(
            status=ShipmentStatus.CONFIRMED, confirmed_at=timezone.now(), lease_until=None, error_code="",
            error_message="",
        )
        _count_shipped(shipment)
    return None


def _refresh(shipment: AmazonShipment) -> None:
    """What the fulfillment says now (the host's transaction has committed: carrier metadata, tracking number)."""
    order = shipment.order
    current = next((f for f in get_host().order_fulfillments([order.saleor_order_id]).get(order.saleor_order_id, [])
                    if f.id == shipment.fulfillment_id), None)
    if current is None:
        return
    shipment.carrier_code, shipment.carrier_name = carrier_for(current)
    shipment.tracking_number = current.tracking_number.strip()[:255]
    shipment.items = items_for(order, current)
    AmazonShipment.objects.filter(pk=shipment.pk).update(
        carrier_code=shipment.carrier_code, carrier_name=shipment.carrier_name,
        tracking_number=shipment.tracking_number, items=shipment.items,
    )


def _count_shipped(shipment: AmazonShipment) -> None:
    for item in shipment.items:
        line = AmazonOrderLine.objects.select_for_update().filter(
            order_id=shipment.order_id, order_item_id=item["orderItemId"]).first()
        if line is not None:
            line.quantity_shipped = min(line.quantity, line.quantity_shipped + int(item["quantity"]))
            line.save(update_fields=["quantity_shipped"])


def _settle(shipment: AmazonShipment, status: str, code: str, message: str) -> float | None:
    AmazonShipment.objects.filter(pk=shipment.pk).update(
        status=status, lease_until=None, error_code=code[:64], error_message=message[:500]
    )
    logger.warning("amazon_channel.orders.shipment_not_confirmed", extra={"shipment": shipment.pk, "code": code})
    return None


def _later(shipment: AmazonShipment, wait: float) -> float:
    AmazonShipment.objects.filter(pk=shipment.pk).update(lease_until=None, attempts=shipment.attempts - 1)
    return wait


def _retry(shipment: AmazonShipment, error: errors.AmazonError, retry_after: float | None) -> float | None:
    if shipment.attempts >= MAX_ATTEMPTS:
        return _settle(shipment, ShipmentStatus.FAILED, error.code, str(error.message))
    AmazonShipment.objects.filter(pk=shipment.pk).update(
        lease_until=None, error_code=error.code[:64], error_message=str(error.message)[:500]
    )
    return backoff(shipment.attempts + 1, retry_after, base=1.0, cap=300.0)


def retry(shipment: AmazonShipment) -> bool:
    """A refused or failed shipment goes again (the retry mutation); False when it is not retryable."""
    updated = AmazonShipment.objects.filter(pk=shipment.pk, status__in=RETRYABLE).update(
        status=ShipmentStatus.PENDING, attempts=0, lease_until=None
    )
    if updated:
        queue(shipment.pk)
    return bool(updated)


def sweep(limit: int = 500) -> int:
    """The safety net: fulfillments the hooks missed are recorded; PENDING shipments nobody holds are sent.

    Returns how many shipments were queued.
    """
    host = get_host()
    for fulfillment in host.fulfillments_since(timezone.now() - SWEEP_LOOKBACK, limit=limit):
        record(fulfillment)
    now = timezone.now()
    ids = list(AmazonShipment.objects.filter(status=ShipmentStatus.PENDING).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)).values_list("pk", flat=True)[:limit])
    for pk in ids:
        queue(pk)
    return len(ids)
