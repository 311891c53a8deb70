"""The Listings Items API 2021-08-01: an offer on an existing ASIN, its updates, its end, its status.

``putListingsItem`` with ``requirements=LISTING_OFFER_ONLY`` creates an offer (PUT replaces a listing:
only for SKUs that do not exist yet); ``patchListingsItem`` replaces the offer's price, quantity and
handling time; ``deleteListingsItem`` ends it; ``getListingsItem`` reads summaries, issues, offers and
fulfillment availability back. Usage plans (listingsItems_2021-08-01.json): get/put 5/s burst 10,
patch/delete 5/s burst 5, per seller. The caller paces and retries.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote, urlencode

from saleor_amazon_channel.amazon import endpoints
from saleor_amazon_channel.amazon.http import AmazonHttp
from saleor_amazon_channel.amazon.sp_api import call, clean_issues, rate_limit
from saleor_amazon_channel.core.marketplaces import Marketplace

ITEMS_PATH = "/listings/2021-08-01/items"
READ_BACK = "summaries,issues,offers,fulfillmentAvailability,attributes"
# Usage plans: (rate, burst) per operation.
PLANS = {"get": (5.0, 10), "put": (5.0, 10), "patch": (5.0, 5), "delete": (5.0, 5)}
MERCHANT_FULFILLED = "DEFAULT"


@dataclass(frozen=True)
class Offer:
    """The sales terms the plugin sends."""

    price: Decimal
    currency: str
    quantity: int
    handling_time: int | None  # None: not sent (Amazon keeps its own)
    condition: str
    asin: str = ""


@dataclass
class Submission:
    status: str  # ACCEPTED, INVALID (VALID in a validation preview)
    submission_id: str
    issues: list[dict[str, Any]]
    rate_limit: str | None

    @property
    def accepted(self) -> bool:
        return self.status in ("ACCEPTED", "VALID")


@dataclass
class ListingsItem:
    sku: str
    status: list[str] = field(default_factory=list)  # BUYABLE, DISCOVERABLE
    asin: str = ""
    product_type: str = ""
    price: Decimal | None = None
    quantity: int | None = None
    fulfillment_channel: str = MERCHANT_FULFILLED
    issues: list[dict[str, Any]] = field(default_factory=list)
    rate_limit: str | None = None


def item_url(marketplace: Marketplace, seller_id: str, sku: str, **params: str) -> str:
    query = urlencode({"marketplaceIds": marketplace.id, **params})
    return f"{endpoints.sp_api_url(marketplace.region)}{ITEMS_PATH}/{quote(seller_id, safe='')}/" \
           f"{quote(sku, safe='')}?{query}"


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def purchasable_offer(offer: Offer, marketplace: Marketplace) -> list[dict[str, Any]]:
    return [{
        "marketplace_id": marketplace.id,
        "currency": offer.currency,
        "our_price": [{"schedule": [{"value_with_tax": _money(offer.price)}]}],
    }]


def fulfillment_availability(offer: Offer) -> list[dict[str, Any]]:
    availability: dict[str, Any] = {"fulfillment_channel_code": MERCHANT_FULFILLED, "quantity": offer.quantity}
    if offer.handling_time is not None:
        availability["lead_time_to_ship_max_days"] = offer.handling_time
    return [availability]


def offer_attributes(offer: Offer, marketplace: Marketplace) -> dict[str, Any]:
    """The LISTING_OFFER_ONLY attributes of a new offer on ``offer.asin``."""
    return {
        "condition_type": [{"value": offer.condition, "marketplace_id": marketplace.id}],
        "merchant_suggested_asin": [{"value": offer.asin, "marketplace_id": marketplace.id}],
        "purchasable_offer": purchasable_offer(offer, marketplace),
        "fulfillment_availability": fulfillment_availability(offer),
    }


def offer_patches(offer: Offer, marketplace: Marketplace) -> list[dict[str, Any]]:
    return [
        {"op": "replace", "path": "/attributes/purchasable_offer", "value": purchasable_offer(offer, marketplace)},
        {"op": "replace", "path": "/attributes/fulfillment_availability", "value": fulfillment_availability(offer)},
    ]


def _submission(answer: dict[str, Any], response: Any) -> Submission:
    return Submission(
        status=str(answer.get("status") or ""),
        submission_id=str(answer.get("submissionId") or "")[:100],
        issues=clean_issues(answer.get("issues")),
        rate_limit=rate_limit(response),
    )


def put_offer(http: AmazonHttp, token: str, marketplace: Marketplace, seller_id: str, sku: str, product_type: str,
              offer: Offer, *, preview: bool = False) -> Submission:
    params = {"includedData": "issues"}
    if preview:
        params["mode"] = "VALIDATION_PREVIEW"
    body = {"productType": product_type, "requirements": "LISTING_OFFER_ONLY",
            "attributes": offer_attributes(offer, marketplace)}
    answer, response = call(http, "PUT", item_url(marketplace, seller_id, sku, **params), token, body,
                            api="Listings Items API")
    return _submission(answer, response)


def patch_offer(http: AmazonHttp, token: str, marketplace: Marketplace, seller_id: str, sku: str, product_type: str,
                offer: Offer) -> Submission:
    body = {"productType": product_type or "PRODUCT", "patches": offer_patches(offer, marketplace)}
    answer, response = call(http, "PATCH", item_url(marketplace, seller_id, sku, includedData="issues"), token,
                            body, api="Listings Items API")
    return _submission(answer, response)


def delete_offer(http: AmazonHttp, token: str, marketplace: Marketplace, seller_id: str, sku: str) -> Submission:
    answer, response = call(http, "DELETE", item_url(marketplace, seller_id, sku), token, api="Listings Items API")
    return _submission(answer, response)


def _first(entries: object, marketplace_id: str) -> dict[str, Any]:
    if not isinstance(entries, list):
        return {}
    for entry in entries:
        if isinstance(entry, dict) and entry.get("marketplaceId", marketplace_id) == marketplace_id:
            return entry
    return {}


def _decimal(value: object) -> Decimal | None:
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return result if result.is_finite() else None


def get_item(http: AmazonHttp, token: str, marketplace: Marketplace, seller_id: str, sku: str) -> ListingsItem:
    """The listing as Amazon shows it; :class:`AmazonRequestError` with status 404 when there is none."""
    answer, response = call(http, "GET", item_url(marketplace, seller_id, sku, includedData=READ_BACK), token,
                            api="Listings Items API")
    summary = _first(answer.get("summaries"), marketplace.id)
    item = ListingsItem(sku=sku, rate_limit=rate_limit(response))
    status = summary.get("status")
    item.status = [s for s in status if isinstance(s, str)] if isinstance(status, list) else []
    item.asin = str(summary.get("asin") or "")[:10]
    item.product_type = str(summary.get("productType") or "")[:100]
    for offer in answer.get("offers") or []:
        if isinstance(offer, dict) and offer.get("offerType", "B2C") == "B2C" and \
                offer.get("marketplaceId", marketplace.id) == marketplace.id:
            price = offer.get("price")
            item.price = _decimal(price.get("amount")) if isinstance(price, dict) else None
            break
    for availability in answer.get("fulfillmentAvailability") or []:
        if isinstance(availability, dict):
            item.fulfillment_channel = str(availability.get("fulfillmentChannelCode") or MERCHANT_FULFILLED)[:32]
            quantity = availability.get("quantity")
            item.quantity = quantity if isinstance(quantity, int) else None
            if item.fulfillment_channel == MERCHANT_FULFILLED:
                break
    item.issues = clean_issues(answer.get("issues"))
    return item
