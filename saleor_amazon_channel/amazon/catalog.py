"""The Catalog Items API's searchCatalogItems (GET /catalog/2022-04-01/items), by identifiers.

One call looks up at most 20 identifiers of one type in one marketplace
(``includedData=summaries,identifiers,images``; ``sellerId`` for SKUs). Each item
Amazon returns is attributed to the identifiers it carries (its ``identifiers``
dataset, or its ASIN), compared through :func:`identifiers.canonical`, so an
EAN we send matches the UPC spelling Amazon lists.

The caller paces calls (``catalog.pacing``) and retries: :class:`AmazonHttp` is
used with one attempt, so every attempt takes a slot of the usage plan.
"""

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from saleor_amazon_channel.amazon import endpoints
from saleor_amazon_channel.amazon.http import AmazonHttp
from saleor_amazon_channel.amazon.sp_api import get_field
from saleor_amazon_channel.core import identifiers
from saleor_amazon_channel.core.marketplaces import Marketplace

SEARCH_PATH = "/catalog/2022-04-01/items"
_ASIN = re.compile(r"[A-Z0-9]{10}")
MAX_IDENTIFIERS = 20
PAGE_SIZE = 20
MAX_PAGES = 5
INCLUDED_DATA = "summaries,identifiers,images,productTypes"


@dataclass(frozen=True)
class CatalogItem:
    asin: str
    title: str = ""
    brand: str = ""
    image_url: str = ""
    keys: frozenset[str] = field(default_factory=frozenset)  # canonical identifiers it carries
    product_type: str = ""  # Amazon's product type in the marketplace (productTypes)


@dataclass
class SearchResult:
    items: list[CatalogItem]
    next_token: str | None
    rate_limit: str | None
    calls: int = 1


def search_url(marketplace: Marketplace, id_type: str, values: list[str], seller_id: str | None,
               page_token: str | None = None) -> str:
    if not 0 < len(values) <= MAX_IDENTIFIERS:
        raise ValueError(f"searchCatalogItems takes 1 to {MAX_IDENTIFIERS} identifiers")
    params = {
        "identifiers": ",".join(values),
        "identifiersType": id_type,
        "marketplaceIds": marketplace.id,
        "includedData": INCLUDED_DATA,
        "pageSize": PAGE_SIZE,
    }
    if id_type == "SKU":
        params["sellerId"] = seller_id
    if page_token:
        params["pageToken"] = page_token
    return endpoints.sp_api_url(marketplace.region) + SEARCH_PATH + "?" + urlencode(params)


def search_page(http: AmazonHttp, access_token: str, marketplace: Marketplace, id_type: str, values: list[str],
                seller_id: str | None = None, page_token: str | None = None) -> SearchResult:
    """One page; raises :class:`AmazonError` subclasses (``Throttled`` for 429) on an error answer."""
    url = search_url(marketplace, id_type, values, seller_id, page_token)
    body, items, response = get_field(http, url, access_token, "items", "Catalog Items API")
    raw_pagination = body.get("pagination")
    pagination: dict[str, Any] = raw_pagination if isinstance(raw_pagination, dict) else {}
    next_token = pagination.get("nextToken") if isinstance(pagination.get("nextToken"), str) else None
    parsed = [item for item in (parse_item(raw, marketplace.id) for raw in items) if item is not None]
    return SearchResult(parsed, next_token, response.headers.get("x-amzn-RateLimit-Limit"))


def _for_marketplace(entries: object, marketplace_id: str) -> dict[str, Any] | None:
    if not isinstance(entries, list):
        return None
    chosen = None
    for entry in entries:
        if isinstance(entry, dict):
            if entry.get("marketplaceId") == marketplace_id:
                return entry
            chosen = chosen or entry
    return chosen


def _text(value: object, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def parse_item(raw: object, marketplace_id: str) -> CatalogItem | None:
    if not isinstance(raw, dict):
        return None
    asin = raw.get("asin")
    # It ends up in a product page URL: only a well-formed ASIN is kept.
    if not isinstance(asin, str) or not _ASIN.fullmatch(asin):
        return None
    summary = _for_marketplace(raw.get("summaries"), marketplace_id) or {}
    images = (_for_marketplace(raw.get("images"), marketplace_id) or {}).get("images")
    image_url = ""
    if isinstance(images, list):
        links = [i for i in images if isinstance(i, dict) and isinstance(i.get("link"), str)]
        main = [i for i in links if i.get("variant") == "MAIN"] or links
        if main:
            link = main[0]["link"]
            image_url = link if link.startswith(("https://", "http://")) and len(link) <= 1000 else ""
    asin_key = identifiers.canonical("ASIN", asin)
    keys = {asin_key} if asin_key else set()
    entries = _for_marketplace(raw.get("identifiers"), marketplace_id) or {}
    for entry in entries.get("identifiers") or []:
        if isinstance(entry, dict):
            key = identifiers.canonical(str(entry.get("identifierType") or ""), entry.get("identifier"))
            if key:
                keys.add(key)
    product_type = _text((_for_marketplace(raw.get("productTypes"), marketplace_id) or {}).get("productType"), 100)
    return CatalogItem(
        asin=asin,
        product_type=product_type if re.fullmatch(r"[A-Z0-9_]+", product_type) else "",
        title=_text(summary.get("itemName"), 500),
        brand=_text(summary.get("brand"), 255),
        image_url=image_url,
        keys=frozenset(keys),
    )


def attribute(id_type: str, values: list[str], items: list[CatalogItem]) -> dict[str, list[CatalogItem]]:
    """Which items answer each identifier we sent (distinct ASINs, in Amazon's order)."""
    result = {}
    for value in values:
        key = identifiers.canonical(id_type, value)
        found, seen = [], set()
        for item in items:
            if key in item.keys and item.asin not in seen:
                seen.add(item.asin)
                found.append(item)
        result[value] = found
    return result
