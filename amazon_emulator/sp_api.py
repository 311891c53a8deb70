"""Selling Partner API: the Sellers API's getMarketplaceParticipations.

Calls authenticate with the LWA access token in ``x-amz-access-token``
(no SigV4 since October 2023).  Every answer carries ``x-amzn-RequestId``;
successful ones also ``x-amzn-RateLimit-Limit``.  The emulator serves every
region on one host, so a wrong-region call cannot be told apart here.
"""

from __future__ import annotations

import uuid

from .faults import Fault
from .marketplaces import MARKETPLACES
from .ratelimit import DEFAULT_RATE
from .state import EmulatorState
from .web import Request, Response, json_response

PARTICIPATIONS_PATH = "/sellers/v1/marketplaceParticipations"

# code -> (status, message) for the error bodies SP-API sends.
ERRORS = {
    "InvalidInput": (400, "Request has missing or invalid parameters and cannot be parsed."),
    "Unauthorized": (403, "Access to requested resource is denied."),
    "NotFound": (404, "The resource specified does not exist."),
    "QuotaExceeded": (429, "You exceeded your quota for the requested resource."),
    "InternalFailure": (500, "We encountered an internal error. Please try again."),
    "ServiceUnavailable": (503, "Temporary overloading or maintenance of the server."),
}
CODE_FOR_STATUS = {status: code for code, (status, _) in ERRORS.items()}
UNAUTHORIZED_DETAILS = "The access token you provided is revoked, malformed or invalid."


def error(code: str, status: int | None = None, details: str | None = None) -> Response:
    default_status, message = ERRORS.get(code, (500, "Error"))
    body = {"code": code, "message": message}
    if details:
        body["details"] = details
    return json_response(
        status or default_status, {"errors": [body]}, [("x-amzn-RequestId", str(uuid.uuid4()))]
    )


def fault_response(fault: Fault) -> Response:
    code = fault.error or CODE_FOR_STATUS.get(fault.status, "InternalFailure")
    return error(code, fault.status)


def not_found(request: Request) -> Response:
    """Operations the emulator does not implement."""
    return error("NotFound", details=f"The emulator does not implement {request.path}.")


class SellingPartnerApi:
    def __init__(self, state: EmulatorState):
        self.state = state

    def routes(self):
        return [("GET", PARTICIPATIONS_PATH, self.marketplace_participations)]

    def count(self, request: Request) -> None:
        """Count calls per seller whose token they carry, valid or not (faults included)."""
        with self.state.lock:
            owner = self.state.token_owner(request.headers.get("x-amz-access-token", ""))
            if owner is not None:
                self.state.sp_api_calls[owner.selling_partner_id] += 1

    def marketplace_participations(self, request: Request) -> Response:
        token = request.headers.get("x-amz-access-token", "")
        with self.state.lock:
            authorization = self.state.valid_access_token(token)
            seller = authorization and self.state.sellers.get(authorization.selling_partner_id)
            if seller is None:
                return error("Unauthorized", details=UNAUTHORIZED_DETAILS)
            if not self.state.take_rate_token(
                authorization.application_id, seller.selling_partner_id
            ):
                return error("QuotaExceeded")
            rate = self.state.rate_limit[0] if self.state.rate_limit else DEFAULT_RATE
            payload = [
                {
                    "marketplace": MARKETPLACES[marketplace_id].as_payload(),
                    "storeName": seller.store_name,
                    "participation": {
                        "isParticipating": participating,
                        "hasSuspendedListings": seller.has_suspended_listings,
                    },
                }
                for marketplace_id, participating in seller.marketplaces.items()
            ]
        return json_response(
            200,
            {"payload": payload},
            [("x-amzn-RequestId", str(uuid.uuid4())), ("x-amzn-RateLimit-Limit", str(rate))],
        )
