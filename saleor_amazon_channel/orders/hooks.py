"""What the host adapter calls when Saleor changes an order (the plugin's hooks in ``plugin.py``)."""

import logging

from saleor_amazon_channel.core.host import get_host
from saleor_amazon_channel.orders import shipments
from saleor_amazon_channel.orders.models import AmazonOrder, AmazonShipment, Problem

logger = logging.getLogger(__name__)


def fulfillment_created(order_id: str, fulfillment_id: int) -> AmazonShipment | None:
    """A fulfillment was created (or its tracking number changed): record its shipment to Amazon,
    sent once the host's transaction commits. Orders that did not come from Amazon cost one query."""
    if not AmazonOrder.objects.filter(saleor_order_id=order_id).exists():
        return None
    for fulfillment in get_host().order_fulfillments([order_id]).get(order_id, []):
        if fulfillment.id == fulfillment_id:
            return shipments.fulfillment_changed(fulfillment)
    return None


def order_cancelled(order_id: str) -> None:
    """Saleor cancelled an Amazon order. Orders API v0/v2026 cannot cancel an order (Amazon takes seller
    cancellations through the order-acknowledgement feed): nothing is sent; the Amazon order is flagged so
    the merchant cancels it in Seller Central, unless Amazon had cancelled it already."""
    AmazonOrder.objects.filter(saleor_order_id=order_id).exclude(amazon_status="CANCELLED").update(
        saleor_state="canceled", problem=Problem.CANCELLED_IN_SALEOR,
        problem_message="Cancelled in Saleor only: cancel it in Seller Central too (Amazon still expects it shipped).",
    )
