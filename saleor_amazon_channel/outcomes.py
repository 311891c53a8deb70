"""The one vocabulary of outcomes: every code the plugin stores, returns or shows.

Each :class:`Outcome` owns its code (what ``last_error_code`` and the audit trail's
``reason`` store, and the return page's ``reason``), the message a person reads, and
whether it is a GraphQL error code (``AmazonStoreErrorCode``, derived in ``graphql/types.py``)
and/or a reason the consent's return page can show. The dashboard extension's copy
(``dashboard-extension/src/lib/outcomes.generated.ts``) is generated from this module
(``python -m saleor_amazon_channel.outcomes``) and a test on each side pins it.
"""

import json
import sys
from dataclasses import dataclass
from enum import StrEnum

from saleor_amazon_channel.amazon import errors as amazon_errors

GRAPHQL = 1  # an AmazonStoreErrorCode
PAGE = 2  # a reason of the consent's return page
LISTING = 4  # why a listing cannot be offered (stored on it, shown in the Incomplete tab)


@dataclass(frozen=True)
class _Spec:
    message: str
    kinds: int


class Outcome(StrEnum):
    # Input checks of the GraphQL API.
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    REQUIRED = "REQUIRED"
    UNIQUE = "UNIQUE"
    IMMUTABLE = "IMMUTABLE"
    NOT_CONNECTED = "NOT_CONNECTED"
    CONNECT_LIMIT_REACHED = "CONNECT_LIMIT_REACHED"
    # The consent's state and the browser it belongs to.
    STATE_INVALID = "STATE_INVALID"
    STATE_EXPIRED = "STATE_EXPIRED"
    STATE_USED = "STATE_USED"
    STATE_BROWSER_MISMATCH = "STATE_BROWSER_MISMATCH"
    CANCELLED = "CANCELLED"
    # What Amazon answered.
    AMAZON_MD1000 = "AMAZON_MD1000"
    AMAZON_MD5101 = "AMAZON_MD5101"
    AMAZON_MD5110 = "AMAZON_MD5110"
    AMAZON_ERROR = "AMAZON_ERROR"
    INVALID_GRANT = "INVALID_GRANT"
    INVALID_CLIENT = "INVALID_CLIENT"
    UNAUTHORIZED_CLIENT = "UNAUTHORIZED_CLIENT"
    AMAZON_UNAVAILABLE = "AMAZON_UNAVAILABLE"
    SP_API_FORBIDDEN = "SP_API_FORBIDDEN"
    SP_API_THROTTLED = "SP_API_THROTTLED"
    AUTHORIZATION_REVOKED = "AUTHORIZATION_REVOKED"
    # The seller and the store.
    MARKETPLACE_NOT_PARTICIPATING = "MARKETPLACE_NOT_PARTICIPATING"
    SELLER_MISMATCH = "SELLER_MISMATCH"
    SELLER_ALREADY_CONNECTED = "SELLER_ALREADY_CONNECTED"
    STORE_NOT_FOUND = "STORE_NOT_FOUND"
    PLUGIN_NOT_CONFIGURED = "PLUGIN_NOT_CONFIGURED"
    # An unexpected failure on our side (a bug), logged in full.
    INTERNAL_ERROR = "INTERNAL_ERROR"
    # Why a listing cannot be offered yet (stored on the listing, shown in the Incomplete tab).
    CURRENCY_MISMATCH = "CURRENCY_MISMATCH"
    NO_PRICE = "NO_PRICE"
    MISSING_CONDITION = "MISSING_CONDITION"
    NO_CATALOG_MATCH = "NO_CATALOG_MATCH"
    MULTIPLE_MATCHES = "MULTIPLE_MATCHES"
    NO_IDENTIFIER = "NO_IDENTIFIER"
    NO_PRODUCT_TYPE = "NO_PRODUCT_TYPE"
    MISSING_REQUIRED_ATTRIBUTE = "MISSING_REQUIRED_ATTRIBUTE"
    NOT_IN_CHANNEL = "NOT_IN_CHANNEL"

    @property
    def message(self) -> str:
        return _SPECS[self].message

    @property
    def is_graphql_code(self) -> bool:
        return bool(_SPECS[self].kinds & GRAPHQL)

    @property
    def is_page_reason(self) -> bool:
        return bool(_SPECS[self].kinds & PAGE)

    @property
    def is_listing_reason(self) -> bool:
        return bool(_SPECS[self].kinds & LISTING)


_AGAIN = "Start again from the store in the Saleor Dashboard."

_SPECS: dict[Outcome, _Spec] = {
    Outcome.INVALID: _Spec("The value is not valid.", GRAPHQL),
    Outcome.NOT_FOUND: _Spec("Not found.", GRAPHQL),
    Outcome.REQUIRED: _Spec("This field is required.", GRAPHQL),
    Outcome.UNIQUE: _Spec("The value is already used.", GRAPHQL),
    Outcome.IMMUTABLE: _Spec("The value cannot be changed.", GRAPHQL),
    Outcome.NOT_CONNECTED: _Spec("This store is not connected to Amazon.", GRAPHQL),
    Outcome.CONNECT_LIMIT_REACHED: _Spec(
        "Too many connections were started in the last 10 minutes. Finish or wait for one, then try again.", GRAPHQL),
    Outcome.STATE_INVALID: _Spec(
        "The answer from Amazon could not be matched to a connection request. " + _AGAIN, GRAPHQL | PAGE),
    Outcome.STATE_EXPIRED: _Spec(
        "The connection request expired (it is valid for 10 minutes). " + _AGAIN, GRAPHQL | PAGE),
    Outcome.STATE_USED: _Spec("This connection request was already used. " + _AGAIN, PAGE),
    Outcome.STATE_BROWSER_MISMATCH: _Spec(
        "This answer from Amazon belongs to a connection started in another browser, so nothing was changed. "
        "Finish the connection in the browser where you clicked Connect store, or " + _AGAIN[0].lower() + _AGAIN[1:],
        PAGE),
    Outcome.CANCELLED: _Spec("The seller cancelled the authorization in Seller Central.", PAGE),
    Outcome.AMAZON_MD1000: _Spec(
        "Amazon rejected the request: the application is a draft (MD1000). Enable “Draft application” in the "
        "plugin's configuration.", PAGE),
    Outcome.AMAZON_MD5101: _Spec(
        "Amazon rejected the request: the redirect URI is not registered for the application (MD5101).", PAGE),
    Outcome.AMAZON_MD5110: _Spec("Amazon rejected the request: the redirect URI contains a fragment (MD5110).", PAGE),
    Outcome.AMAZON_ERROR: _Spec("Amazon returned an error instead of an authorization. Try again.", PAGE),
    Outcome.INVALID_GRANT: _Spec(
        "Amazon did not accept the authorization code: it expired or was already used. Try again.", PAGE),
    Outcome.INVALID_CLIENT: _Spec(
        "Amazon rejected the plugin's LWA client ID or client secret. Check the plugin's configuration.", PAGE),
    Outcome.UNAUTHORIZED_CLIENT: _Spec(
        "Amazon does not allow this application to be authorized this way. Check the application in Developer "
        "Central.", PAGE),
    Outcome.AMAZON_UNAVAILABLE: _Spec("Amazon could not be reached. Try again in a few minutes.", GRAPHQL | PAGE),
    Outcome.SP_API_FORBIDDEN: _Spec(
        "Amazon denied access to the seller's account data. Check that the application has the required roles.",
        PAGE),
    Outcome.SP_API_THROTTLED: _Spec("Amazon is limiting requests for this seller. Try again in a minute.", PAGE),
    Outcome.AUTHORIZATION_REVOKED: _Spec(
        "Amazon no longer accepts the authorization: it was revoked or expired. Reconnect the store.", GRAPHQL),
    Outcome.MARKETPLACE_NOT_PARTICIPATING: _Spec(
        "The Amazon seller account does not sell in this store's marketplace.", GRAPHQL | PAGE),
    Outcome.SELLER_MISMATCH: _Spec(
        "This store is connected to another Amazon seller, or Amazon named another seller for this consent. "
        "Nothing was changed. Disconnect the store first to connect a different seller.", GRAPHQL | PAGE),
    Outcome.SELLER_ALREADY_CONNECTED: _Spec(
        "This Amazon seller's marketplace is already connected to another store.", GRAPHQL | PAGE),
    Outcome.STORE_NOT_FOUND: _Spec("The store being connected no longer exists.", PAGE),
    Outcome.PLUGIN_NOT_CONFIGURED: _Spec(
        "The Amazon Sales Channel plugin is not configured: fill in the application ID and LWA credentials.",
        GRAPHQL | PAGE),
    Outcome.INTERNAL_ERROR: _Spec(
        "Something went wrong in Saleor while finishing the connection. Try again; if it persists, ask your "
        "administrator to check the server logs.", PAGE),
    Outcome.CURRENCY_MISMATCH: _Spec(
        "The channel's currency is not the marketplace's: Amazon takes prices in the marketplace's currency only, "
        "so nothing is sent.", LISTING),
    Outcome.NO_PRICE: _Spec("The variant has no price in the store's channel.", LISTING),
    Outcome.MISSING_CONDITION: _Spec("The variant's condition attribute is empty or not an Amazon condition.", LISTING),
    Outcome.NO_CATALOG_MATCH: _Spec(
        "Amazon's catalog has no item for the variant's identifier (or the catalog match has not run).", LISTING),
    Outcome.MULTIPLE_MATCHES: _Spec("Several Amazon items match the variant: pick its ASIN.", LISTING),
    Outcome.NO_IDENTIFIER: _Spec("The variant has no valid identifier for the store's mapping.", LISTING),
    Outcome.NO_PRODUCT_TYPE: _Spec(
        "Amazon's product type of the ASIN is not known yet: the next sync looks it up.", LISTING),
    Outcome.MISSING_REQUIRED_ATTRIBUTE: _Spec(
        "Amazon's product type requires an offer attribute the plugin does not send.", LISTING),
    Outcome.NOT_IN_CHANNEL: _Spec("The variant is no longer sold in the store's channel (or was deleted).", LISTING),
}

PAGE_REASONS: tuple[Outcome, ...] = tuple(o for o in Outcome if o.is_page_reason)


def of_amazon_error(error: Exception, *, sp_api: bool) -> Outcome:
    """The outcome of an Amazon client error (:mod:`.amazon.errors`): LWA during a code exchange
    (``sp_api=False``), else an SP-API call or a token refresh. Amazon's own code stays a diagnostic
    (the audit's ``amazon_code``), never a stored code."""
    if isinstance(error, amazon_errors.InvalidGrant):
        return Outcome.INVALID_GRANT
    if isinstance(error, amazon_errors.InvalidClient):
        return Outcome.PLUGIN_NOT_CONFIGURED if error.code == "missing_credentials" else Outcome.INVALID_CLIENT
    if isinstance(error, amazon_errors.UnauthorizedClient):
        return Outcome.UNAUTHORIZED_CLIENT
    if isinstance(error, amazon_errors.Forbidden):
        return Outcome.SP_API_FORBIDDEN
    if isinstance(error, amazon_errors.Throttled):
        return Outcome.SP_API_THROTTLED if sp_api else Outcome.AMAZON_UNAVAILABLE
    if isinstance(error, amazon_errors.AmazonUnavailable):
        return Outcome.AMAZON_UNAVAILABLE
    return Outcome.AMAZON_ERROR


def lookup(code: object) -> Outcome | None:
    """The outcome a stored or received code names, or None."""
    try:
        return Outcome(str(code).upper()) if code else None
    except ValueError:
        return None


def typescript() -> str:
    """The dashboard extension's copy of the vocabulary."""
    lines = [
        "// Generated from saleor_amazon_channel/outcomes.py by `python -m saleor_amazon_channel.outcomes`.",
        "// Do not edit: tests on both sides compare it with the Python module.",
        "",
        "/** Reasons the consent's return page can show (`?reason=`). */",
        f"export const REASON_CODES = {json.dumps([o.value for o in PAGE_REASONS], indent=2)} as const;",
        "",
        "/** AmazonStoreErrorCode values of the GraphQL API. */",
        f"export const ERROR_CODES = {json.dumps([o.value for o in Outcome if o.is_graphql_code], indent=2)} as const;",
        "",
        "/** Why a listing cannot be offered (`AmazonListing.reasonCode`). */",
        "export const LISTING_REASONS = "
        f"{json.dumps([o.value for o in Outcome if o.is_listing_reason], indent=2)} as const;",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - a developer tool
    sys.stdout.write(typescript())
