"""Orders the emulated Amazon holds, and how they read in Orders API v2026-01-01.

``OrderBook`` lives on ``EmulatorState`` (``state.order_book``) and is only
touched under ``state.lock``.  Times are seconds on the emulator clock
(``state.now()``), kept whole so the rendered ISO 8601 value is exactly the
stored one (a client may use a returned ``lastUpdatedTime`` as its cursor).

``render`` spells an order as the ``Order`` schema of
``orders_2026-01-01.json``: the base fields always, each dataset
(``includedData``) only when asked for.  Money is ``{"amount": "12.34",
"currencyCode": "USD"}`` (``Decimal`` as a string) in the marketplace's
currency.
"""

from __future__ import annotations

import hashlib
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from .faults import Fault
from .marketplaces import MARKETPLACES
from .ratelimit import TokenBucket

# Fulfillment statuses, as the model names them (v0 spellings are accepted by the control API).
STATUSES = ("PENDING_AVAILABILITY", "PENDING", "UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED", "CANCELLED",
            "UNFULFILLABLE")
V0_STATUS = {"PendingAvailability": "PENDING_AVAILABILITY", "Pending": "PENDING", "Unshipped": "UNSHIPPED",
             "PartiallyShipped": "PARTIALLY_SHIPPED", "Shipped": "SHIPPED", "Canceled": "CANCELLED",
             "Cancelled": "CANCELLED", "Unfulfillable": "UNFULFILLABLE"}
FULFILLED_BY = {"MFN": "MERCHANT", "MERCHANT": "MERCHANT", "AFN": "AMAZON", "FBA": "AMAZON", "AMAZON": "AMAZON"}
INCLUDED_DATA = ("BUYER", "RECIPIENT", "PROCEEDS", "EXPENSE", "PROMOTION", "CANCELLATION", "FULFILLMENT",
                 "PACKAGES", "TAX", "PAYMENT", "FULFILLMENT_ORDERS")
ZERO_DECIMAL_CURRENCIES = ("JPY",)
# Usage plans from the models' descriptions: (requests per second, burst).
ORDER_PLANS = {
    "searchOrders": (0.0056, 20),  # orders_2026-01-01.json
    "getOrder": (0.5, 30),  # orders_2026-01-01.json
    "confirmShipment": (2.0, 10),  # ordersV0.json
}
OPERATIONS = tuple(ORDER_PLANS)

# A plausible address per marketplace country (street, city, state, postal code).
ADDRESSES = {
    "US": ("410 Terry Ave N", "Seattle", "WA", "98109"),
    "CA": ("120 Bremner Blvd", "Toronto", "ON", "M5J 0A8"),
    "MX": ("Av. Paseo de la Reforma 505", "Ciudad de México", "CDMX", "06500"),
    "GB": ("1 Principal Place", "London", "", "EC2A 2FA"),
    "DE": ("Marcel-Breuer-Str. 12", "München", "BY", "80807"),
}
FIRST_NAMES = ("Alex", "Sam", "Jordan", "Robin", "Taylor", "Morgan", "Casey", "Jamie")
LAST_NAMES = ("Smith", "Garcia", "Müller", "Martin", "Rossi", "Tanaka", "Nowak", "Dubois")


def iso(seconds: float) -> str:
    return datetime.fromtimestamp(int(seconds), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> float:
    """ISO 8601 date-time (``Z`` or an offset; a naive value is UTC) to epoch seconds.  Raises ValueError."""
    if not isinstance(value, str) or "T" not in value:
        raise ValueError(f"{value!r} is not an ISO 8601 date-time")
    parsed = datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def seeded_asin(seller_sku: str) -> str:
    """A stable ASIN for a line created by SKU only."""
    return f"B0{_hash('asin:' + seller_sku) % 16**8:08X}"


def decimal(value, name: str) -> Decimal:
    try:
        result = Decimal(str(value))
    except Exception:
        raise ValueError(f"{name} must be a number") from None
    if not result.is_finite() or result < 0:
        raise ValueError(f"{name} must be a number, not negative")
    return result


def normalize_status(value: str) -> str:
    status = V0_STATUS.get(value, value)
    if status not in STATUSES:
        raise ValueError(f"unknown order status {value!r}; use one of {STATUSES} or the v0 names")
    return status


@dataclass
class OrderLine:
    order_item_id: str
    seller_sku: str
    asin: str
    title: str
    quantity: int
    unit_price: Decimal
    shipping_price: Decimal = Decimal(0)  # for the whole line
    item_tax: Decimal = Decimal(0)
    shipping_tax: Decimal = Decimal(0)
    promotion_discount: Decimal = Decimal(0)  # a positive amount taken off the line
    promotion_ids: list[str] = field(default_factory=list)
    quantity_shipped: int = 0
    cancel_request: str | None = None  # the buyer's reason, when they asked to cancel

    @property
    def unshipped(self) -> int:
        return self.quantity - self.quantity_shipped


@dataclass
class Order:
    order_id: str
    selling_partner_id: str
    marketplace_id: str
    fulfilled_by: str  # MERCHANT or AMAZON
    status: str
    created: float
    last_updated: float
    lines: list[OrderLine]
    buyer_name: str
    buyer_email: str
    address: dict  # CustomerAddress fields
    service_level: str = "STANDARD"
    programs: list[str] = field(default_factory=list)
    cancelled_by: str | None = None
    cancel_reason: str | None = None
    shipments: list[dict] = field(default_factory=list)  # confirmShipment bodies accepted, with receivedAt

    @property
    def currency(self) -> str:
        return MARKETPLACES[self.marketplace_id].currency

    def touch(self, now: float) -> None:
        self.last_updated = float(int(now))


class OrderBook:
    def __init__(self):
        self.orders: dict[str, Order] = {}
        self.sequence = 0
        self.pii_roles: set[tuple[str, str]] = set()  # (application id or "*", selling partner id)
        self.repeat_pages: Counter[str] = Counter()  # selling partner id -> searchOrders pages to serve twice
        self.faults: deque[tuple[str, Fault]] = deque()  # (operation, fault)
        self.calls: Counter[str] = Counter()  # operation -> requests, faults included
        self.calls_by_seller: dict[str, Counter[str]] = {}  # selling partner id -> operation -> requests
        self.plans: dict[str, tuple[float, int]] = dict(ORDER_PLANS)
        self.buckets: dict[tuple[str, str, str], TokenBucket] = {}

    # -- identifiers -----------------------------------------------------------

    def next_order_id(self) -> str:
        """A new Amazon order ID in 3-7-7 format."""
        while True:
            self.sequence += 1
            order_id = f"113-{self.sequence:07d}-{_hash(f'order:{self.sequence}') % 10_000_000:07d}"
            if order_id not in self.orders:
                return order_id

    def next_item_id(self, order_id: str, index: int) -> str:
        return f"{_hash(f'item:{order_id}:{index}') % 10**14:014d}"

    # -- roles, faults, pages ---------------------------------------------------

    def has_pii_role(self, application_id: str, selling_partner_id: str) -> bool:
        return (application_id, selling_partner_id) in self.pii_roles or ("*", selling_partner_id) in self.pii_roles

    def take_fault(self, operation: str) -> Fault | None:
        for entry in self.faults:
            op, fault = entry
            if op == operation:
                fault.count -= 1
                if fault.count == 0:
                    self.faults.remove(entry)
                return fault
        return None

    def take_repeat(self, selling_partner_id: str) -> bool:
        for key in (selling_partner_id, "*"):
            if self.repeat_pages[key] > 0:
                self.repeat_pages[key] -= 1
                return True
        return False

    def take_rate_token(self, application_id: str, selling_partner_id: str, operation: str, now: float) -> bool:
        key = (application_id, selling_partner_id, operation)
        bucket = self.buckets.get(key)
        if bucket is None:
            bucket = self.buckets[key] = TokenBucket.full(*self.plans[operation], now)
        return bucket.take(now)


# -- rendering ---------------------------------------------------------------------


def money(amount: Decimal, currency: str) -> dict:
    exponent = Decimal(1) if currency in ZERO_DECIMAL_CURRENCIES else Decimal("0.01")
    return {"amount": str(amount.quantize(exponent, rounding=ROUND_HALF_UP)), "currencyCode": currency}


def _item_proceeds(line: OrderLine, currency: str) -> dict:
    item = line.unit_price * line.quantity
    breakdowns = [{"type": "ITEM", "subtotal": money(item, currency)}]
    total = item
    if line.shipping_price:
        breakdowns.append({"type": "SHIPPING", "subtotal": money(line.shipping_price, currency)})
        total += line.shipping_price
    if line.item_tax or line.shipping_tax:
        tax = line.item_tax + line.shipping_tax
        breakdowns.append({"type": "TAX", "subtotal": money(tax, currency), "detailedBreakdowns": [
            {"subtype": "ITEM", "value": money(line.item_tax, currency)},
            {"subtype": "SHIPPING", "value": money(line.shipping_tax, currency)},
        ]})
        total += tax
    if line.promotion_discount:
        discount = money(-line.promotion_discount, currency)
        breakdowns.append({"type": "DISCOUNT", "subtotal": discount,
                           "detailedBreakdowns": [{"subtype": "ITEM", "value": discount}]})
        total -= line.promotion_discount
    return {"proceedsTotal": money(total, currency), "breakdowns": breakdowns}


def _order_proceeds(order: Order) -> dict:
    sums: dict[str, Decimal] = {}
    for line in order.lines:
        for entry in _item_proceeds(line, order.currency)["breakdowns"]:
            sums[entry["type"]] = sums.get(entry["type"], Decimal(0)) + Decimal(entry["subtotal"]["amount"])
    return {
        "grandTotal": money(sum(sums.values(), Decimal(0)), order.currency),
        "breakdowns": [{"type": kind, "subtotal": money(value, order.currency)} for kind, value in sums.items()],
    }


def _item(order: Order, line: OrderLine, included: set[str]) -> dict:
    priced = order.status not in ("PENDING", "PENDING_AVAILABILITY")  # Amazon gives no pricing while Pending
    product = {"asin": line.asin, "title": line.title, "sellerSku": line.seller_sku,
               "condition": {"conditionType": "NEW", "conditionSubtype": "NEW"}}
    if priced:
        product["price"] = {"unitPrice": money(line.unit_price, order.currency)}
    item: dict = {"orderItemId": line.order_item_id, "quantityOrdered": line.quantity, "product": product}
    if "PROCEEDS" in included and priced:
        item["proceeds"] = _item_proceeds(line, order.currency)
    if "PROMOTION" in included and line.promotion_ids:
        item["promotion"] = {"breakdowns": [{"promotionId": pid} for pid in line.promotion_ids]}
    if "CANCELLATION" in included:
        cancellation = {}
        if line.cancel_request is not None:
            cancellation["cancellationRequest"] = {"requester": "BUYER", "cancelReason": line.cancel_request}
        if order.status == "CANCELLED":
            cancellation["cancellationExecution"] = {"cancelledBy": order.cancelled_by or "AMAZON",
                                                     "cancelReason": order.cancel_reason or ""}
        if cancellation:
            item["cancellation"] = cancellation
    if "FULFILLMENT" in included:
        item["fulfillment"] = {
            "quantityFulfilled": line.quantity_shipped,
            "quantityUnfulfilled": 0 if order.status == "CANCELLED" else line.unshipped,
        }
    if "TAX" in included and priced:
        item["tax"] = {"taxCollections": [
            {"model": "MarketplaceFacilitator", "responsibleParty": "Amazon Services, Inc."},
        ]}
    return item


def render(order: Order, included: set[str], pii: bool) -> dict:
    """The ``Order`` schema; ``pii``: the application holds the roles for buyer and recipient data."""
    marketplace = MARKETPLACES[order.marketplace_id]
    body: dict = {
        "orderId": order.order_id,
        "createdTime": iso(order.created),
        "lastUpdatedTime": iso(order.last_updated),
        "programs": list(order.programs),
        "salesChannel": {"channelName": "AMAZON", "marketplaceId": marketplace.id, "marketplaceName": marketplace.name},
    }
    if "BUYER" in included and pii:
        buyer = {"buyerName": order.buyer_name}
        if order.fulfilled_by == "MERCHANT":  # "Only available for merchant-fulfilled (FBM) orders."
            buyer["buyerEmail"] = order.buyer_email
        body["buyer"] = buyer
    if "RECIPIENT" in included:
        if pii:
            address = dict(order.address)
            if order.fulfilled_by == "AMAZON":  # the phone is suppressed for all FBA orders
                address.pop("phone", None)
        else:  # withheld: what Amazon still shows without the roles
            address = {key: order.address[key] for key in ("city", "stateOrRegion", "postalCode", "countryCode")
                       if order.address.get(key)}
        body["recipient"] = {"deliveryAddress": address}
    if "PROCEEDS" in included and order.status not in ("PENDING", "PENDING_AVAILABILITY"):
        body["proceeds"] = _order_proceeds(order)
    if "FULFILLMENT" in included:
        body["fulfillment"] = {
            "fulfillmentStatus": order.status,
            "fulfilledBy": order.fulfilled_by,
            "fulfillmentServiceLevel": order.service_level,
            "shipByWindow": {"earliestDateTime": iso(order.created), "latestDateTime": iso(order.created + 2 * 86400)},
            "deliverByWindow": {"earliestDateTime": iso(order.created + 3 * 86400),
                                "latestDateTime": iso(order.created + 7 * 86400)},
        }
    body["orderItems"] = [_item(order, line, included) for line in order.lines]
    if "PACKAGES" in included and order.fulfilled_by == "MERCHANT":
        body["packages"] = [_package(shipment) for shipment in order.shipments]
    return body


def _package(shipment: dict) -> dict:
    detail = shipment["packageDetail"]
    package = {
        "packageReferenceId": detail["packageReferenceId"],
        "createdTime": shipment["receivedAt"],
        "packageStatus": {"status": "SHIPPED"},
        "carrier": detail.get("carrierName") if detail["carrierCode"] == "Other" else detail["carrierCode"],
        "shipTime": iso(parse_iso(detail["shipDate"])),
        "trackingNumber": detail["trackingNumber"],
        "packageItems": [{"orderItemId": i["orderItemId"], "quantity": i["quantity"]} for i in detail["orderItems"]],
    }
    if detail.get("shippingMethod"):
        package["shippingService"] = detail["shippingMethod"]
    return package


def default_buyer(order_id: str, country: str) -> tuple[str, str, dict]:
    """A deterministic buyer name, anonymized e-mail and delivery address for an order."""
    n = _hash("buyer:" + order_id)
    name = f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[(n >> 8) % len(LAST_NAMES)]}"
    street, city, state, postal = ADDRESSES.get(country, ("1 Main Street", "Capital City", "", "00000"))
    address = {"name": name, "addressLine1": street, "city": city, "stateOrRegion": state, "postalCode": postal,
               "countryCode": country, "phone": f"+1 555 01{n % 100:02d}", "addressType": "RESIDENTIAL"}
    email = f"{n % 10**12:012x}@marketplace.amazon.com"
    return name, email, {k: v for k, v in address.items() if v}
