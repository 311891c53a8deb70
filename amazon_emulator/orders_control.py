"""Scenario controls for the Orders API: ``emu.orders`` in Python, ``/_emulator/orders…`` over HTTP.

What a test or the demo does on "Amazon's side": place orders, move them
through statuses, let the buyer ask for a cancellation, make an update
visible late, serve a searchOrders page twice, fail an operation, switch the
application's PII roles, expire access tokens, read an order with the
shipment confirmations it received, count calls.

HTTP bodies are JSON objects with the keyword arguments of the methods below
(``Content-Type: application/json``, as for the other control endpoints);
answers are JSON.  An order reads as ``{"order": <Order, every dataset, PII
included>, "sellingPartnerId", "fulfillmentStatus", "shipmentConfirmations":
[<ConfirmShipmentRequest> + "receivedAt"]}``.

- ``POST /_emulator/orders`` ``{"selling_partner_id", "items": [{"seller_sku"|"asin", "quantity", "unit_price",
  "title"?, "shipping_price"?, "item_tax"?, "shipping_tax"?, "promotion_discount"?, "promotion_ids"?,
  "order_item_id"?}], "marketplace_id"?, "fulfillment_channel"? (MFN|AFN), "status"? (Pending|Unshipped|
  PendingAvailability; Shipped for AFN), "order_id"?, "created_seconds_ago"?, "buyer_name"?, "buyer_email"?,
  "address"? (CustomerAddress fields), "service_level"?, "programs"?}`` -> 201 the order
- ``POST /_emulator/orders/bulk`` ``{"orders": [<create body>...]}`` -> 201 ``{"orderIds": [...]}`` (all or none)
- ``GET /_emulator/orders[?selling_partner_id=]`` -> ``{"orders": [{"orderId", "sellingPartnerId",
  "marketplaceId", "fulfillmentStatus", "fulfilledBy", "lastUpdatedTime"}], "calls": <calls>}``
- ``GET /_emulator/orders/{orderId}`` -> the order (404 ``{"error"}`` when unknown)
- ``POST /_emulator/orders/{orderId}/status`` ``{"status", "items"? [{"orderItemId", "quantity"}],
  "cancelled_by"? (BUYER|MERCHANT|AMAZON), "reason"?}`` -> the order; 400 for a move Amazon does not make
- ``POST /_emulator/orders/{orderId}/cancellation-request`` ``{"reason"?, "order_item_ids"?}`` -> the order
- ``POST /_emulator/orders/{orderId}/last-updated`` ``{"seconds_ago"} | {"at": ISO 8601}`` -> the order
- ``POST /_emulator/orders/repeat-page`` ``{"selling_partner_id"? ("*"), "count"? (1)}`` -> ``{"pending"}``
- ``POST /_emulator/orders/faults`` ``{"operation" (searchOrders|getOrder|confirmShipment), "status"?, "error"?,
  "count"?, "delay"?}`` -> 201
- ``POST /_emulator/orders/pii-roles`` ``{"selling_partner_id", "enabled"?, "application_id"? ("*")}``
- ``POST /_emulator/orders/usage-plans`` ``{"operation", "rate", "burst"}``
- ``POST /_emulator/tokens/expire`` ``{"selling_partner_id", "application_id"?}`` -> ``{"expired": n}``
- ``GET /_emulator/orders/calls`` -> ``{"calls", "calls_by_seller", "throttled", "usage_plans"}``
- the clock: ``POST /_emulator/clock`` ``{"seconds"}`` (control.py)
"""

from __future__ import annotations

from .control import PREFIX, Control
from .faults import Fault
from .marketplaces import MARKETPLACES
from .order_book import (
    FULFILLED_BY,
    INCLUDED_DATA,
    OPERATIONS,
    Order,
    OrderLine,
    decimal,
    default_buyer,
    iso,
    normalize_status,
    parse_iso,
    render,
    seeded_asin,
)
from .state import EmulatorState
from .web import Request, Response, json_response

# Moves the control API allows: status -> statuses it may become.
TRANSITIONS = {
    "PENDING_AVAILABILITY": {"PENDING", "CANCELLED"},
    "PENDING": {"UNSHIPPED", "CANCELLED"},
    "UNSHIPPED": {"PARTIALLY_SHIPPED", "SHIPPED", "CANCELLED", "UNFULFILLABLE"},
    "PARTIALLY_SHIPPED": {"PARTIALLY_SHIPPED", "SHIPPED"},
    "SHIPPED": set(),
    "CANCELLED": set(),
    "UNFULFILLABLE": set(),
}


class OrderControls:
    """``emu.orders``: every method runs under the state lock and uses the emulator clock."""

    def __init__(self, state: EmulatorState):
        self.state = state

    @property
    def book(self):
        return self.state.order_book

    # -- orders --------------------------------------------------------------------

    def create(
        self,
        selling_partner_id: str,
        items: list[dict],
        marketplace_id: str | None = None,
        fulfillment_channel: str = "MFN",
        status: str = "Pending",
        order_id: str | None = None,
        created_seconds_ago: float = 0,
        buyer_name: str | None = None,
        buyer_email: str | None = None,
        address: dict | None = None,
        service_level: str = "STANDARD",
        programs: list[str] | None = None,
    ) -> dict:
        """Place an order.  ``items``: [{"seller_sku", "asin", "title", "quantity", "unit_price",
        "shipping_price", "item_tax", "shipping_tax", "promotion_discount", "promotion_ids"}]
        (``seller_sku`` or ``asin`` required, amounts per line except ``unit_price``)."""
        with self.state.lock:
            seller = self.state.sellers.get(selling_partner_id)
            if seller is None:
                raise ValueError(f"unknown seller {selling_partner_id}")
            marketplace_id = marketplace_id or next(iter(seller.marketplaces))
            if marketplace_id not in seller.marketplaces:
                raise ValueError(f"seller {selling_partner_id} does not sell in {marketplace_id}")
            channel = FULFILLED_BY.get(str(fulfillment_channel).upper())
            if channel is None:
                raise ValueError("fulfillment_channel must be MFN or AFN (also MERCHANT, AMAZON, FBA)")
            state = normalize_status(status)
            if state not in ("PENDING", "UNSHIPPED", "PENDING_AVAILABILITY", "SHIPPED"):
                raise ValueError("a new order is Pending, PendingAvailability, Unshipped (or Shipped for AFN)")
            if not isinstance(items, list) or not items:
                raise ValueError("an order needs at least one item")
            if order_id is not None and order_id in self.book.orders:
                raise ValueError(f"order {order_id} already exists")
            order_id = order_id or self.book.next_order_id()
            lines = [self._line(order_id, index, item) for index, item in enumerate(items)]
            if state == "SHIPPED":
                for line in lines:
                    line.quantity_shipped = line.quantity
            if created_seconds_ago < 0:
                raise ValueError("created_seconds_ago must not be negative")
            created = float(int(self.state.now() - created_seconds_ago))
            name, email, default_address = default_buyer(order_id, MARKETPLACES[marketplace_id].country_code)
            order = Order(
                order_id, selling_partner_id, marketplace_id, channel, state, created, created, lines,
                buyer_name or name, buyer_email or email, {**default_address, **(address or {})},
                service_level, list(programs or []),
            )
            self.book.orders[order_id] = order
            return self.read(order_id)

    def create_many(self, orders: list[dict]) -> dict:
        """Place several orders (each a ``create`` body); all or none."""
        if not isinstance(orders, list) or not orders:
            raise ValueError("orders must be a non-empty list of create bodies")
        with self.state.lock:
            before = dict(self.book.orders)
            try:
                return {"orderIds": [self.create(**order)["order"]["orderId"] for order in orders]}
            except (TypeError, ValueError):
                self.book.orders = before
                raise

    def _line(self, order_id: str, index: int, item: dict) -> OrderLine:
        if not isinstance(item, dict):
            raise ValueError("every item is an object")
        sku, asin = item.get("seller_sku") or "", item.get("asin") or ""
        if not sku and not asin:
            raise ValueError("every item needs a seller_sku or an asin")
        quantity = item.get("quantity", 1)
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise ValueError("quantity must be a positive integer")
        unknown = set(item) - {"seller_sku", "asin", "title", "quantity", "unit_price", "shipping_price", "item_tax",
                               "shipping_tax", "promotion_discount", "promotion_ids", "order_item_id"}
        if unknown:
            raise ValueError(f"unknown item fields: {', '.join(sorted(unknown))}")
        return OrderLine(
            order_item_id=str(item.get("order_item_id") or self.book.next_item_id(order_id, index)),
            seller_sku=str(sku),
            asin=str(asin or seeded_asin(sku)),
            title=str(item.get("title") or f"Item {sku or asin}"),
            quantity=quantity,
            unit_price=decimal(item.get("unit_price", "10.00"), "unit_price"),
            shipping_price=decimal(item.get("shipping_price", 0), "shipping_price"),
            item_tax=decimal(item.get("item_tax", 0), "item_tax"),
            shipping_tax=decimal(item.get("shipping_tax", 0), "shipping_tax"),
            promotion_discount=decimal(item.get("promotion_discount", 0), "promotion_discount"),
            promotion_ids=[str(p) for p in item.get("promotion_ids") or []],
        )

    def _order(self, order_id: str) -> Order:
        order = self.book.orders.get(order_id)
        if order is None:
            raise LookupError(f"no order {order_id}")
        return order

    def read(self, order_id: str) -> dict:
        with self.state.lock:
            order = self._order(order_id)
            return {
                "order": render(order, set(INCLUDED_DATA), pii=True),
                "sellingPartnerId": order.selling_partner_id,
                "fulfillmentStatus": order.status,
                "shipmentConfirmations": [dict(s) for s in order.shipments],
            }

    def summary(self, selling_partner_id: str | None = None) -> dict:
        with self.state.lock:
            return {
                "orders": [
                    {"orderId": o.order_id, "sellingPartnerId": o.selling_partner_id,
                     "marketplaceId": o.marketplace_id, "fulfillmentStatus": o.status,
                     "fulfilledBy": o.fulfilled_by, "lastUpdatedTime": iso(o.last_updated)}
                    for o in self.book.orders.values()
                    if selling_partner_id in (None, o.selling_partner_id)
                ],
                "calls": self.calls(),
            }

    def set_status(self, order_id: str, status: str, items: list[dict] | None = None,
                   cancelled_by: str = "AMAZON", reason: str = "") -> dict:
        """Move an order on.  ``items`` ([{"orderItemId", "quantity"}]) ship part of it (PartiallyShipped);
        Shipped ships what is left; Canceled records ``cancelled_by`` (BUYER, MERCHANT, AMAZON) and ``reason``."""
        with self.state.lock:
            order = self._order(order_id)
            target = normalize_status(status)
            if target not in TRANSITIONS[order.status]:
                raise ValueError(f"order {order_id} cannot go from {order.status} to {target}")
            if target == "PARTIALLY_SHIPPED":
                lines = {line.order_item_id: line for line in order.lines}
                for item in items or []:
                    line = lines.get(item.get("orderItemId"))
                    quantity = item.get("quantity", 0)
                    if line is None or not isinstance(quantity, int) or not 0 < quantity <= line.unshipped:
                        raise ValueError(f"cannot ship {item}")
                    line.quantity_shipped += quantity
                if not items:
                    raise ValueError("PartiallyShipped needs items: [{orderItemId, quantity}]")
                if all(line.unshipped == 0 for line in order.lines):
                    target = "SHIPPED"
            elif target == "SHIPPED":
                for line in order.lines:
                    line.quantity_shipped = line.quantity
            elif target == "CANCELLED":
                if cancelled_by not in ("BUYER", "MERCHANT", "AMAZON"):
                    raise ValueError("cancelled_by must be BUYER, MERCHANT or AMAZON")
                order.cancelled_by, order.cancel_reason = cancelled_by, str(reason)
            order.status = target
            order.touch(self.state.now())
            return self.read(order_id)

    def request_cancellation(self, order_id: str, reason: str = "Buyer cancelled",
                             order_item_ids: list[str] | None = None) -> dict:
        """The buyer asks to cancel (all items, or some): shows in the CANCELLATION dataset."""
        with self.state.lock:
            order = self._order(order_id)
            if order.status in ("SHIPPED", "CANCELLED"):
                raise ValueError(f"order {order_id} is {order.status}")
            known = {line.order_item_id for line in order.lines}
            chosen = set(order_item_ids or known)
            if not chosen <= known:
                raise ValueError(f"unknown order items: {', '.join(sorted(chosen - known))}")
            for line in order.lines:
                if line.order_item_id in chosen:
                    line.cancel_request = str(reason)
            order.touch(self.state.now())
            return self.read(order_id)

    def set_last_updated(self, order_id: str, seconds_ago: float | None = None, at: str | None = None) -> dict:
        """A late update: ``lastUpdatedTime`` moves back into a window a poller may already have read."""
        with self.state.lock:
            order = self._order(order_id)
            now = self.state.now()
            if (seconds_ago is None) == (at is None):
                raise ValueError("give seconds_ago or at (ISO 8601)")
            moment = now - float(seconds_ago) if at is None else parse_iso(at)
            if moment > now or moment < order.created:
                raise ValueError("lastUpdatedTime must lie between the order's creation and now")
            order.last_updated = float(int(moment))
            return self.read(order_id)

    # -- scenario switches ------------------------------------------------------------

    def repeat_next_page(self, selling_partner_id: str = "*", count: int = 1) -> dict:
        """The next ``count`` searchOrders answers give a nextToken that serves the same page again."""
        if count < 1:
            raise ValueError("count must be at least 1")
        with self.state.lock:
            self.book.repeat_pages[selling_partner_id] += int(count)
            return {"selling_partner_id": selling_partner_id, "pending": self.book.repeat_pages[selling_partner_id]}

    def inject_fault(self, operation: str, status: int | None = None, error: str | None = None,
                     count: int = 1, delay: float = 0.0) -> dict:
        """Fail (or slow down) the next ``count`` calls of one operation; ``status``/``error`` as for sp-api."""
        if operation not in OPERATIONS:
            raise ValueError(f"operation must be one of {OPERATIONS}")
        if status is None and error is None and not delay:
            status = 500
        fault = Fault("sp-api", status, error, float(delay), int(count))
        with self.state.lock:
            self.book.faults.append((operation, fault))
        return {"operation": operation, **fault.as_dict()}

    def set_pii_roles(self, selling_partner_id: str, enabled: bool = True, application_id: str = "*") -> dict:
        """Whether the application (or every application: "*") has the roles for buyer and recipient data."""
        with self.state.lock:
            key = (application_id, selling_partner_id)
            if enabled:
                self.book.pii_roles.add(key)
            else:
                self.book.pii_roles.discard(key)
            return {"selling_partner_id": selling_partner_id, "application_id": application_id,
                    "enabled": bool(enabled)}

    def expire_tokens(self, selling_partner_id: str, application_id: str | None = None) -> dict:
        """Expire the seller's live access tokens now (the client must refresh)."""
        with self.state.lock:
            now, expired = self.state.now(), 0
            for token in self.state.access_tokens.values():
                authorization = token.authorization
                if (authorization.selling_partner_id == selling_partner_id
                        and application_id in (None, authorization.application_id) and token.expires_at > now):
                    token.expires_at = now
                    expired += 1
            return {"expired": expired}

    def set_usage_plan(self, operation: str, rate: float, burst: int) -> dict:
        """Change one operation's usage plan (a seller whose plan Amazon raised; faster benches)."""
        if operation not in OPERATIONS:
            raise ValueError(f"operation must be one of {OPERATIONS}")
        if float(rate) <= 0 or int(burst) < 1:
            raise ValueError("rate must be positive and burst at least 1")
        with self.state.lock:
            self.book.plans[operation] = (float(rate), int(burst))
            for key in [key for key in self.book.buckets if key[2] == operation]:
                del self.book.buckets[key]
            return {"operation": operation, "rate": float(rate), "burst": int(burst)}

    def calls(self) -> dict:
        """Counters in the shape of ``GET /_emulator/operation-calls`` (the selling APIs')."""
        with self.state.lock:
            return {
                "calls": {op: self.book.calls[op] for op in OPERATIONS},
                "calls_by_seller": {seller: dict(c) for seller, c in self.book.calls_by_seller.items()},
                "throttled": {op: self.state.throttled[op] for op in OPERATIONS},
                "usage_plans": {op: {"rate": r, "burst": b} for op, (r, b) in self.book.plans.items()},
            }


class OrdersControlApi:
    """The HTTP side of ``OrderControls`` (same body checks as the other control endpoints)."""

    def __init__(self, orders: OrderControls):
        self.orders = orders

    def routes(self):
        order = PREFIX + r"/orders/(?P<order_id>[0-9A-Za-z-]+)"
        post = Control._post
        return [
            ("GET", PREFIX + "/orders", self.summary),
            ("POST", PREFIX + "/orders", post(self._ok(self.orders.create, 201))),
            ("POST", PREFIX + "/orders/bulk", post(self._ok(self.orders.create_many, 201))),
            ("GET", PREFIX + "/orders/calls", lambda request: json_response(200, self.orders.calls())),
            ("POST", PREFIX + "/orders/repeat-page", post(self._ok(self.orders.repeat_next_page))),
            ("POST", PREFIX + "/orders/faults", post(self._ok(self.orders.inject_fault, 201))),
            ("POST", PREFIX + "/orders/pii-roles", post(self._ok(self.orders.set_pii_roles))),
            ("POST", PREFIX + "/orders/usage-plans", post(self._ok(self.orders.set_usage_plan))),
            ("POST", PREFIX + "/tokens/expire", post(self._ok(self.orders.expire_tokens))),
            ("GET", order, self.read),
            ("POST", order + "/status", self._on_order(self.orders.set_status)),
            ("POST", order + "/cancellation-request", self._on_order(self.orders.request_cancellation)),
            ("POST", order + "/last-updated", self._on_order(self.orders.set_last_updated)),
        ]

    @staticmethod
    def _ok(action, status: int = 200):
        return lambda body: json_response(status, action(**body))

    def _on_order(self, action):
        def handler(request: Request, order_id: str) -> Response:
            try:
                return Control._post(lambda body: json_response(200, action(order_id, **body)))(request)
            except LookupError as exc:
                return json_response(404, {"error": str(exc)})

        return handler

    def summary(self, request: Request) -> Response:
        return json_response(200, self.orders.summary(request.query.get("selling_partner_id")))

    def read(self, request: Request, order_id: str) -> Response:
        try:
            return json_response(200, self.orders.read(order_id))
        except LookupError as exc:
            return json_response(404, {"error": str(exc)})
