"""The Sellers API: which marketplaces a seller participates in.

``getMarketplaceParticipations`` (GET /sellers/v1/marketplaceParticipations) proves
the connection works and tells whether the store's marketplace is one the seller
sells on. Its usage plan is about one call a minute per seller: call it after
connecting and in the daily check, never on page load.
"""

from typing import Any

from saleor_amazon_channel.amazon import endpoints
from saleor_amazon_channel.amazon.http import AmazonHttp
from saleor_amazon_channel.amazon.sp_api import clean_text, get_field
from saleor_amazon_channel.core.marketplaces import Region

PARTICIPATIONS_PATH = "/sellers/v1/marketplaceParticipations"


def get_marketplace_participations(
    region: Region | str, access_token: str, *, http: AmazonHttp | None = None
) -> list[dict[str, Any]]:
    """The seller's marketplaces, normalized to what ``SellerAuthorization.participations`` stores:
    ``{"marketplaceId", "countryCode", "storeName", "isParticipating", "hasSuspendedListings"}``."""
    if http is None:
        with AmazonHttp() as own_http:
            return get_marketplace_participations(region, access_token, http=own_http)
    url = endpoints.sp_api_url(region) + PARTICIPATIONS_PATH
    _, payload, _ = get_field(http, url, access_token, "payload", "Sellers API")
    return [entry for entry in (normalize(item) for item in payload) if entry is not None]


def normalize(item: object) -> dict[str, Any] | None:
    if not isinstance(item, dict):
        return None
    marketplace = item.get("marketplace")
    marketplace = marketplace if isinstance(marketplace, dict) else {}
    participation = item.get("participation")
    participation = participation if isinstance(participation, dict) else {}
    # Every string is cleaned (no NUL, control or format characters): it is stored as JSON and shown.
    marketplace_id = clean_text(marketplace.get("id"), 20)
    if not marketplace_id:
        return None
    return {
        "marketplaceId": marketplace_id,
        "countryCode": clean_text(marketplace.get("countryCode"), 2) or "",
        "storeName": clean_text(item.get("storeName"), 255),
        "isParticipating": participation.get("isParticipating") is True,
        "hasSuspendedListings": participation.get("hasSuspendedListings") is True,
    }

