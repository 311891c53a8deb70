"""The Sellers API: which marketplaces a seller participates in.

``getMarketplaceParticipations`` (GET /sellers/v1/marketplaceParticipations) proves
the connection works and tells whether the store's marketplace is one the seller
sells on. Its usage plan is about one call a minute per seller: call it after
connecting and in the daily check, never on page load.
"""

from typing import Any

import requests

from ..marketplaces import Region
from . import endpoints
from .errors import AmazonError, AmazonRequestError, AmazonUnavailable, Forbidden, Throttled, safe_code
from .http import AmazonHttp, retry_after_seconds

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
    response = http.get(url, headers={"x-amz-access-token": access_token, "Accept": "application/json"})
    if response.status_code != 200:
        raise error_from_response(response)
    try:
        body = response.json()
    except ValueError:
        body = None
    payload = body.get("payload") if isinstance(body, dict) else None
    if not isinstance(payload, list):
        raise AmazonUnavailable("Amazon's Sellers API sent an answer the plugin cannot read.", code="bad_response",
                                status=response.status_code)
    return [entry for entry in (normalize(item) for item in payload) if entry is not None]


def normalize(item: object) -> dict[str, Any] | None:
    if not isinstance(item, dict):
        return None
    marketplace = item.get("marketplace")
    marketplace = marketplace if isinstance(marketplace, dict) else {}
    participation = item.get("participation")
    participation = participation if isinstance(participation, dict) else {}
    marketplace_id = marketplace.get("id")
    if not isinstance(marketplace_id, str) or not marketplace_id:
        return None
    store_name = item.get("storeName")
    return {
        "marketplaceId": marketplace_id[:20],
        "countryCode": str(marketplace.get("countryCode") or "")[:2],
        "storeName": store_name[:255] if isinstance(store_name, str) else None,
        "isParticipating": participation.get("isParticipating") is True,
        "hasSuspendedListings": participation.get("hasSuspendedListings") is True,
    }


def error_from_response(response: requests.Response) -> AmazonError:
    """The exception for an SP-API error answer (``{"errors": [{"code", "message", "details"}]}``)."""
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = None
    errors = body.get("errors") if isinstance(body, dict) else None
    first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
    code = safe_code(first.get("code"), f"http_{status}")
    if status == 429:
        return Throttled(code=code, retry_after=retry_after_seconds(response))
    if status in (401, 403):
        return Forbidden(code=code, status=status)
    if status >= 500:
        return AmazonUnavailable(code=code, status=status)
    return AmazonRequestError(code=code, status=status)
