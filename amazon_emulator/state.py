"""Everything the emulator remembers: accounts, apps, codes, tokens, sessions.

All reads and writes go through ``EmulatorState`` under one re-entrant lock,
because ThreadingHTTPServer serves each request on its own thread.  Protocol
modules that need several steps to be atomic hold ``state.lock`` themselves.

Times come from ``now()``, the wall clock plus an offset that
``advance_clock`` moves forward, so tests can expire codes and tokens
without sleeping.
"""

from __future__ import annotations

import secrets
import string
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass

from .faults import Fault
from .marketplaces import DEFAULT_MARKETPLACE_BY_REGION, MARKETPLACES, REGIONS
from .order_book import OrderBook
from .ratelimit import CATALOG_BURST, CATALOG_RATE, DEFAULT_BURST, DEFAULT_RATE, TokenBucket

CODE_TTL = 5 * 60  # spapi_oauth_code "expires after five minutes"
ACCESS_TOKEN_TTL = 3600  # LWA expires_in
# Amazon documents no lifetime for amazon_state; long enough for the app's own
# sign-in on its log-in page, short enough to be "short-lived".
AMAZON_STATE_TTL = 10 * 60


def _code() -> str:
    # Real codes look like "ANDMxqpCmqWHJeyzdbMH": 20 ASCII letters.
    return "".join(secrets.choice(string.ascii_letters) for _ in range(20))


@dataclass
class App:
    application_id: str
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    login_uri: str | None = None
    draft: bool = False
    name: str = ""

    def public(self) -> dict:
        return {
            "application_id": self.application_id,
            "client_id": self.client_id,
            "name": self.name,
            "redirect_uris": list(self.redirect_uris),
            "login_uri": self.login_uri,
            "draft": self.draft,
        }


@dataclass
class Seller:
    email: str
    password: str
    selling_partner_id: str
    region: str
    marketplaces: dict[str, bool]  # marketplace id -> isParticipating
    otp: str
    has_suspended_listings: bool
    store_name: str

    def public(self) -> dict:
        return {
            "email": self.email,
            "selling_partner_id": self.selling_partner_id,
            "region": self.region,
            "marketplaces": dict(self.marketplaces),
            "has_suspended_listings": self.has_suspended_listings,
            "store_name": self.store_name,
        }


@dataclass
class AuthCode:
    value: str
    application_id: str
    selling_partner_id: str
    redirect_uri: str
    expires_at: float
    used: bool = False


@dataclass
class Authorization:
    """One refresh token: a seller's grant to an app."""

    refresh_token: str
    application_id: str
    selling_partner_id: str
    issued_at: float
    revoked_at: float | None = None


@dataclass
class AccessToken:
    value: str
    authorization: Authorization
    expires_at: float


@dataclass
class AmazonStateTicket:
    """The ``amazon_state`` handed to an app's log-in URI."""

    value: str
    application_id: str
    selling_partner_id: str
    redirect_uri: str  # used when the app passes none back
    expires_at: float
    used: bool = False
    # The Seller Central session that consented: only that browser may come back with it.
    session_id: str | None = None


@dataclass
class ConsentRequest:
    """An /apps/authorize/consent request waiting for sign-in and consent."""

    application_id: str
    state: str
    redirect_uri: str
    beta: bool
    consented: bool = False


@dataclass
class Session:
    """A browser's Seller Central session, keyed by an HttpOnly cookie."""

    id: str
    selling_partner_id: str | None = None  # signed in
    mfa_seller: str | None = None  # password accepted, OTP pending
    return_to: str = "/apps/manage"
    consent: ConsentRequest | None = None


class GrantError(Exception):
    """A code or refresh token LWA must answer with ``invalid_grant``."""


class EmulatorState:
    def __init__(
        self,
        rate_limit: tuple[float, int] | None = (DEFAULT_RATE, DEFAULT_BURST),
        catalog_plan: tuple[float, int] = (CATALOG_RATE, CATALOG_BURST),
    ):
        self.lock = threading.RLock()
        self.rate_limit = rate_limit  # (requests per second, burst) or None: no throttling at all
        self.catalog_plan = catalog_plan  # searchCatalogItems' own usage plan
        self.apps: dict[str, App] = {}
        self.sellers: dict[str, Seller] = {}
        self._reset_runtime()

    def _reset_runtime(self) -> None:
        self.clock_offset = 0.0
        self.codes: dict[str, AuthCode] = {}
        self.authorizations: dict[str, Authorization] = {}  # by refresh token
        self.access_tokens: dict[str, AccessToken] = {}
        self.amazon_states: dict[str, AmazonStateTicket] = {}
        self.sessions: dict[str, Session] = {}
        self.faults: deque[Fault] = deque()
        self.buckets: dict[tuple[str, str], TokenBucket] = {}
        # Counters of requests as clients sent them, whatever the answer,
        # injected faults included.
        self.requests: Counter[str] = Counter()  # target -> requests
        self.lwa_calls_by_grant: Counter[str] = Counter()
        self.refresh_grants: Counter[str] = Counter()  # refresh token -> grants presented
        self.sp_api_calls: Counter[str] = Counter()  # selling partner id -> calls with its tokens
        self.catalog_calls: Counter[str] = Counter()  # selling partner id -> searchCatalogItems calls
        self.throttled: Counter[str] = Counter()  # operation -> requests refused with 429
        self.catalog_items: dict[str, dict] = {}  # ASIN -> item added through add_catalog_item
        self.catalog_seen: dict[str, tuple] = {}  # ASIN -> (seed, identifiers) of items served by identifier
        self.order_book = OrderBook()  # orders, their scenario switches and usage plans (order_book.py)

    def reset(self, keep_accounts: bool = True) -> None:
        """Forget tokens, codes, sessions, faults, counters and clock travel.

        Registered apps and sellers survive unless ``keep_accounts`` is False.
        """
        with self.lock:
            self._reset_runtime()
            if not keep_accounts:
                self.apps.clear()
                self.sellers.clear()

    # -- clock ---------------------------------------------------------------

    def now(self) -> float:
        return time.time() + self.clock_offset

    def advance_clock(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the emulator clock only moves forward")
        with self.lock:
            self.clock_offset += seconds

    # -- accounts ------------------------------------------------------------

    @property
    def lwa_calls(self) -> int:
        return self.requests["lwa"]

    def add_app(self, app: App) -> None:
        if not app.redirect_uris:
            raise ValueError("an app needs at least one redirect URI")
        if any("#" in uri for uri in app.redirect_uris):
            raise ValueError("redirect URIs cannot contain a fragment")
        with self.lock:
            clash = self.app_by_client(app.client_id)
            if clash and clash.application_id != app.application_id:
                raise ValueError(f"client id already used by {clash.application_id}")
            self.apps[app.application_id] = app

    def add_seller(self, seller: Seller) -> None:
        if seller.region not in REGIONS:
            raise ValueError(f"region must be one of {REGIONS}")
        if not seller.marketplaces:
            seller.marketplaces = {DEFAULT_MARKETPLACE_BY_REGION[seller.region]: True}
        for marketplace_id in seller.marketplaces:
            marketplace = MARKETPLACES.get(marketplace_id)
            if marketplace is None:
                raise ValueError(f"unknown marketplace id {marketplace_id}")
            # An authorization is regional, so a seller's marketplaces must be too.
            if marketplace.region != seller.region:
                raise ValueError(f"{marketplace_id} is not in region {seller.region}")
        with self.lock:
            other = self.seller_by_email(seller.email)
            if other and other.selling_partner_id != seller.selling_partner_id:
                raise ValueError(f"email already used by {other.selling_partner_id}")
            self.sellers[seller.selling_partner_id] = seller

    def app_by_client(self, client_id: str) -> App | None:
        with self.lock:
            return next((a for a in self.apps.values() if a.client_id == client_id), None)

    def seller_by_email(self, email: str) -> Seller | None:
        email = email.strip().lower()
        with self.lock:
            return next((s for s in self.sellers.values() if s.email.lower() == email), None)

    # -- browser sessions ----------------------------------------------------

    def session(self, session_id: str | None) -> Session | None:
        with self.lock:
            return self.sessions.get(session_id) if session_id else None

    def new_session(self) -> Session:
        with self.lock:
            session = Session(secrets.token_urlsafe(32))
            self.sessions[session.id] = session
            return session

    # -- authorization codes and amazon_state --------------------------------

    def issue_code(self, application_id: str, selling_partner_id: str, redirect_uri: str) -> str:
        with self.lock:
            code = AuthCode(
                _code(), application_id, selling_partner_id, redirect_uri, self.now() + CODE_TTL
            )
            self.codes[code.value] = code
            return code.value

    def redeem_code(self, value: str, application_id: str, redirect_uri: str) -> Authorization:
        """Turn a code into a new authorization, once.  Raises GrantError.

        A failed attempt does not use the code up; only a successful exchange does.
        """
        with self.lock:
            code = self.codes.get(value)
            if code is None or code.application_id != application_id:
                # A code of another client is, to this client, no code at all.
                raise GrantError("The authorization code is invalid.")
            if code.used:
                raise GrantError("The authorization code has already been used.")
            if self.now() >= code.expires_at:
                raise GrantError("The authorization code has expired.")
            if code.redirect_uri != redirect_uri:
                raise GrantError("The redirect_uri does not match the authorization request.")
            code.used = True
            # New grants never invalidate older refresh tokens of the same pair.
            authorization = Authorization(
                "Atzr|" + secrets.token_urlsafe(96),
                application_id,
                code.selling_partner_id,
                self.now(),
            )
            self.authorizations[authorization.refresh_token] = authorization
            return authorization

    def issue_amazon_state(
        self, application_id: str, selling_partner_id: str, redirect_uri: str, session_id: str | None = None
    ) -> str:
        with self.lock:
            ticket = AmazonStateTicket(
                secrets.token_urlsafe(24),
                application_id,
                selling_partner_id,
                redirect_uri,
                self.now() + AMAZON_STATE_TTL,
                session_id=session_id,
            )
            self.amazon_states[ticket.value] = ticket
            return ticket.value

    def redeem_amazon_state(
        self, value: str, application_id: str, session_id: str | None = None
    ) -> AmazonStateTicket | None:
        """The ticket if valid for this app and this browser's session, marking it used; None otherwise
        (another session's attempt uses nothing up)."""
        with self.lock:
            ticket = self.amazon_states.get(value)
            if (
                ticket is None
                or ticket.used
                or ticket.application_id != application_id
                or self.now() >= ticket.expires_at
                or (ticket.session_id is not None and ticket.session_id != session_id)
            ):
                return None
            ticket.used = True
            return ticket

    # -- tokens --------------------------------------------------------------

    def issue_access_token(self, authorization: Authorization) -> AccessToken:
        with self.lock:
            token = AccessToken(
                "Atza|" + secrets.token_urlsafe(96),
                authorization,
                self.now() + ACCESS_TOKEN_TTL,
            )
            self.access_tokens[token.value] = token
            return token

    def authorization_for_refresh(self, refresh_token: str, application_id: str) -> Authorization:
        """The live authorization behind a refresh token.  Raises GrantError."""
        with self.lock:
            authorization = self.authorizations.get(refresh_token)
            if (
                authorization is None
                or authorization.revoked_at is not None
                or authorization.application_id != application_id
            ):
                raise GrantError(
                    "The request has an invalid grant parameter : refresh_token. "
                    "User may have revoked or didn't grant the permission."
                )
            return authorization

    def token_owner(self, access_token: str) -> Authorization | None:
        """The authorization of an access token, valid or not (for counting)."""
        with self.lock:
            token = self.access_tokens.get(access_token)
            return token.authorization if token else None

    def valid_access_token(self, access_token: str) -> Authorization | None:
        with self.lock:
            token = self.access_tokens.get(access_token)
            if (
                token is None
                or token.authorization.revoked_at is not None
                or self.now() >= token.expires_at
            ):
                return None
            return token.authorization

    def revoke(self, selling_partner_id: str, application_id: str | None = None) -> int:
        """Revoke a seller's grants (to one app or all); returns how many."""
        with self.lock:
            revoked = 0
            for authorization in self.authorizations.values():
                if (
                    authorization.selling_partner_id == selling_partner_id
                    and application_id in (None, authorization.application_id)
                    and authorization.revoked_at is None
                ):
                    authorization.revoked_at = self.now()
                    revoked += 1
            # Codes not yet exchanged belong to the revoked grant too.
            for code in self.codes.values():
                if code.selling_partner_id == selling_partner_id and application_id in (
                    None,
                    code.application_id,
                ):
                    code.used = True
            return revoked

    def authorized_apps(self, selling_partner_id: str) -> list[tuple[App, float]]:
        """Apps with a live grant from this seller, with the latest grant time."""
        with self.lock:
            latest: dict[str, float] = {}
            for authorization in self.authorizations.values():
                if (
                    authorization.selling_partner_id == selling_partner_id
                    and authorization.revoked_at is None
                    and authorization.application_id in self.apps
                ):
                    app_id = authorization.application_id
                    latest[app_id] = max(latest.get(app_id, 0.0), authorization.issued_at)
            return [(self.apps[app_id], issued) for app_id, issued in sorted(latest.items())]

    # -- rate limits and faults ----------------------------------------------

    def take_rate_token(self, application_id: str, selling_partner_id: str, operation: str = "sellers") -> bool:
        """One request of ``operation`` against its usage plan, per application-seller pair."""
        with self.lock:
            if self.rate_limit is None:
                return True
            plan = self.catalog_plan if operation == "catalog" else self.rate_limit
            key = (
                (application_id, selling_partner_id)
                if operation == "sellers"
                else (application_id, selling_partner_id, operation)
            )
            bucket = self.buckets.get(key)
            if bucket is None:
                bucket = self.buckets[key] = TokenBucket.full(*plan, self.now())
            if bucket.take(self.now()):
                return True
            self.throttled[operation] += 1
            return False

    def add_fault(self, fault: Fault) -> None:
        with self.lock:
            self.faults.append(fault)

    def take_fault(self, target: str) -> Fault | None:
        """The oldest pending fault of ``target``, counting one use of it."""
        with self.lock:
            for fault in self.faults:
                if fault.target == target:
                    fault.count -= 1
                    if fault.count == 0:
                        self.faults.remove(fault)
                    return fault
            return None

    # -- inspection ----------------------------------------------------------

    def snapshot(self) -> dict:
        """State for GET /_emulator/state: counters and facts, no secrets."""
        with self.lock:
            return {
                "now": self.now(),
                "clock_offset": self.clock_offset,
                "rate_limit": (
                    {"rate": self.rate_limit[0], "burst": self.rate_limit[1]}
                    if self.rate_limit
                    else None
                ),
                "catalog_plan": {"rate": self.catalog_plan[0], "burst": self.catalog_plan[1]},
                "catalog_items": len(self.catalog_items),
                "apps": [app.public() for app in self.apps.values()],
                "sellers": [seller.public() for seller in self.sellers.values()],
                "authorizations": [
                    {
                        "application_id": a.application_id,
                        "selling_partner_id": a.selling_partner_id,
                        "issued_at": a.issued_at,
                        "revoked_at": a.revoked_at,
                        # Enough to tell tokens apart, useless to a thief.
                        "refresh_token_suffix": a.refresh_token[-4:],
                        "refresh_grants": self.refresh_grants[a.refresh_token],
                    }
                    for a in self.authorizations.values()
                ],
                "codes_issued": len(self.codes),
                "faults": [fault.as_dict() for fault in self.faults],
                "counters": {
                    "requests": dict(self.requests),
                    "lwa_calls": self.lwa_calls,
                    "lwa_calls_by_grant": dict(self.lwa_calls_by_grant),
                    "sp_api_calls": dict(self.sp_api_calls),
                    "catalog_calls": dict(self.catalog_calls),
                    "throttled": dict(self.throttled),
                },
            }
