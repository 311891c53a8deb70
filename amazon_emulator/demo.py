"""Demo sellers, their offers and their orders for ``--seed-demo`` (and POST /_emulator/seed-demo).

Every demo seller signs in with password ``amazon-demo`` and OTP ``123456``.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from typing import Any

from .offer_rules import offer_facts

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


# -- the demo seller's existing offers on Amazon.com ---------------------------------------

DEMO_SELLER = "A2DEMOSELLER01"
# A brand the demo seller is not approved for: offers on its items come back with APPROVAL_REQUIRED.
RESTRICTED_BRANDS = ["Umbrella"]


def demo_ean(n: int) -> str:
    """The EAN the demo shop (demo/seed.py) gives its variant DEMO-<n>."""
    body = f"{400638100000 + n:012d}"
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(reversed(body), start=1))
    return body + str((10 - total % 10) % 10)


def _matched_variants(book, how_many: int) -> list[tuple[int, str]]:
    """(n, ASIN) of demo variants whose EAN the catalog knows as exactly one item, brand not restricted."""
    found, n = [], 0
    while len(found) < how_many:
        n += 1
        if n % 13 == 0 or n % 17 == 0:
            continue
        items = book.catalog.lookup("EAN", demo_ean(n), US, None)
        brand = items[0]["summaries"][0]["brand"] if len(items) == 1 else None
        if brand and brand not in RESTRICTED_BRANDS:
            found.append((n, items[0]["asin"]))
    return found


def seed_offers(book, selling) -> None:
    """Offers the demo seller already has: some on the demo shop's SKUs, one FBA, two third-party."""
    selling.configure(restricted_brands=RESTRICTED_BRANDS)
    matched = _matched_variants(book, 4)
    offers = [
        {"sku": f"DEMO-{n:04d}", "asin": asin, "price": "18.50", "quantity": 5, "age_days": 120}
        for n, asin in matched[:3]
    ]
    n, asin = matched[3]
    offers.append({"sku": f"DEMO-{n:04d}", "asin": asin, "price": "21.00", "quantity": 40,
                   "fulfillment_channel_code": "AMAZON_NA", "age_days": 200})
    # Third-party offers: on items of the catalog that no demo variant carries (EANs past the demo's range).
    third_party = [asin for _, asin in _matched_variants(book, 900)[-2:]]
    for k, asin in enumerate(third_party, start=1):
        offers.append({"sku": f"AMZ-LEGACY-{k:03d}", "asin": asin, "price": "9.99", "quantity": 3, "age_days": 400})
    book.seed(DEMO_SELLER, US, offers)


# Orders placed on the emulated Amazon.com for the demo seller, on the SKUs of its offers above (the ASIN,
# title and price come from the offer), old enough to be outside searchOrders' two-minute margin.
ORDERS = (
    {
        "order_id": "111-0000001-0000001",
        "fulfillment_channel": "MFN",
        "status": "Unshipped",
        "created_seconds_ago": 3600,
        "items": [
            {"seller_sku": "DEMO-0001", "quantity": 2, "shipping_price": "4.99", "item_tax": "3.05",
             "shipping_tax": "0.41"},
            {"seller_sku": "DEMO-0002", "quantity": 1, "item_tax": "1.53", "promotion_discount": "1.85",
             "promotion_ids": ["DEMO-PROMO-10"]},
        ],
    },
    {
        "order_id": "111-0000001-0000002",
        "fulfillment_channel": "MFN",
        "status": "Pending",
        "created_seconds_ago": 1800,
        "items": [{"seller_sku": "DEMO-0003", "quantity": 1, "item_tax": "1.53"}],
    },
    {
        # Fulfilled by Amazon, already shipped: the FBA offer.
        "order_id": "111-0000001-0000003",
        "fulfillment_channel": "AFN",
        "status": "Shipped",
        "created_seconds_ago": 7200,
        "items": [{"seller_sku": "DEMO-0004", "quantity": 1, "item_tax": "1.73"}],
    },
)


def seed_orders(create_order: Callable[..., Any], existing: Container[str], selling) -> None:
    """Place the demo orders not yet placed through ``create_order`` (``Emulator.orders.create``)."""
    offers = {facts["sku"]: facts for facts in
              (offer_facts(offer, selling.now()) for offer in selling.offers_of(DEMO_SELLER, US))}
    for order in ORDERS:
        if order["order_id"] in existing:
            continue
        items = [
            {"asin": offers[item["seller_sku"]]["asin"], "title": offers[item["seller_sku"]]["item_name"],
             "unit_price": offers[item["seller_sku"]]["price"], **item}
            for item in order["items"]
        ]
        create_order(**{**order, "items": items}, selling_partner_id=DEMO_SELLER, marketplace_id=US)
