"""Catalog Items API v2022-04-01: searchCatalogItems by identifiers.

Follows catalogItems_2022-04-01.json (amzn/selling-partner-api-models): the
``identifiers``/``identifiersType``/``marketplaceIds``/``includedData``/
``sellerId``/``pageSize``/``pageToken`` parameters, ``ItemSearchResults``
answers, ``ErrorList`` errors, and the 2 rps / burst 2 usage plan per
application-seller pair (429 ``QuotaExceeded`` past it).

The catalog is seeded, deterministically, from the identifier itself: a valid
GTIN-family value (EAN, UPC, GTIN, JAN, ISBN) whose hash falls in the first 72 of
100 buckets is one item, the next 3 buckets are two items (a multiple match), the
rest are unknown to Amazon. ASINs are known in 80 buckets of 100; a seller's SKUs
in 75. Items added with ``add_catalog_item`` come first. So any test or demo gets
the same answers without set-up, and large catalogs cost no memory.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid

from .marketplaces import MARKETPLACES
from .product_types import NOUN_PRODUCT_TYPES
from .sp_api import UNAUTHORIZED_DETAILS, error
from .state import EmulatorState
from .web import Request, Response, json_response

SEARCH_PATH = "/catalog/2022-04-01/items"
IMAGE_PATH = r"/images/I/(?P<name>[A-Z0-9]{10})\.svg"
IDENTIFIER_TYPES = ("ASIN", "EAN", "GTIN", "ISBN", "JAN", "MINSAN", "SKU", "UPC")
INCLUDED_DATA = ("attributes", "classifications", "dimensions", "identifiers", "images", "productTypes",
                 "relationships", "salesRanks", "summaries", "vendorDetails")
MAX_IDENTIFIERS = 20
MAX_PAGE_SIZE = 20
DEFAULT_PAGE_SIZE = 10
GTIN_TYPES = ("EAN", "GTIN", "ISBN", "JAN", "UPC")
BRANDS = ("Acme", "Northwind", "Contoso", "Globex", "Initech", "Umbrella", "Hooli", "Stark")
# An item added with ``nesting=N`` carries this placeholder; the answer holds N nested arrays in its place
# (JSON deeper than any parser's recursion limit, which json.dumps itself could not write).
NESTED = "__emulator_nested_%d__"
_NESTED = re.compile(rb'"__emulator_nested_(\d+)__"')
NOUNS = ("Desk Lamp", "Water Bottle", "Backpack", "Notebook", "Headphones", "Coffee Mug", "Yoga Mat", "Board Game")
_DIGITS = re.compile(r"^[0-9]+$")


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def _gtin_ok(digits: str) -> bool:
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(reversed(digits)))
    return total % 10 == 0


def _isbn10_to_13(value: str) -> str | None:
    if len(value) != 10 or not _DIGITS.match(value[:9]):
        return None
    body = "978" + value[:9]
    return next(body + c for c in "0123456789" if _gtin_ok(body + c))


def gtin14(value: str) -> str | None:
    """A GTIN-family identifier as 14 digits, or None when it is not a valid one."""
    compact = value.replace("-", "").replace(" ", "").upper()
    if len(compact) == 10:  # ISBN-10: its ISBN-13 form is the GTIN
        compact = _isbn10_to_13(compact) or ""
    if not _DIGITS.match(compact) or len(compact) not in (8, 12, 13, 14) or not _gtin_ok(compact):
        return None
    return compact.zfill(14)


def seeded_count(id_type: str, value: str, seller_id: str | None = None) -> int:
    """How many items the seeded catalog holds for an identifier (tests choose identifiers with it)."""
    if id_type in GTIN_TYPES:
        g14 = gtin14(value)
        if g14 is None:
            return 0
        bucket = _hash("gtin:" + g14) % 100
        return 1 if bucket < 72 else 2 if bucket < 75 else 0
    if id_type == "ASIN":
        return 1 if _hash("asin-known:" + value) % 100 < 80 else 0
    if id_type == "SKU":
        return 1 if _hash(f"sku:{seller_id}:{value}") % 100 < 75 else 0
    return 0


def _asin(seed: str) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    n, chars = _hash("asin:" + seed), []
    for _ in range(8):
        n, r = divmod(n, 36)
        chars.append(alphabet[r])
    return "B0" + "".join(chars)


def _gtin_identifiers(g14: str) -> list[dict]:
    result = [{"identifierType": "GTIN", "identifier": g14}]
    if g14.startswith("0"):
        result.insert(0, {"identifierType": "EAN", "identifier": g14[1:]})
        if g14.startswith("00"):
            result.append({"identifierType": "UPC", "identifier": g14[2:]})
    if g14[1:4] in ("978", "979"):
        result.append({"identifierType": "ISBN", "identifier": g14[1:]})
    return result


class CatalogItems:
    def __init__(self, state: EmulatorState, base_url):
        self.state = state
        self.base_url = base_url

    def routes(self):
        return [("GET", SEARCH_PATH, self.search)]


    def count(self, request: Request) -> None:
        with self.state.lock:
            owner = self.state.token_owner(request.headers.get("x-amz-access-token", ""))
            if owner is not None:
                self.state.sp_api_calls[owner.selling_partner_id] += 1
                self.state.catalog_calls[owner.selling_partner_id] += 1

    # -- the seeded catalog ---------------------------------------------------

    def _item(self, asin: str, seed: str, identifiers: list[dict], marketplace_id: str) -> dict:
        n = _hash("item:" + seed)
        brand = BRANDS[n % len(BRANDS)]
        noun = NOUNS[(n >> 8) % len(NOUNS)]
        return {
            "asin": asin,
            "identifiers": [{"marketplaceId": marketplace_id, "identifiers": identifiers}],
            "images": [{"marketplaceId": marketplace_id, "images": [
                {"variant": "MAIN", "link": f"{self.base_url()}/images/I/{asin}.svg", "height": 500, "width": 500},
            ]}],
            "summaries": [{
                "marketplaceId": marketplace_id,
                "brand": brand,
                "itemName": f"{brand} {noun} {seed[-4:]}",
                "manufacturer": brand,
                "itemClassification": "BASE_PRODUCT",
                "websiteDisplayGroup": "home_display_on_website",
            }],
            "productTypes": [{"marketplaceId": marketplace_id, "productType": NOUN_PRODUCT_TYPES[noun]}],
        }

    def lookup(self, id_type: str, value: str, marketplace_id: str, seller_id: str | None) -> list[dict]:
        added = [item for item in self.state.catalog_items.values() if _carries(item, id_type, value)]
        if added:
            return [_for_marketplace(item, marketplace_id) for item in added]
        count = seeded_count(id_type, value, seller_id)
        if id_type in GTIN_TYPES:
            g14 = gtin14(value)
            return [self._seen(_asin(f"{g14}:{i}"), g14, _gtin_identifiers(g14), marketplace_id) for i in range(count)]
        if id_type == "ASIN":
            seen = self.state.catalog_seen.get(value)
            if seen is not None:  # an item found by another identifier keeps its ASIN known, and itself
                return [self._item(value, *seen, marketplace_id)]
            return [self._item(value, value, [], marketplace_id)] if count else []
        if id_type == "SKU":
            return [self._seen(_asin(f"sku:{seller_id}:{value}"), value,
                               [{"identifierType": "SKU", "identifier": value}], marketplace_id)] if count else []
        return []

    def _seen(self, asin: str, seed: str, identifiers: list[dict], marketplace_id: str) -> dict:
        with self.state.lock:
            self.state.catalog_seen[asin] = (seed, identifiers)
        return self._item(asin, seed, identifiers, marketplace_id)

    # -- the operation ---------------------------------------------------------

    def search(self, request: Request) -> Response:
        token = request.headers.get("x-amz-access-token", "")
        with self.state.lock:
            authorization = self.state.valid_access_token(token)
            seller = authorization and self.state.sellers.get(authorization.selling_partner_id)
            if seller is None:
                return error("Unauthorized", details=UNAUTHORIZED_DETAILS)
            if not self.state.take_rate_token(authorization.application_id, seller.selling_partner_id, "catalog"):
                return error("QuotaExceeded")
        problem, query = _parse(request.query, seller)
        if problem:
            return error("InvalidInput", details=problem)
        found, seen = [], set()
        for value in query["identifiers"]:
            for item in self.lookup(query["type"], value, query["marketplace"], query["seller_id"]):
                if item["asin"] not in seen:
                    seen.add(item["asin"])
                    found.append(item)
        start = query["offset"]
        page = found[start:start + query["page_size"]]
        body = {"numberOfResults": len(found), "items": [_only(item, query["included"]) for item in page]}
        pagination = {}
        if start + query["page_size"] < len(found):
            pagination["nextToken"] = _token(start + query["page_size"])
        if start > 0:
            pagination["previousToken"] = _token(max(0, start - query["page_size"]))
        if pagination:
            body["pagination"] = pagination
        headers = [("x-amzn-RequestId", str(uuid.uuid4()))]
        if self.state.rate_limit is not None:
            headers.append(("x-amzn-RateLimit-Limit", str(self.state.catalog_plan[0])))
        response = json_response(200, body, headers)
        if b"__emulator_nested_" in response.body:
            response.body = _NESTED.sub(lambda m: b"[" * int(m[1]) + b"]" * int(m[1]), response.body)
        return response



def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"offset": offset}).encode()).decode()


def _carries(item: dict, id_type: str, value: str) -> bool:
    if id_type == "ASIN":
        return item["asin"] == value
    want = gtin14(value) if id_type in GTIN_TYPES else value
    for entry in item.get("identifiers", []):
        for identifier in entry.get("identifiers", []):
            have = identifier["identifier"]
            if id_type in GTIN_TYPES and identifier["identifierType"] in GTIN_TYPES:
                if want is not None and gtin14(have) == want:
                    return True
            elif identifier["identifierType"] == id_type and have == value:
                return True
    return False


def _for_marketplace(item: dict, marketplace_id: str) -> dict:
    copy = json.loads(json.dumps(item))
    for dataset in ("identifiers", "images", "summaries", "productTypes"):
        for entry in copy.get(dataset, []):
            entry["marketplaceId"] = marketplace_id
    return copy


def _only(item: dict, included: list[str]) -> dict:
    return {"asin": item["asin"], **{key: item[key] for key in included if key in item}}


def _parse(query: dict, seller) -> tuple[str | None, dict]:
    """Check the parameters as catalogItems_2022-04-01.json describes them."""
    identifiers = [v for v in (query.get("identifiers") or "").split(",") if v]
    if query.get("keywords"):
        if identifiers:
            return "Cannot include both identifiers and keywords in the same request.", {}
        return "The emulator searches by identifiers only.", {}
    if not identifiers:
        return "identifiers or keywords is required.", {}
    if len(identifiers) > MAX_IDENTIFIERS:
        return f"identifiers accepts at most {MAX_IDENTIFIERS} values.", {}
    id_type = query.get("identifiersType")
    if id_type not in IDENTIFIER_TYPES:
        return "identifiersType is required with identifiers and must be one of " + ", ".join(IDENTIFIER_TYPES), {}
    marketplaces = [v for v in (query.get("marketplaceIds") or "").split(",") if v]
    if len(marketplaces) != 1 or marketplaces[0] not in MARKETPLACES:
        return "marketplaceIds must name one valid marketplace.", {}
    if marketplaces[0] not in seller.marketplaces:
        return f"The seller is not registered in marketplace {marketplaces[0]}.", {}
    seller_id = query.get("sellerId")
    if id_type == "SKU" and not seller_id:
        return "sellerId is required when identifiersType is SKU.", {}
    if id_type == "SKU" and seller_id != seller.selling_partner_id:
        return "sellerId does not match the authorized selling partner.", {}
    included = [v for v in (query.get("includedData") or "summaries").split(",") if v]
    unknown = [v for v in included if v not in INCLUDED_DATA]
    if unknown:
        return f"Unknown includedData: {', '.join(unknown)}.", {}
    try:
        page_size = int(query.get("pageSize") or DEFAULT_PAGE_SIZE)
    except ValueError:
        return "pageSize must be a number.", {}
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        return f"pageSize must be between 1 and {MAX_PAGE_SIZE}.", {}
    offset = 0
    if query.get("pageToken"):
        try:
            offset = int(json.loads(base64.urlsafe_b64decode(query["pageToken"].encode()))["offset"])
        except (ValueError, KeyError, TypeError):
            return "pageToken is not valid.", {}
    return None, {
        "identifiers": identifiers, "type": id_type, "marketplace": marketplaces[0], "seller_id": seller_id,
        "included": included, "page_size": page_size, "offset": max(0, offset),
    }


class CatalogImages:
    """The seeded items' MAIN images (Amazon's live on m.media-amazon.com); never counted nor faulted."""

    def routes(self):
        return [("GET", IMAGE_PATH, self.image)]

    def image(self, request: Request, name: str) -> Response:
        hue = _hash("hue:" + name) % 360
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120"><rect width="120" height="120" '
               f'fill="hsl({hue},60%,70%)"/><text x="60" y="66" font-size="14" text-anchor="middle" '
               f'font-family="sans-serif">{name}</text></svg>')
        return Response(200, svg.encode(), [("Content-Type", "image/svg+xml"), ("Cache-Control", "max-age=3600")])
