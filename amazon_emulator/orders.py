"""Orders API: searchOrders and getOrder (v2026-01-01), confirmShipment (v0).

Follows orders_2026-01-01.json and ordersV0.json (amzn/selling-partner-api-models):
parameters, ``SearchOrdersResponse``/``GetOrderResponse`` answers, ``ErrorList``
errors, usage plans per application-seller pair and operation (429
``QuotaExceeded`` past them; ``x-amzn-RateLimit-Limit`` on 200/204/400/404).
Each request meets, in this order: a fault injected for its operation, the
access token (403), the usage plan (429), then the parameters.

Query arrays (``marketplaceIds``, ``fulfillmentStatuses``, ``fulfilledBy``,
``includedData``) are comma-separated, as SP-API clients send them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from collections import Counter

from .marketplaces import MARKETPLACES
from .order_book import INCLUDED_DATA, STATUSES, Order, iso, parse_iso, render
from .sp_api import UNAUTHORIZED_DETAILS, error, fault_response
from .state import EmulatorState
from .web import Request, Response, json_response

SEARCH_PATH = "/orders/2026-01-01/orders"
GET_PATH = r"/orders/2026-01-01/orders/(?P<order_id>[^/]+)"
CONFIRM_PATH = r"/orders/v0/orders/(?P<order_id>[^/]+)/shipmentConfirmation"
MIN_AGE = 120  # lastUpdatedBefore/createdBefore: "at least two minutes before the time of the request"
TOKEN_TTL = 24 * 3600  # "The token will expire after 24 hours"
MAX_PAGE = 100
MAX_MARKETPLACES = 50
# Carrier codes Amazon accepts (the CarrierCode list of Amazon's order-fulfillment feed schema,
# amzn-base.xsd, its common entries); anything else must be "Other" with a carrierName.
CARRIER_CODES = frozenset((
    "Amazon Shipping", "Australia Post", "Blue Package", "BlueDart", "Canada Post", "Chronopost", "China Post",
    "Correos", "Correios", "DHL", "DHL eCommerce", "DHL Global Mail", "DHL Home Delivery", "DPD", "DTDC",
    "Delhivery", "Deutsche Post", "Estafeta", "Evri", "FedEx", "FedEx SmartPost", "Fastway", "GLS", "Hermes",
    "India Post", "Japan Post", "La Poste", "Lasership", "Newgistics", "NipponExpress", "OnTrac", "OSM",
    "Parcelforce", "Poste Italiane", "PostNL", "Purolator", "Royal Mail", "SagawaExpress", "SDA", "Seur",
    "Streamlite", "TNT", "UPS", "UPS Mail Innovations", "UPSMI", "USPS", "YamatoTransport", "Yodel", "Other",
))


def _headers(rate: float | None) -> list[tuple[str, str]]:
    headers = [("x-amzn-RequestId", str(uuid.uuid4()))]
    if rate is not None:
        headers.append(("x-amzn-RateLimit-Limit", str(rate)))
    return headers


def _invalid(details: str, rate: float | None) -> Response:
    response = error("InvalidInput", details=details)
    if rate is not None:
        response.headers.append(("x-amzn-RateLimit-Limit", str(rate)))
    return response


def _csv(query: dict, name: str) -> list[str]:
    return [value.strip() for value in (query.get(name) or "").split(",") if value.strip()]


class Orders:
    def __init__(self, state: EmulatorState):
        self.state = state

    def routes(self):
        return [
            ("GET", SEARCH_PATH, self.search_orders),
            ("GET", GET_PATH, self.get_order),
            ("POST", CONFIRM_PATH, self.confirm_shipment),
        ]

    @staticmethod
    def operation(request: Request) -> str:
        if request.method == "POST":
            return "confirmShipment"
        return "searchOrders" if request.path == SEARCH_PATH else "getOrder"

    def count(self, request: Request) -> None:
        """Count calls per operation, and per seller whose token they carry (faults included)."""
        with self.state.lock:
            book, operation = self.state.order_book, self.operation(request)
            book.calls[operation] += 1
            owner = self.state.token_owner(request.headers.get("x-amz-access-token", ""))
            if owner is not None:
                self.state.sp_api_calls[owner.selling_partner_id] += 1
                book.calls_by_seller.setdefault(owner.selling_partner_id, Counter())[operation] += 1

    # -- the common front door ---------------------------------------------------

    def _admit(self, request: Request, operation: str):
        """(authorization, rate, None) when the request may go on, else (None, None, the answer)."""
        book = self.state.order_book
        with self.state.lock:
            fault = book.take_fault(operation)
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)  # outside the lock: other requests go on
            if fault.fails:
                return None, None, fault_response(fault)
        with self.state.lock:
            authorization = self.state.valid_access_token(request.headers.get("x-amz-access-token", ""))
            if authorization is None or authorization.selling_partner_id not in self.state.sellers:
                return None, None, error("Unauthorized", details=UNAUTHORIZED_DETAILS)
            if self.state.rate_limit is None:
                return authorization, None, None
            if not book.take_rate_token(authorization.application_id, authorization.selling_partner_id,
                                        operation, self.state.now()):
                self.state.throttled[operation] += 1
                return None, None, error("QuotaExceeded")
            return authorization, book.plans[operation][0], None

    # -- searchOrders ---------------------------------------------------------------

    def search_orders(self, request: Request) -> Response:
        authorization, rate, refusal = self._admit(request, "searchOrders")
        if refusal:
            return refusal
        with self.state.lock:
            now = self.state.now()
            problem, q = _parse_search(request.query, now)
            if problem:
                return _invalid(problem, rate)
            seller_id = authorization.selling_partner_id
            book = self.state.order_book
            found = sorted(
                (o for o in book.orders.values() if o.selling_partner_id == seller_id and _matches(o, q)),
                key=lambda o: (o.last_updated if q["by"] == "lastUpdated" else o.created, o.order_id),
            )
            offset = q["offset"]
            page = found[offset:offset + q["size"]]
            pii = book.has_pii_role(authorization.application_id, seller_id)
            body: dict = {"orders": [render(o, q["included"], pii) for o in page]}
            following = offset if book.take_repeat(seller_id) else offset + q["size"]
            if following < len(found) or following == offset:
                token = {"o": following, "b": q["before"], "f": q["fingerprint"], "t": int(now)}
                body["pagination"] = {"nextToken": base64.urlsafe_b64encode(json.dumps(token).encode()).decode()}
            body["lastUpdatedBefore" if q["by"] == "lastUpdated" else "createdBefore"] = iso(q["before"])
        return json_response(200, body, _headers(rate))

    # -- getOrder ---------------------------------------------------------------------

    def get_order(self, request: Request, order_id: str) -> Response:
        authorization, rate, refusal = self._admit(request, "getOrder")
        if refusal:
            return refusal
        included = _csv(request.query, "includedData")
        unknown = [v for v in included if v not in INCLUDED_DATA]
        if unknown:
            return _invalid(f"Unknown includedData: {', '.join(unknown)}.", rate)
        with self.state.lock:
            order = self._order_of(authorization, order_id)
            if order is None:
                return self._not_found(order_id, rate)
            pii = self.state.order_book.has_pii_role(authorization.application_id, order.selling_partner_id)
            body = {"order": render(order, set(included), pii)}
        return json_response(200, body, _headers(rate))

    def _order_of(self, authorization, order_id: str) -> Order | None:
        order = self.state.order_book.orders.get(order_id)
        if order is None or order.selling_partner_id != authorization.selling_partner_id:
            return None
        return order

    @staticmethod
    def _not_found(order_id: str, rate: float | None) -> Response:
        response = error("NotFound", details=f"Order {order_id} was not found.")
        if rate is not None:
            response.headers.append(("x-amzn-RateLimit-Limit", str(rate)))
        return response

    # -- confirmShipment (v0) -----------------------------------------------------------

    def confirm_shipment(self, request: Request, order_id: str) -> Response:
        authorization, rate, refusal = self._admit(request, "confirmShipment")
        if refusal:
            return refusal
        try:
            body = request.json()
        except ValueError:
            return _invalid("The request body is not valid JSON.", rate)
        with self.state.lock:
            order = self._order_of(authorization, order_id)
            if order is None:
                return self._not_found(order_id, rate)
            problem = _check_confirmation(body, order)
            if problem:
                return _invalid(problem, rate)
            shipped = {}
            for item in body["packageDetail"]["orderItems"]:
                shipped[item["orderItemId"]] = shipped.get(item["orderItemId"], 0) + item["quantity"]
            for line in order.lines:
                line.quantity_shipped += shipped.get(line.order_item_id, 0)
            order.status = "SHIPPED" if all(line.unshipped == 0 for line in order.lines) else "PARTIALLY_SHIPPED"
            now = self.state.now()
            order.touch(now)
            order.shipments.append({**body, "receivedAt": iso(now)})
        return Response(204, b"", _headers(rate))


# -- parameters -------------------------------------------------------------------------


def _parse_search(query: dict, now: float) -> tuple[str | None, dict]:
    """Check searchOrders' parameters as orders_2026-01-01.json describes them."""
    created_after, created_before = query.get("createdAfter"), query.get("createdBefore")
    updated_after, updated_before = query.get("lastUpdatedAfter"), query.get("lastUpdatedBefore")
    if bool(created_after) == bool(updated_after):
        return "You must provide exactly one of createdAfter and lastUpdatedAfter.", {}
    if created_after and (updated_before or updated_after):
        return "If createdAfter is provided, neither lastUpdatedAfter nor lastUpdatedBefore may be provided.", {}
    if updated_after and created_before:
        return "If lastUpdatedAfter is provided, neither createdAfter nor createdBefore may be provided.", {}
    by = "created" if created_after else "lastUpdated"
    after_name, before_name = ("createdAfter", "createdBefore") if by == "created" else \
        ("lastUpdatedAfter", "lastUpdatedBefore")
    try:
        after = parse_iso(created_after or updated_after)
        before_value = created_before or updated_before
        before = parse_iso(before_value) if before_value else float(int(now - MIN_AGE))
    except ValueError:
        return "Dates must be in ISO 8601 format.", {}
    if before > now - MIN_AGE:
        return f"{before_name} must be at least two minutes before the time of the request.", {}
    if before < after:
        defaulted = "" if before_value else " (when left out, it is two minutes before the time of the request)"
        return f"{before_name} must be equal to or after {after_name}{defaulted}.", {}
    statuses = _csv(query, "fulfillmentStatuses")
    if any(s not in STATUSES for s in statuses):
        return "fulfillmentStatuses must be among " + ", ".join(STATUSES) + ".", {}
    fulfilled_by = _csv(query, "fulfilledBy")
    if any(f not in ("MERCHANT", "AMAZON") for f in fulfilled_by):
        return "fulfilledBy must be among MERCHANT, AMAZON.", {}
    marketplaces = _csv(query, "marketplaceIds")
    if len(marketplaces) > MAX_MARKETPLACES:
        return f"marketplaceIds accepts at most {MAX_MARKETPLACES} values.", {}
    if any(m not in MARKETPLACES for m in marketplaces):
        return "marketplaceIds contains an invalid marketplace ID.", {}
    included = _csv(query, "includedData")
    if any(v not in INCLUDED_DATA for v in included):
        return "includedData must be among " + ", ".join(INCLUDED_DATA) + ".", {}
    try:
        size = int(query.get("maxResultsPerPage") or MAX_PAGE)
    except ValueError:
        return "maxResultsPerPage must be an integer.", {}
    if not 1 <= size <= MAX_PAGE:
        return f"maxResultsPerPage must be between 1 and {MAX_PAGE}.", {}
    filters = {k: v for k, v in sorted(query.items()) if k != "paginationToken"}
    fingerprint = hashlib.sha256(json.dumps(filters).encode()).hexdigest()[:16]
    offset = 0
    if query.get("paginationToken"):
        try:
            token = json.loads(base64.urlsafe_b64decode(query["paginationToken"].encode()))
            offset, pinned, token_fingerprint, issued = int(token["o"]), float(token["b"]), token["f"], token["t"]
        except (ValueError, KeyError, TypeError):
            return "Invalid paginationToken.", {}
        if now - issued > TOKEN_TTL:
            return "The paginationToken has expired.", {}
        if token_fingerprint != fingerprint:
            return "The other parameters must be the same as in the request that returned the paginationToken.", {}
        before = pinned  # a page keeps the window of the first request
    return None, {
        "by": by, "after": after, "before": before, "statuses": set(statuses), "fulfilled_by": set(fulfilled_by),
        "marketplaces": set(marketplaces), "included": set(included), "size": size, "offset": max(0, offset),
        "fingerprint": fingerprint,
    }


def _matches(order: Order, q: dict) -> bool:
    moment = order.last_updated if q["by"] == "lastUpdated" else order.created
    return (
        q["after"] <= moment <= q["before"]
        and (not q["statuses"] or order.status in q["statuses"])
        and (not q["fulfilled_by"] or order.fulfilled_by in q["fulfilled_by"])
        and (not q["marketplaces"] or order.marketplace_id in q["marketplaces"])
    )


def _check_confirmation(body, order: Order) -> str | None:
    """What is wrong with a ConfirmShipmentRequest for this order, or None."""
    if not isinstance(body, dict):
        return "The request body must be a ConfirmShipmentRequest object."
    if not body.get("marketplaceId"):
        return "marketplaceId is required."
    if body["marketplaceId"] != order.marketplace_id:
        return f"Order {order.order_id} is not an order of marketplace {body['marketplaceId']}."
    detail = body.get("packageDetail")
    if not isinstance(detail, dict):
        return "packageDetail is required."
    for name in ("packageReferenceId", "carrierCode", "trackingNumber", "shipDate", "orderItems"):
        if detail.get(name) in (None, "", []):
            return f"packageDetail.{name} is required."
    reference = detail["packageReferenceId"]
    if not isinstance(reference, str) or not reference.isdigit() or int(reference) <= 0:
        return "packageReferenceId: only positive numeric values are supported."
    if any(s["packageDetail"]["packageReferenceId"] == reference for s in order.shipments):
        return f"packageReferenceId {reference} was already confirmed for order {order.order_id}."
    carrier = detail["carrierCode"]
    if carrier not in CARRIER_CODES:
        return f"carrierCode {carrier!r} is not a valid carrier code; use \"Other\" with a carrierName."
    if carrier == "Other" and not (isinstance(detail.get("carrierName"), str) and detail["carrierName"].strip()):
        return "carrierName is required when carrierCode is \"Other\"."
    if not isinstance(detail["trackingNumber"], str) or not detail["trackingNumber"].strip():
        return "trackingNumber must be a non-empty string."
    try:
        parse_iso(detail["shipDate"])
    except (ValueError, TypeError):
        return "shipDate must be an ISO 8601 date-time."
    if order.fulfilled_by != "MERCHANT":
        return f"Order {order.order_id} is fulfilled by Amazon; only merchant-fulfilled orders are confirmed."
    if order.status not in ("UNSHIPPED", "PARTIALLY_SHIPPED"):
        return f"Order {order.order_id} is {order.status}; only UNSHIPPED or PARTIALLY_SHIPPED orders can ship."
    if not isinstance(detail["orderItems"], list):
        return "packageDetail.orderItems must be a list."
    lines = {line.order_item_id: line for line in order.lines}
    wanted: dict[str, int] = {}
    for item in detail["orderItems"]:
        if not isinstance(item, dict) or not item.get("orderItemId"):
            return "Every order item needs an orderItemId and a quantity."
        item_id, quantity = item["orderItemId"], item.get("quantity")
        if item_id not in lines:
            return f"OrderItemId {item_id} is invalid for order {order.order_id}."
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            return f"The quantity of order item {item_id} must be a positive integer."
        wanted[item_id] = wanted.get(item_id, 0) + quantity
    for item_id, quantity in wanted.items():
        if quantity > lines[item_id].unshipped:
            return (f"The quantity {quantity} of order item {item_id} is more than its unshipped quantity "
                    f"{lines[item_id].unshipped}.")
    return None

