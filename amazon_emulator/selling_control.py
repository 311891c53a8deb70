"""Control API for what sellers sell (offers, feeds, usage plans), under /_emulator/.

Same conventions as control.py: POST bodies are JSON objects
(``Content-Type: application/json`` required) whose keys are the keyword
arguments; bad arguments answer 400 ``{"error": ...}``.

- ``POST /_emulator/offers`` ``{"selling_partner_id", "marketplace_id", "offers": [{"sku", "asin",
  "price", "quantity", "currency"?, "fulfillment_channel_code"? ("DEFAULT" | "AMAZON_NA" ...),
  "condition_type"? ("new_new"), "lead_time_to_ship_max_days"? (2), "product_type"?, "age_days"? (30)}]}``
  puts live offers in place (the seller's existing offers) -> 201 ``{"offers": [facts...]}``
- ``GET /_emulator/offers?selling_partner_id=...[&marketplace_id=...]`` -> ``{"offers": [facts...]}``,
  facts as ``offer_rules.offer_facts``: sku, marketplace_id, asin, product_type, item_name, brand,
  condition_type, price (decimal string), currency, quantity, lead_time_to_ship_max_days,
  fulfillment_channel_code, status ([] | ["DISCOVERABLE"] | ["BUYABLE", "DISCOVERABLE"]), issues,
  pending (an accepted change not yet live), pending_price, pending_quantity, created, updated
- ``GET|POST /_emulator/listings-settings`` ``{"live_delay"?, "restricted_brands"?, "feed_delays"?: [queued,
  processing], "report_delays"?: [queued, processing]}`` -> the settings (plus ``fatal_feeds``)
- ``POST /_emulator/feeds/fatal`` ``{"count"?: 1}`` or ``{"feed_id"}``: the next feeds (or that one) end FATAL
- ``POST /_emulator/operation-faults`` ``{"operation", "status"?, "error"?, "delay"?, "count"?}``: like
  ``/_emulator/faults`` but for one operation (e.g. "patchListingsItem")
- ``GET|POST /_emulator/usage-plans`` ``{"operation", "rate", "burst"}``: change one operation's plan
- ``GET /_emulator/offer-writes?selling_partner_id=...`` -> ``{"writes": {sku: n}}``: offer versions Amazon
  accepted per SKU (putListingsItem, patchListingsItem, feed messages), to tell a SKU sent twice
- ``GET /_emulator/operation-calls`` -> ``{"calls": {operation: n}, "calls_by_seller": {seller:
  {operation: n}}, "throttled": {operation: n}, "usage_plans": {operation: {"rate", "burst"}}}``
"""

from __future__ import annotations

from .control import PREFIX, Control
from .listings import OfferBook
from .offer_rules import offer_facts
from .selling import SellingState
from .web import Request, Response, json_response


class SellingControl:
    def __init__(self, selling: SellingState, book: OfferBook):
        self.selling = selling
        self.book = book

    def routes(self):
        post = Control._post
        return [
            ("GET", PREFIX + "/offers", self.offers),
            ("POST", PREFIX + "/offers", post(self.seed_offers)),
            ("GET", PREFIX + "/listings-settings", self.settings),
            ("POST", PREFIX + "/listings-settings", post(self.configure)),
            ("POST", PREFIX + "/feeds/fatal", post(self.fail_feeds)),
            ("POST", PREFIX + "/operation-faults", post(self.operation_fault)),
            ("GET", PREFIX + "/usage-plans", self.usage_plans),
            ("POST", PREFIX + "/usage-plans", post(self.set_usage_plan)),
            ("GET", PREFIX + "/operation-calls", self.calls),
            ("GET", PREFIX + "/offer-writes", self.offer_writes),
        ]

    def offers(self, request: Request) -> Response:
        seller_id = request.query.get("selling_partner_id")
        if not seller_id:
            return json_response(400, {"error": "selling_partner_id is required"})
        with self.selling.lock:
            self.selling.tick()
            now = self.selling.now()
            offers = sorted(self.selling.offers_of(seller_id, request.query.get("marketplace_id")),
                            key=lambda o: (o.marketplace_id, o.sku))
            return json_response(200, {"offers": [offer_facts(o, now) for o in offers]})

    def seed_offers(self, body: dict) -> Response:
        seller_id, marketplace_id = body.get("selling_partner_id"), body.get("marketplace_id")
        offers = body.get("offers")
        seller = self.selling.state.sellers.get(seller_id)
        if seller is None or marketplace_id not in seller.marketplaces:
            raise ValueError("selling_partner_id must name a seller registered in marketplace_id")
        if not isinstance(offers, list) or not all(isinstance(o, dict) and o.get("sku") and o.get("asin")
                                                   for o in offers):
            raise ValueError("offers must be a list of objects with at least sku and asin")
        created = self.book.seed(seller_id, marketplace_id, offers)
        now = self.selling.now()
        return json_response(201, {"offers": [offer_facts(o, now) for o in created]})

    def settings(self, request: Request) -> Response:
        return json_response(200, self.selling.settings())

    def configure(self, body: dict) -> Response:
        return json_response(200, self.selling.configure(**body))

    def fail_feeds(self, body: dict) -> Response:
        return json_response(200, self.selling.fail_feeds(**body))

    def operation_fault(self, body: dict) -> Response:
        return json_response(201, {"operation": body.get("operation"),
                                   **self.selling.add_operation_fault(**body).as_dict()})

    def usage_plans(self, request: Request) -> Response:
        return json_response(200, self.selling.counters()["usage_plans"])

    def set_usage_plan(self, body: dict) -> Response:
        return json_response(200, self.selling.set_usage_plan(**body))

    def offer_writes(self, request: Request) -> Response:
        seller_id = request.query.get("selling_partner_id")
        if not seller_id:
            return json_response(400, {"error": "selling_partner_id is required"})
        with self.selling.lock:
            writes = {sku: n for (seller, sku), n in self.selling.writes.items() if seller == seller_id}
        return json_response(200, {"writes": writes})

    def calls(self, request: Request) -> Response:
        return json_response(200, self.selling.counters())
