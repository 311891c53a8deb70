"""The Orders API: v2026-01-01 ``searchOrders`` and ``getOrder``, and v0 ``confirmShipment``.

v2026-01-01 replaces the v0 read operations (deprecated; removal announced for 2027-03-27) and
needs no Restricted Data Token: buyer and recipient data come back in ``includedData`` when the
application has Amazon's PII roles, and are missing (or blank) otherwise. ``confirmShipment``
exists only in v0 and is not deprecated.

Usage plans (the models' tables): searchOrders 0.0056 requests/s, burst 20; getOrder 0.5/s,
burst 30; confirmShipment 2/s, burst 10. The caller paces (``catalog.pacing``) and retries:
:class:`AmazonHttp` is used with one attempt, so every attempt takes a slot.

Amounts are kept as :class:`Decimal` from Amazon's strings; nothing here knows Saleor.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote, urlencode

import requests

from saleor_amazon_channel.amazon import endpoints
from saleor_amazon_channel.amazon.errors import AmazonUnavailable
from saleor_amazon_channel.amazon.http import AmazonHttp, Retry
from saleor_amazon_channel.amazon.sp_api import error_from_response, get_field
from saleor_amazon_channel.core.marketplaces import Marketplace

SEARCH_PATH = "/orders/2026-01-01/orders"
CONFIRM_PATH = "/orders/v0/orders/{order_id}/shipmentConfirmation"
MAX_RESULTS_PER_PAGE = 100
# Amazon refuses a lastUpdatedBefore (createdBefore) closer than two minutes to its clock.
MIN_AGE = timedelta(minutes=2)
INCLUDED_DATA = ("BUYER", "RECIPIENT", "PROCEEDS", "TAX", "CANCELLATION", "FULFILLMENT")

SEARCH_RATE, SEARCH_BURST = 0.0056, 20
GET_RATE, GET_BURST = 0.5, 30
CONFIRM_RATE, CONFIRM_BURST = 2.0, 10

# Amazon's carrier codes for confirmShipment (Seller Central's list; anything else is "Other" + a name).
CARRIER_CODES = (
    "Amazon Shipping", "Australia Post", "Blue Package", "BlueDart", "Canada Post", "Chronopost", "China Post",
    "Correos", "Correios", "DHL", "DHL eCommerce", "DHL Global Mail", "DHL Home Delivery", "DPD", "DTDC",
    "Delhivery", "Deutsche Post", "Estafeta", "Evri", "FedEx", "FedEx SmartPost", "Fastway", "GLS", "Hermes",
    "India Post", "Japan Post", "La Poste", "Lasership", "Newgistics", "NipponExpress", "OnTrac", "OSM",
    "Parcelforce", "Poste Italiane", "PostNL", "Purolator", "Royal Mail", "SagawaExpress", "SDA", "Seur",
    "Streamlite", "TNT", "UPS", "UPS Mail Innovations", "UPSMI", "USPS", "YamatoTransport", "Yodel", "Other",
)
_CARRIERS = {code.lower().replace(" ", ""): code for code in CARRIER_CODES}


def carrier_code(name: str) -> tuple[str, str]:
    """(carrierCode, carrierName) for a carrier as the merchant wrote it: Amazon's code, or Other + the name."""
    key = (name or "").strip().lower().replace(" ", "").replace("-", "")
    if key in _CARRIERS and _CARRIERS[key] != "Other":
        return _CARRIERS[key], ""
    return "Other", (name or "").strip()[:100] or "Other"


_TRACKING_PATTERNS = (
    (re.compile(r"^1Z[0-9A-Z]{16}$"), "UPS"),
    (re.compile(r"^(9[1-5]\d{18,20}|[A-Z]{2}\d{9}US)$"), "USPS"),
    (re.compile(r"^(\d{12}|\d{15}|\d{20})$"), "FedEx"),
    (re.compile(r"^[A-Z]{2}\d{9}GB$"), "Royal Mail"),
    (re.compile(r"^TBA\d{12}$"), "Amazon Shipping"),
)


def carrier_from_tracking(tracking_number: str) -> str | None:
    """Amazon's carrier code a tracking number's shape gives away (UPS 1Z…, USPS 9…, FedEx digits…); else None."""
    number = (tracking_number or "").strip().upper().replace(" ", "")
    for pattern, code in _TRACKING_PATTERNS:
        if pattern.match(number):
            return code
    return None


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _money(value: object) -> tuple[Decimal | None, str]:
    if not isinstance(value, dict):
        return None, ""
    currency = value.get("currencyCode") if isinstance(value.get("currencyCode"), str) else ""
    try:
        return Decimal(str(value.get("amount"))), str(currency)
    except (InvalidOperation, ValueError):
        return None, str(currency)


def _text(value: object, limit: int = 255) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class OrderItem:
    order_item_id: str
    quantity: int
    seller_sku: str = ""
    asin: str = ""
    title: str = ""
    # Totals of the item (all units), as Amazon charged them; None while Amazon has no pricing (Pending).
    item_amount: Decimal | None = None
    item_tax: Decimal = Decimal(0)
    shipping_amount: Decimal = Decimal(0)
    shipping_tax: Decimal = Decimal(0)
    discount: Decimal = Decimal(0)  # positive: what promotions took off
    quantity_shipped: int = 0
    cancel_requested: bool = False
    cancel_reason: str = ""


@dataclass(frozen=True)
class Address:
    name: str = ""
    company_name: str = ""
    line1: str = ""
    line2: str = ""
    city: str = ""
    district: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Order:
    order_id: str
    status: str
    fulfilled_by: str
    created_at: datetime
    updated_at: datetime
    marketplace_id: str = ""
    currency: str = ""
    total: Decimal | None = None
    buyer_name: str = ""
    buyer_email: str = ""
    address: Address | None = None
    items: tuple[OrderItem, ...] = ()
    # Amazon sent no buyer e-mail or no street: the application lacks the PII roles (or the order is FBA).
    pii_withheld: bool = False
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def buyer_cancel_requested(self) -> bool:
        return any(item.cancel_requested for item in self.items)


@dataclass
class SearchPage:
    orders: list[Order]
    next_token: str | None
    last_updated_before: datetime | None
    rate_limit: str | None
    skipped: int = 0  # orders Amazon sent that could not be read


def search_url(marketplace: Marketplace, *, last_updated_after: datetime, last_updated_before: datetime,
               fulfilled_by: tuple[str, ...] = ("MERCHANT",), page_token: str | None = None,
               max_results: int = MAX_RESULTS_PER_PAGE, by_creation: bool = False) -> str:
    """``by_creation``: the same bounds as ``createdAfter``/``createdBefore`` (orders created in the range,
    however recently Amazon changed them) instead of ``lastUpdatedAfter``/``lastUpdatedBefore``."""
    if not 0 < max_results <= MAX_RESULTS_PER_PAGE:
        raise ValueError(f"maxResultsPerPage is 1 to {MAX_RESULTS_PER_PAGE}")
    after, before = ("createdAfter", "createdBefore") if by_creation else ("lastUpdatedAfter", "lastUpdatedBefore")
    params = {
        after: iso(last_updated_after),
        before: iso(last_updated_before),
        "marketplaceIds": marketplace.id,
        "fulfilledBy": ",".join(fulfilled_by),
        "maxResultsPerPage": str(max_results),
        "includedData": ",".join(INCLUDED_DATA),
    }
    # "all other parameters must be repeated unchanged" with the token.
    if page_token:
        params["paginationToken"] = page_token
    return endpoints.sp_api_url(marketplace.region) + SEARCH_PATH + "?" + urlencode(params)


def search_orders(http: AmazonHttp, access_token: str, marketplace: Marketplace, *, last_updated_after: datetime,
                  last_updated_before: datetime, fulfilled_by: tuple[str, ...] = ("MERCHANT",),
                  page_token: str | None = None, max_results: int = MAX_RESULTS_PER_PAGE,
                  by_creation: bool = False) -> SearchPage:
    """One page of searchOrders; raises :class:`AmazonError` subclasses on an error answer."""
    url = search_url(marketplace, last_updated_after=last_updated_after, last_updated_before=last_updated_before,
                     fulfilled_by=fulfilled_by, page_token=page_token, max_results=max_results,
                     by_creation=by_creation)
    body, raw_orders, response = get_field(http, url, access_token, "orders", "Orders API")
    pagination = _dict(body.get("pagination"))
    next_token = pagination.get("nextToken") if isinstance(pagination.get("nextToken"), str) else None
    parsed = [parse_order(raw) for raw in raw_orders]
    orders = [order for order in parsed if order is not None]
    return SearchPage(orders, next_token or None, parse_time(body.get("lastUpdatedBefore")),
                      response.headers.get("x-amzn-RateLimit-Limit"), skipped=len(parsed) - len(orders))


def get_order(http: AmazonHttp, access_token: str, marketplace: Marketplace, order_id: str) -> tuple[Order, str | None]:
    """getOrder with the same datasets; (order, x-amzn-RateLimit-Limit)."""
    url = (endpoints.sp_api_url(marketplace.region) + SEARCH_PATH + "/" + quote(order_id, safe="") + "?"
           + urlencode({"includedData": ",".join(INCLUDED_DATA)}))
    response = http.get(url, headers={"x-amz-access-token": access_token, "Accept": "application/json"})
    if response.status_code != 200:
        raise error_from_response(response)
    try:
        body = response.json()
    except ValueError:
        body = None
    order = parse_order(_dict(body).get("order"))
    if order is None:
        raise AmazonUnavailable("Amazon's Orders API sent an answer the plugin cannot read.", code="bad_response",
                                status=response.status_code)
    return order, response.headers.get("x-amzn-RateLimit-Limit")


def parse_order(raw: object) -> Order | None:
    """An :class:`Order`, or None when Amazon's record lacks what identifies it."""
    if not isinstance(raw, dict):
        return None
    order_id = _text(raw.get("orderId"), 50)
    created = parse_time(raw.get("createdTime"))
    updated = parse_time(raw.get("lastUpdatedTime")) or created
    fulfillment = _dict(raw.get("fulfillment"))
    status = _text(fulfillment.get("fulfillmentStatus"), 24)
    if not order_id or created is None or updated is None or not status:
        return None
    items = tuple(item for item in (_parse_item(entry) for entry in raw.get("orderItems") or []) if item is not None)
    buyer = _dict(raw.get("buyer"))
    delivery = _dict(_dict(raw.get("recipient")).get("deliveryAddress"))
    address = None
    if delivery:
        address = Address(
            name=_text(delivery.get("name")), company_name=_text(delivery.get("companyName")),
            line1=_text(delivery.get("addressLine1")),
            line2=" ".join(filter(None, (_text(delivery.get("addressLine2")), _text(delivery.get("addressLine3"))))),
            city=_text(delivery.get("city")), district=_text(delivery.get("districtOrCounty")),
            state=_text(delivery.get("stateOrRegion")), postal_code=_text(delivery.get("postalCode"), 20),
            country=_text(delivery.get("countryCode"), 2).upper(), phone=_text(delivery.get("phone"), 40),
        )
    total, currency = _money(_dict(raw.get("proceeds")).get("grandTotal"))
    if not currency:
        for entry in raw.get("orderItems") or []:
            _, currency = _money(_dict(_dict(_dict(entry).get("product")).get("price")).get("unitPrice"))
            if currency:
                break
    buyer_email = _text(buyer.get("buyerEmail"))
    withheld = not buyer_email or address is None or not address.line1
    sales_channel = _dict(raw.get("salesChannel"))
    return Order(
        order_id=order_id, status=status, fulfilled_by=_text(fulfillment.get("fulfilledBy"), 16) or "MERCHANT",
        created_at=created, updated_at=updated, marketplace_id=_text(sales_channel.get("marketplaceId"), 20),
        currency=currency[:3], total=total, buyer_name=_text(buyer.get("buyerName")), buyer_email=buyer_email,
        address=address, items=items, pii_withheld=withheld, raw=_without_pii(raw),
    )


def _parse_item(raw: object) -> OrderItem | None:
    if not isinstance(raw, dict):
        return None
    item_id = _text(raw.get("orderItemId"), 50)
    quantity = raw.get("quantityOrdered")
    if not item_id or not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0:
        return None
    product = _dict(raw.get("product"))
    amounts: dict[str, Decimal] = {}
    priced = False
    for breakdown in _dict(raw.get("proceeds")).get("breakdowns") or []:
        breakdown = _dict(breakdown)
        kind = _text(breakdown.get("type"), 20)
        amount, _ = _money(breakdown.get("subtotal"))
        if amount is None:
            continue
        priced = True
        if kind == "TAX":
            # The tax's own breakdown tells item tax from shipping tax; without it, all is item tax.
            details = [_dict(d) for d in breakdown.get("detailedBreakdowns") or []]
            shipping_tax = sum((_money(d.get("value"))[0] or Decimal(0) for d in details
                                if "SHIPPING" in _text(d.get("subtype"), 40).upper()), Decimal(0))
            amounts["SHIPPING_TAX"] = amounts.get("SHIPPING_TAX", Decimal(0)) + shipping_tax
            amounts["TAX"] = amounts.get("TAX", Decimal(0)) + amount - shipping_tax
        else:
            amounts[kind] = amounts.get(kind, Decimal(0)) + amount
    if not priced:
        unit, _ = _money(_dict(product.get("price")).get("unitPrice"))
        if unit is not None:
            priced, amounts["ITEM"] = True, unit * quantity
    fulfillment = _dict(raw.get("fulfillment"))
    shipped = fulfillment.get("quantityFulfilled")
    request = _dict(_dict(raw.get("cancellation")).get("cancellationRequest"))
    return OrderItem(
        order_item_id=item_id, quantity=quantity, seller_sku=_text(product.get("sellerSku")),
        asin=_text(product.get("asin"), 10), title=_text(product.get("title"), 500),
        item_amount=amounts.get("ITEM") if priced else None, item_tax=amounts.get("TAX", Decimal(0)),
        shipping_amount=amounts.get("SHIPPING", Decimal(0)), shipping_tax=amounts.get("SHIPPING_TAX", Decimal(0)),
        discount=-amounts.get("DISCOUNT", Decimal(0)) if amounts.get("DISCOUNT", Decimal(0)) < 0
        else amounts.get("DISCOUNT", Decimal(0)),
        quantity_shipped=shipped if isinstance(shipped, int) and not isinstance(shipped, bool) else 0,
        cancel_requested=bool(request), cancel_reason=_text(request.get("cancelReason")),
    )


def _without_pii(raw: dict[str, Any]) -> dict[str, Any]:
    """Amazon's order as kept for the details page: buyer and recipient dropped (they go to their own columns)."""
    kept = {key: value for key, value in raw.items() if key not in ("buyer", "recipient")}
    # Bounded: an order is a few kB; a pathological one is not kept whole.
    return kept if len(json.dumps(kept, default=str)) <= 50_000 else {"orderId": raw.get("orderId")}


@dataclass(frozen=True)
class ShipmentItem:
    order_item_id: str
    quantity: int


def confirm_shipment(http: AmazonHttp, access_token: str, marketplace: Marketplace, order_id: str, *,
                     package_reference_id: str, carrier_code: str, carrier_name: str, tracking_number: str,
                     ship_date: datetime, items: list[ShipmentItem],
                     shipping_method: str = "") -> requests.Response:
    """confirmShipment (v0); Amazon answers 204. Raises :class:`AmazonError` subclasses otherwise.

    Retried here only when the request never left (``Retry.UNSENT``); a 5xx or a timeout is retried
    by the caller through its shipment record, with the same packageReferenceId.
    """
    detail: dict[str, Any] = {
        "packageReferenceId": package_reference_id,
        "carrierCode": carrier_code,
        "trackingNumber": tracking_number,
        "shipDate": iso(ship_date),
        "orderItems": [{"orderItemId": item.order_item_id, "quantity": item.quantity} for item in items],
    }
    if carrier_code == "Other":
        detail["carrierName"] = carrier_name
    if shipping_method:
        detail["shippingMethod"] = shipping_method
    url = endpoints.sp_api_url(marketplace.region) + CONFIRM_PATH.format(order_id=quote(order_id, safe=""))
    response = http.request(
        "POST", url, retry=Retry.UNSENT,
        json={"marketplaceId": marketplace.id, "packageDetail": detail},
        headers={"x-amz-access-token": access_token, "Accept": "application/json"},
    )
    if response.status_code not in (200, 204):
        raise error_from_response(response)
    return response
