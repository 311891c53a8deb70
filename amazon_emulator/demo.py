"""Demo sellers and their orders for ``--seed-demo`` (and POST /_emulator/seed-demo).

Every demo seller signs in with password ``amazon-demo`` and OTP ``123456``.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from typing import Any

PASSWORD = "amazon-demo"
OTP = "123456"

US, CA, MX = "ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8"
UK, DE = "A1F83G8C2ARO7P", "A1PA6795UKMFR9"

SELLERS = (
    {
        "email": "seller@example.com",
        "selling_partner_id": "A2DEMOSELLER01",
        "region": "NA",
        "marketplaces": {US: True, CA: True, MX: True},
        "store_name": "Demo Seller Store",
    },
    {
        "email": "eu-seller@example.com",
        "selling_partner_id": "A3DEMOSELLEREU",
        "region": "EU",
        "marketplaces": {UK: True, DE: True},
        "store_name": "Demo EU Store",
    },
    {
        # Registered in Canada but not selling there: the "not participating" case.
        "email": "na-nonparticipant@example.com",
        "selling_partner_id": "A4DEMONONPART01",
        "region": "NA",
        "marketplaces": {US: True, CA: False},
        "store_name": "Demo US-only Store",
    },
)


def seed(add_seller: Callable[..., Any]) -> None:
    """Add the demo sellers through ``add_seller`` (the ``Emulator``'s method)."""
    for seller in SELLERS:
        add_seller(password=PASSWORD, otp=OTP, **seller)


# Orders placed on the emulated Amazon.com for the first demo seller, on the demo catalog's SKUs
# (``demo/seed.py``: DEMO-0001…, 20 USD), old enough to be outside searchOrders' two-minute margin.
ORDERS = (
    {
        "order_id": "111-0000001-0000001",
        "selling_partner_id": "A2DEMOSELLER01",
        "marketplace_id": US,
        "fulfillment_channel": "MFN",
        "status": "Unshipped",
        "created_seconds_ago": 3600,
        "items": [
            {"seller_sku": "DEMO-0001", "quantity": 2, "unit_price": "20.00", "shipping_price": "4.99",
             "item_tax": "3.30", "shipping_tax": "0.41"},
            {"seller_sku": "DEMO-0002", "quantity": 1, "unit_price": "20.00", "item_tax": "1.65",
             "promotion_discount": "2.00", "promotion_ids": ["DEMO-PROMO-10"]},
        ],
    },
    {
        "order_id": "111-0000001-0000002",
        "selling_partner_id": "A2DEMOSELLER01",
        "marketplace_id": US,
        "fulfillment_channel": "MFN",
        "status": "Pending",
        "created_seconds_ago": 1800,
        "items": [{"seller_sku": "DEMO-0004", "quantity": 1, "unit_price": "20.00", "item_tax": "1.65"}],
    },
)


def seed_orders(create_order: Callable[..., Any], existing: Container[str]) -> None:
    """Place the demo orders not yet placed through ``create_order`` (``Emulator.orders.create``)."""
    for order in ORDERS:
        if order["order_id"] not in existing:
            create_order(**order)
