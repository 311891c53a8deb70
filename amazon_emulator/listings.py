"""Listings Items API v2021-08-01: get, put, patch, delete and search a seller's listings items.

Follows listingsItems_2021-08-01.json: paths, parameters (``marketplaceIds``
one marketplace for the item operations, ``includedData``, ``mode=VALIDATION_PREVIEW``),
``Item``/``ItemSearchResults``/``ListingsItemSubmissionResponse`` answers, ``ErrorList``
errors and each operation's usage plan.  ``OfferBook`` holds the rules both this API
and JSON_LISTINGS_FEED messages apply (see offer_rules.py for the checks).

ACCEPTED is not live: an accepted submission takes effect ``live_delay`` seconds later
(``SellingState.live_delay``, 2 s by default, 0 for tests); until then reads show
the previous state (a new SKU: status ``[]``, no offers).
"""

from __future__ import annotations

import uuid

from . import offer_rules
from .catalog import CatalogItems
from .product_types import product_type_names
from .selling import (
    Offer,
    Operation,
    SellingState,
    SpApiModule,
    check_marketplaces,
    csv_param,
    invalid,
    ok,
    page_token,
    parse_iso,
    read_page_token,
)
from .sp_api import error
from .state import Seller
from .web import Request, Response

ITEM_PATH = r"/listings/2021-08-01/items/(?P<seller_id>[^/]+)/(?P<sku>[^/]+)"
SEARCH_PATH = r"/listings/2021-08-01/items/(?P<seller_id>[^/]+)"
GET_INCLUDED = ("summaries", "attributes", "issues", "offers", "fulfillmentAvailability", "procurement",
                "relationships", "productTypes")
SUBMIT_INCLUDED = ("identifiers", "issues")
REQUIREMENTS = ("LISTING", "LISTING_PRODUCT_ONLY", "LISTING_OFFER_ONLY")
SEARCH_LIMIT = 1000  # "The maximum number of items (SKUs) that can be returned and paged through is 1000."
MAX_PAGE_SIZE = 20
DEFAULT_PAGE_SIZE = 10
STATUSES = ("BUYABLE", "DISCOVERABLE")
SORT_KEYS = ("sku", "createdDate", "lastUpdatedDate")
IDENTIFIER_TYPES = ("ASIN", "EAN", "FNSKU", "GTIN", "ISBN", "JAN", "MINSAN", "SKU", "UPC")


class OfferBook:
    """Submissions against a seller's offers, as the API and feed messages make them."""

    def __init__(self, selling: SellingState, catalog: CatalogItems):
        self.selling = selling
        self.catalog = catalog

    def catalog_item(self, asin: str | None, marketplace_id: str) -> dict | None:
        if not asin:
            return None
        found = self.catalog.lookup("ASIN", asin, marketplace_id, None)
        if not found:
            return None
        item = found[0]
        summary = (item.get("summaries") or [{}])[0]
        product_types = item.get("productTypes") or [{}]
        images = (item.get("images") or [{}])[0].get("images") or [{}]
        return {
            "asin": item["asin"],
            "brand": summary.get("brand", ""),
            "itemName": summary.get("itemName", ""),
            "productType": product_types[0].get("productType", "PRODUCT"),
            "image": images[0].get("link"),
        }

    def _check(self, seller_id, marketplace_id, product_type, requirements, attributes, existing):
        asin = offer_rules.asin_of(attributes) if isinstance(attributes, dict) else None
        item = self.catalog_item(asin or (existing.asin if existing else None), marketplace_id)
        issues, later = offer_rules.check(
            attributes, marketplace_id=marketplace_id, requirements=requirements, existing=existing,
            catalog_item=item if asin or existing else None, restricted_brands=self.selling.restricted_brands)
        if product_type not in product_type_names():
            issues.insert(0, offer_rules.bad_value("productType", marketplace_id,
                                                   f"'{product_type}' is not a product type."))
        return issues, later, item

    def put(self, seller_id: str, marketplace_id: str, sku: str, product_type: str, requirements: str,
            attributes: dict, preview: bool) -> tuple[str, list[dict], Offer | None]:
        with self.selling.lock:
            existing = self.selling.offers.get((seller_id, marketplace_id, sku))
            issues, later, item = self._check(seller_id, marketplace_id, product_type, requirements, attributes,
                                              existing)
            return self._commit(seller_id, marketplace_id, sku, product_type, attributes, existing, item,
                                issues, later, preview)

    def patch(self, seller_id: str, marketplace_id: str, sku: str, product_type: str, patches,
              preview: bool) -> tuple[str, list[dict], Offer | None]:
        with self.selling.lock:
            existing = self.selling.offers.get((seller_id, marketplace_id, sku))
            if existing is None:
                return "INVALID", [offer_rules.issue(
                    "4000002", f"The SKU '{sku}' does not exist in marketplace {marketplace_id}; patch an "
                    "existing listings item or create it with putListingsItem.", None, ["INVALID_ATTRIBUTE"],
                    marketplace_id)], None
            attributes, problem = offer_rules.apply_patches(existing.latest().attributes, patches)
            if problem:
                return "INVALID", [offer_rules.bad_value("patches", marketplace_id, problem)], existing
            issues, later, item = self._check(seller_id, marketplace_id, product_type, "LISTING_OFFER_ONLY",
                                              attributes, existing)
            return self._commit(seller_id, marketplace_id, sku, existing.product_type, attributes, existing,
                                item, issues, later, preview)

    def _commit(self, seller_id, marketplace_id, sku, product_type, attributes, existing, item, issues, later,
                preview):
        if any(i["severity"] == "ERROR" for i in issues):
            return "INVALID", issues, existing
        if preview:  # a preview runs the checks made later too
            found = issues + later
            return ("INVALID" if any(i["severity"] == "ERROR" for i in found) else "VALID"), found, existing
        now = self.selling.now()
        effective_at = now + self.selling.live_delay
        if existing is None:
            channel = offer_rules.channel_of_attributes(attributes)
            existing = Offer(seller_id, marketplace_id, sku, product_type if product_type != "PRODUCT"
                             else item["productType"], item["asin"], item["itemName"], item["brand"], now, now,
                             fn_sku=_fn_sku(sku) if channel.startswith("AMAZON_") else None)
            self.selling.offers[(seller_id, marketplace_id, sku)] = existing
        existing.submit(attributes, effective_at, later, now)
        self.selling.writes[(seller_id, sku)] += 1
        return "ACCEPTED", issues, existing

    def delete(self, seller_id: str, marketplace_id: str, sku: str) -> bool:
        with self.selling.lock:
            return self.selling.offers.pop((seller_id, marketplace_id, sku), None) is not None

    def seed(self, seller_id: str, marketplace_id: str, offers: list[dict]) -> list[Offer]:
        """Put live offers in place at once (the seller's existing offers), no checks but the ASIN's."""
        created = []
        with self.selling.lock:
            now = self.selling.now()
            for spec in offers:
                sku, asin = str(spec["sku"]), str(spec["asin"]).upper()
                item = self.catalog_item(asin, marketplace_id) or {
                    "asin": asin, "brand": "", "itemName": spec.get("item_name", sku), "productType": "PRODUCT"}
                channel = spec.get("fulfillment_channel_code", "DEFAULT")
                currency = spec.get("currency") or offer_rules.MARKETPLACES[marketplace_id].currency
                availability = {"fulfillment_channel_code": channel}
                if channel == "DEFAULT":
                    availability["quantity"] = int(spec.get("quantity", 0))
                    availability["lead_time_to_ship_max_days"] = int(spec.get("lead_time_to_ship_max_days", 2))
                attributes = {
                    "condition_type": [{"value": spec.get("condition_type", "new_new"),
                                        "marketplace_id": marketplace_id}],
                    "merchant_suggested_asin": [{"value": asin, "marketplace_id": marketplace_id}],
                    "purchasable_offer": [{"marketplace_id": marketplace_id, "currency": currency, "our_price": [
                        {"schedule": [{"value_with_tax": str(spec.get("price", "0"))}]}]}],
                    "fulfillment_availability": [availability],
                }
                created_at = now - float(spec.get("age_days", 30)) * 86400
                offer = Offer(seller_id, marketplace_id, sku, spec.get("product_type") or item["productType"],
                              asin, item["itemName"], item["brand"], created_at, created_at,
                              fn_sku=_fn_sku(sku) if channel.startswith("AMAZON_") else None,
                              fba_quantity=int(spec.get("quantity", 0)) if channel.startswith("AMAZON_") else 0)
                offer.submit(attributes, created_at, [], created_at)
                self.selling.offers[(seller_id, marketplace_id, sku)] = offer
                created.append(offer)
        return created


def _fn_sku(sku: str) -> str:
    return "X00" + uuid.uuid5(uuid.NAMESPACE_OID, sku).hex[:7].upper()


class ListingsItems(SpApiModule):
    def __init__(self, selling: SellingState, base_url, book: OfferBook):
        super().__init__(selling, base_url)
        self.book = book

    def operations(self):
        return [
            Operation("getListingsItem", "GET", ITEM_PATH, self.get),
            Operation("putListingsItem", "PUT", ITEM_PATH, self.put),
            Operation("patchListingsItem", "PATCH", ITEM_PATH, self.patch),
            Operation("deleteListingsItem", "DELETE", ITEM_PATH, self.delete),
            Operation("searchListingsItems", "GET", SEARCH_PATH, self.search),
        ]

    # -- shared checks ---------------------------------------------------------------------

    @staticmethod
    def _seller_and_marketplace(request: Request, seller: Seller, seller_id: str) -> tuple[Response | None, str]:
        if seller_id != seller.selling_partner_id:
            return error("Unauthorized", details="The sellerId does not match the authorized selling partner."), ""
        marketplaces = csv_param(request.query, "marketplaceIds")
        problem = check_marketplaces(seller, marketplaces)
        if problem:
            return invalid(problem), ""
        return None, marketplaces[0]

    @staticmethod
    def _included(request: Request, allowed, default: str) -> tuple[list[str] | None, str | None]:
        included = csv_param(request.query, "includedData") or [default]
        unknown = [value for value in included if value not in allowed]
        if unknown:
            return None, f"Unknown includedData: {', '.join(unknown)}."
        return included, None

    def _image(self, offer: Offer) -> str:
        return f"{self.base_url()}/images/I/{offer.asin}.svg"

    def _view(self, offer: Offer, included: list[str]) -> dict:
        return offer_rules.item_view(offer, self.selling.now(), included, self._image(offer))

    # -- operations -----------------------------------------------------------------------

    def get(self, request: Request, seller: Seller, seller_id: str, sku: str) -> Response:
        problem, marketplace_id = self._seller_and_marketplace(request, seller, seller_id)
        if problem:
            return problem
        included, bad = self._included(request, GET_INCLUDED, "summaries")
        if bad:
            return invalid(bad)
        offer = self.selling.offers.get((seller_id, marketplace_id, sku))
        if offer is None:
            return error("NotFound", details=f"SKU '{sku}' not found in marketplace {marketplace_id}.")
        return ok(200, self._view(offer, included))

    def _submission(self, request: Request, seller: Seller, seller_id: str, sku: str):
        problem, marketplace_id = self._seller_and_marketplace(request, seller, seller_id)
        if problem:
            return problem, None
        included, bad = self._included(request, SUBMIT_INCLUDED, "issues")
        if bad:
            return invalid(bad), None
        mode = request.query.get("mode")
        if mode not in (None, "VALIDATION_PREVIEW"):
            return invalid("mode must be VALIDATION_PREVIEW."), None
        if request.content_type != "application/json":
            return error("InvalidInput", 415, "The request's Content-Type must be application/json."), None
        try:
            body = request.json()
        except ValueError:
            return invalid("The request body is not valid JSON."), None
        if not isinstance(body, dict) or not isinstance(body.get("productType"), str) or not body["productType"]:
            return invalid("productType is required."), None
        return None, (marketplace_id, included, mode == "VALIDATION_PREVIEW", body)

    def _answer(self, sku: str, status: str, issues: list[dict], offer: Offer | None, marketplace_id: str,
                included: list[str]) -> Response:
        body = {"sku": sku, "status": status, "submissionId": uuid.uuid4().hex}
        if "issues" in included:
            body["issues"] = issues
        if "identifiers" in included and offer is not None:
            body["identifiers"] = [{"marketplaceId": marketplace_id, "asin": offer.asin}]
        return ok(200, body)

    def put(self, request: Request, seller: Seller, seller_id: str, sku: str) -> Response:
        problem, parsed = self._submission(request, seller, seller_id, sku)
        if problem:
            return problem
        marketplace_id, included, preview, body = parsed
        if not isinstance(body.get("attributes"), dict):
            return invalid("attributes is required and must be an object.")
        requirements = body.get("requirements", "LISTING")
        if requirements not in REQUIREMENTS:
            return invalid("requirements must be one of " + ", ".join(REQUIREMENTS) + ".")
        status, issues, offer = self.book.put(seller_id, marketplace_id, sku, body["productType"], requirements,
                                              body["attributes"], preview)
        return self._answer(sku, status, issues, offer, marketplace_id, included)

    def patch(self, request: Request, seller: Seller, seller_id: str, sku: str) -> Response:
        problem, parsed = self._submission(request, seller, seller_id, sku)
        if problem:
            return problem
        marketplace_id, included, preview, body = parsed
        if not isinstance(body.get("patches"), list):
            return invalid("patches is required and must be an array.")
        status, issues, offer = self.book.patch(seller_id, marketplace_id, sku, body["productType"],
                                                body["patches"], preview)
        return self._answer(sku, status, issues, offer, marketplace_id, included)

    def delete(self, request: Request, seller: Seller, seller_id: str, sku: str) -> Response:
        problem, marketplace_id = self._seller_and_marketplace(request, seller, seller_id)
        if problem:
            return problem
        if self.book.delete(seller_id, marketplace_id, sku):
            return ok(200, {"sku": sku, "status": "ACCEPTED", "submissionId": uuid.uuid4().hex, "issues": []})
        return ok(200, {"sku": sku, "status": "INVALID", "submissionId": uuid.uuid4().hex, "issues": [
            offer_rules.issue("4000002", f"The SKU '{sku}' does not exist in marketplace {marketplace_id}.", None,
                              ["INVALID_ATTRIBUTE"], marketplace_id)]})

    def search(self, request: Request, seller: Seller, seller_id: str) -> Response:
        problem, marketplace_id = self._seller_and_marketplace(request, seller, seller_id)
        if problem:
            return problem
        included, bad = self._included(request, GET_INCLUDED, "summaries")
        if bad:
            return invalid(bad)
        query, problem = _search_query(request.query)
        if problem:
            return invalid(problem)
        now = self.selling.now()
        found = [offer for offer in self.selling.offers_of(seller_id, marketplace_id) if _matches(offer, query, now)]
        key = {"sku": lambda o: o.sku, "createdDate": lambda o: (o.created_at, o.sku),
               "lastUpdatedDate": lambda o: (o.updated_at, o.sku)}[query["sort_by"]]
        found.sort(key=key, reverse=query["sort_order"] == "DESC")
        start, size = query["offset"], query["page_size"]
        if start >= SEARCH_LIMIT:
            return invalid(f"Only the first {SEARCH_LIMIT} items can be paged through.")
        end = min(start + size, len(found), SEARCH_LIMIT)
        body: dict = {"numberOfResults": len(found), "items": [self._view(o, included) for o in found[start:end]]}
        pagination = {}
        if end < min(len(found), SEARCH_LIMIT):
            pagination["nextToken"] = page_token(end)
        if start > 0:
            pagination["previousToken"] = page_token(max(0, start - size))
        if pagination:
            body["pagination"] = pagination
        return ok(200, body)


def _search_query(query: dict) -> tuple[dict, str | None]:
    identifiers = csv_param(query, "identifiers")
    id_type = query.get("identifiersType")
    if identifiers and id_type not in IDENTIFIER_TYPES:
        return {}, "identifiersType is required with identifiers and must be one of " + ", ".join(IDENTIFIER_TYPES)
    if id_type and not identifiers:
        return {}, "identifiers is required when identifiersType is given."
    if len(identifiers) > 20:
        return {}, "identifiers accepts at most 20 values."
    result: dict = {"identifiers": set(identifiers), "type": id_type}
    for name in ("withStatus", "withoutStatus", "withIssueSeverity"):
        values = csv_param(query, name)
        allowed = ("WARNING", "ERROR") if name == "withIssueSeverity" else STATUSES
        if any(v not in allowed for v in values):
            return {}, f"{name} accepts " + ", ".join(allowed) + "."
        result[name] = values
    for name in ("createdAfter", "createdBefore", "lastUpdatedAfter", "lastUpdatedBefore"):
        value = query.get(name)
        result[name] = parse_iso(value) if value else None
        if value and result[name] is None:
            return {}, f"{name} must be an ISO 8601 date-time."
    result["sort_by"] = query.get("sortBy") or "lastUpdatedDate"
    result["sort_order"] = query.get("sortOrder") or "DESC"
    if result["sort_by"] not in SORT_KEYS or result["sort_order"] not in ("ASC", "DESC"):
        return {}, "sortBy must be sku, createdDate or lastUpdatedDate; sortOrder ASC or DESC."
    try:
        result["page_size"] = int(query.get("pageSize") or DEFAULT_PAGE_SIZE)
    except ValueError:
        return {}, "pageSize must be a number."
    if not 1 <= result["page_size"] <= MAX_PAGE_SIZE:
        return {}, f"pageSize must be between 1 and {MAX_PAGE_SIZE}."
    result["offset"] = 0
    if query.get("pageToken"):
        result["offset"] = read_page_token(query["pageToken"])
        if result["offset"] is None:
            return {}, "pageToken is not valid."
    return result, None


def _matches(offer: Offer, query: dict, now: float) -> bool:
    if query["identifiers"]:
        value = {"SKU": offer.sku, "ASIN": offer.asin, "FNSKU": offer.fn_sku}.get(query["type"])
        if value not in query["identifiers"]:
            return False
    status = offer_rules.status_of(offer, now)
    if query["withStatus"] and not all(s in status for s in query["withStatus"]):
        return False
    if any(s in status for s in query["withoutStatus"]):
        return False
    if query["withIssueSeverity"]:
        version = offer.version(now)
        severities = {i["severity"] for i in (version.issues if version else [])}
        if not severities & set(query["withIssueSeverity"]):
            return False
    bounds = (("createdAfter", offer.created_at, 1), ("createdBefore", offer.created_at, -1),
              ("lastUpdatedAfter", offer.updated_at, 1), ("lastUpdatedBefore", offer.updated_at, -1))
    for name, moment, sign in bounds:
        if query[name] is not None and (moment - query[name]) * sign < 0:
            return False
    return True
