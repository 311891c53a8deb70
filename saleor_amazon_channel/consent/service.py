"""The consent workflow, one call per step; the views only read the request and render what comes back.

1. ``amazonStoreConnect`` (``MANAGE_CHANNELS``) creates a pending connection for the requestor and
   returns :func:`consent_url`: our ``oauth/start?ticket=…`` (valid 2 minutes, once).
2. :func:`start` binds the pending connection to the browser that opens it (one HttpOnly cookie per
   consent; the row keeps its SHA-256) and sends it on with our ``state``: to Seller Central's consent
   page, or, for a consent the merchant confirmed in the Dashboard, back to Amazon's ``amazon_callback_uri``.
3. Amazon opens our Log-in URI. :func:`review_login` changes nothing: a browser holding the cookie of a
   consent it started is shown the plugin's confirmation page (the seller Amazon named, the store);
   any other visitor goes to the Dashboard's *Authorize from Amazon* screen with a sealed ticket.
   :func:`confirm_login` (the page's same-origin POST, with its CSRF token) is the only thing that
   records the seller a consent expects and hands its ``state`` back to Amazon.
4. Amazon opens our Redirect URI. :func:`finish` is the one call that finishes a consent: without the
   cookie of the browser the state is bound to nothing changes; otherwise it uses the state up, checks
   the requestor may still connect, exchanges the code, reads the seller's marketplaces and records the
   outcome (:mod:`.connections`), failures included, in one place.

Codes, states, tickets and tokens never reach a log line, a page, an error message or the audit trail.
"""

import hmac
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from saleor_amazon_channel.amazon import endpoints, lwa, sellers
from saleor_amazon_channel.amazon import errors as amazon_errors
from saleor_amazon_channel.amazon.http import AmazonHttp
from saleor_amazon_channel.consent import connections, state
from saleor_amazon_channel.consent.connections import ConnectionRejected
from saleor_amazon_channel.consent.models import PendingConnection
from saleor_amazon_channel.consent.state import BadSignedValue
from saleor_amazon_channel.core import ids, urls
from saleor_amazon_channel.core.config import AmazonChannelConfig
from saleor_amazon_channel.core.host import Requestor, get_host
from saleor_amazon_channel.outcomes import Outcome
from saleor_amazon_channel.stores.models import AmazonStore

logger = logging.getLogger(__name__)

# The parameter that carries a Log-in URI ticket to the dashboard extension.
AMAZON_AUTHORIZATION_PARAM = "amazonAuthorization"
# Amazon's documented consent errors, should they ever come back to us as ``error``.
CONSENT_ERRORS = {"MD1000": Outcome.AMAZON_MD1000, "MD5101": Outcome.AMAZON_MD5101, "MD5110": Outcome.AMAZON_MD5110}
# Checked before the state is used up.
CHECKED_FIRST = ("spapi_oauth_code", "error")
REQUESTOR_GONE = ("The Saleor user or app who started this connection is no longer active or no longer has the "
                  "MANAGE_CHANNELS permission: nothing was changed.")


# -- what a step answers -----------------------------------------------------------


@dataclass(frozen=True)
class Go:
    """Send the browser to ``url``; ``bind`` = (consent pk, cookie secret) to set on the way."""

    url: str
    bind: tuple[int, str] | None = None


@dataclass(frozen=True)
class Show:
    """Render page ``page`` (a key of the views' pages) with ``context``."""

    page: str
    status: int = 400
    context: dict[str, Any] = field(default_factory=dict)
    code: Outcome | None = None


@dataclass(frozen=True)
class Confirm:
    """The plugin's confirmation page for ``pending`` and Amazon's request."""

    pending: PendingConnection
    seller: str
    request: str  # the sealed confirmation request the form posts back
    csrf: str
    dashboard: str | None  # where to choose another store instead, when the Dashboard is known
    problem: Outcome | None = None  # why this seller cannot be connected to this store


@dataclass(frozen=True)
class Finished:
    """How a return from Amazon ended: ``outcome`` is connected, cancelled or error."""

    go: Go
    store_id: int | None
    label: str


# -- URLs ----------------------------------------------------------------------


def cookie_path() -> str:
    """The public path of our OAuth routes (start, Log-in URI, callback), derived from the
    real Redirect URI, so the cookie reaches them behind a PUBLIC_URL path prefix too."""
    path = urlsplit(urls.redirect_uri()).path
    return path[: path.rfind("/") + 1] or "/"


def consent_url(pending: PendingConnection, amazon: Mapping[str, str] | None = None) -> str:
    """What ``amazonStoreConnect`` returns: our start route, carrying a signed ticket."""
    ticket = state.start_ticket(pending.pk, pending.nonce, pending.user_id, pending.app_id, amazon)
    return urls.absolute_url(urls.OAUTH_START, {"ticket": ticket})


def make_state(pending: PendingConnection) -> str:
    return state.make_state(pending.pk, pending.nonce, pending.created_at)


def amazon_consent_url(pending: PendingConnection, consent_state: str, config: AmazonChannelConfig) -> str:
    """Seller Central's consent page for the store's marketplace."""
    params = {"application_id": config.application_id, "state": consent_state, "redirect_uri": urls.redirect_uri()}
    if config.draft_app:
        params["version"] = "beta"
    return endpoints.seller_central_url(pending.store.marketplace) + "/apps/authorize/consent?" + urlencode(params)


def amazon_return_url(callback: str, amazon_state: str, consent_state: str, config: AmazonChannelConfig) -> str:
    """Back to Amazon's ``amazon_callback_uri``, as Amazon documents for the Log-in URI."""
    params = {"amazon_state": amazon_state, "state": consent_state, "redirect_uri": urls.redirect_uri()}
    if config.draft_app:
        params["version"] = "beta"
    scheme, netloc, path, query, _ = urlsplit(callback)
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k not in params]
    return urlunsplit((scheme, netloc, path, urlencode(pairs + list(params.items())), ""))


def result_url(outcome: str, store: AmazonStore | None = None, reason: Outcome | None = None) -> str:
    """The dashboard extension's page that shows how the consent ended."""
    params = {"connectResult": outcome}
    if reason is not None:
        params["reason"] = reason.value
    params["store"] = ids.to_global_id("AmazonStore", store.pk) if store is not None and store.pk else ""
    return urls.absolute_url(urls.APP, params)


def dashboard_authorization_url(ticket: str) -> str | None:
    """``<Dashboard>/extensions/app/<app id>?amazonAuthorization=<ticket>``: the Dashboard passes its
    query string on to the extension's iframe (``resolveAppIframeUrl``). None when unknown."""
    dashboard = endpoints.dashboard_url()
    if not dashboard:
        return None
    try:
        app_id = get_host().dashboard_app_id()
    except Exception:
        logger.exception("amazon_channel.oauth.app_lookup_failed")
        app_id = None
    if not app_id:
        return None
    return (f"{dashboard.rstrip('/')}/extensions/app/{quote(app_id, safe='')}?"
            + urlencode({AMAZON_AUTHORIZATION_PARAM: ticket}))


def read_amazon_authorization(ticket: object) -> dict[str, str]:
    """The Amazon parameters of a Log-in URI ticket: ``{"cb", "as", "sp"}``; raises :class:`BadSignedValue`.

    Reading it changes nothing. The allow-list is checked again: it may have changed since."""
    amazon = state.read_login_ticket(ticket)
    if not endpoints.is_allowed_amazon_callback(amazon["cb"]):
        raise BadSignedValue(Outcome.STATE_INVALID)
    return amazon


def malformed(query: Mapping[str, str]) -> Show | None:
    """Parameters Amazon never sends; checked before any state is looked at."""
    partner = (query.get("selling_partner_id") or "").strip()
    too_long = any(len(query.get(name) or "") > state.MAX_PARAMETER_LENGTH for name in CHECKED_FIRST)
    if too_long or (partner and not state.is_seller_id(partner)):
        logger.warning("amazon_channel.oauth.malformed_parameters")
        return Show("malformed")
    return None


# -- step 2: the start route ---------------------------------------------------


def start(ticket: object, config: AmazonChannelConfig) -> Go | Show:
    if not config.is_complete:
        return Show("not_configured", code=Outcome.PLUGIN_NOT_CONFIGURED)
    try:
        data = state.read_start_ticket(ticket)
        pk, nonce = state.pk_and_nonce(data)
    except BadSignedValue as bad:
        logger.warning("amazon_channel.oauth.bad_ticket", extra={"reason": bad.reason.value})
        return Show("link_expired" if bad.reason is Outcome.STATE_EXPIRED else "link_invalid")
    pending = connections.usable_pending(pk, nonce)
    if pending is None or pending.browser_hash:
        return Show("link_used")
    # The ticket names who asked for it; that requestor must still be the row's, and still allowed.
    if (data.get("u"), data.get("a")) != (pending.user_id, pending.app_id) or not connections.requestor_may_connect(
        pending
    ):
        logger.warning("amazon_channel.oauth.bad_ticket", extra={"reason": "requestor"})
        return Show("link_not_yours")
    amazon = None
    if "cb" in data:
        callback, amazon_state = data.get("cb"), data.get("as")
        if not (isinstance(callback, str) and isinstance(amazon_state, str)
                and endpoints.is_allowed_amazon_callback(callback)):
            return Show("link_invalid")
        amazon = (callback, amazon_state)
    secret = secrets.token_urlsafe(32)
    if not connections.bind_browser(pending, state.browser_hash(secret)):
        return Show("link_used")
    consent_state = make_state(pending)
    if amazon:
        target = amazon_return_url(amazon[0], amazon[1], consent_state, config)
    else:
        target = amazon_consent_url(pending, consent_state, config)
    logger.info("amazon_channel.oauth.consent_started", extra={"store_id": pending.store_id})
    return Go(target, bind=(pending.pk, secret))


# -- step 3: the Log-in URI ----------------------------------------------------


def review_login(
    query: Mapping[str, str], cookies: Mapping[str, str], config: AmazonChannelConfig
) -> Go | Show | Confirm:
    """Amazon's Log-in URI request, read: changes nothing, whoever made the browser load it."""
    if (refused := malformed(query)) is not None:
        return refused
    callback = query.get("amazon_callback_uri") or ""
    if not callback or len(callback) > state.MAX_PARAMETER_LENGTH or not endpoints.is_allowed_amazon_callback(
        callback
    ):
        logger.warning("amazon_channel.oauth.login_rejected", extra={"reason": "callback_not_allowed"})
        return Show("not_from_amazon")
    try:
        amazon = state.amazon_request(callback, query.get("amazon_state") or "",
                                      (query.get("selling_partner_id") or "").strip())
    except BadSignedValue:
        return Show("login_incomplete")
    if not config.is_complete:
        return Show("not_configured", code=Outcome.PLUGIN_NOT_CONFIGURED)

    ticket = state.login_ticket(amazon)
    dashboard = dashboard_authorization_url(ticket)
    pending = _pending_of_browser(cookies)
    if pending is not None:
        # A consent this browser started: the merchant confirms the seller and the store on our page.
        # A seller that cannot be connected is said on the same page: its one button takes the merchant
        # back to the Dashboard with the reason (recorded then, on their confirmation, not on this visit).
        problem = _seller_problem(pending, amazon["sp"])
        request = state.confirmation_request(pending.pk, pending.nonce, amazon)
        secret = state.cookie_secret(cookies, pending.pk)
        assert secret is not None  # _pending_of_browser checked it
        logger.info("amazon_channel.oauth.login_to_confirmation", extra={"store_id": pending.store_id})
        return Confirm(pending, amazon["sp"], request, state.csrf_token(secret, request), dashboard, problem)

    # Amazon started it (Re-Authorize, the Appstore) or another browser: no state, no row.
    logger.info("amazon_channel.oauth.login_to_dashboard", extra={"dashboard_known": dashboard is not None})
    if dashboard is None:
        return Show("finish_in_dashboard", status=200)
    return Go(dashboard)


def confirm_login(
    form: Mapping[str, str], cookies: Mapping[str, str], cross_site: bool, config: AmazonChannelConfig
) -> Go | Show:
    """The merchant's confirmation (a same-origin POST with its CSRF token): the only step that records
    the seller a consent expects and hands its state back to Amazon."""
    if cross_site:
        return Show("forbidden", status=403)
    try:
        pk, nonce, amazon = state.read_confirmation_request(form.get("request"))
    except BadSignedValue as bad:
        return Show("link_expired" if bad.reason is Outcome.STATE_EXPIRED else "forbidden",
                    status=400 if bad.reason is Outcome.STATE_EXPIRED else 403)
    secret = state.cookie_secret(cookies, pk)
    pending = connections.usable_pending(pk, nonce)
    if pending is None:
        return Show("link_used")
    if not state.is_bound(cookies, pk, pending.browser_hash) or not state.csrf_matches(
        secret, form.get("request") or "", form.get("csrf")
    ):
        logger.warning("amazon_channel.oauth.confirmation_refused")
        return Show("forbidden", status=403)
    if not config.is_complete:
        return Show("not_configured", code=Outcome.PLUGIN_NOT_CONFIGURED)
    if not endpoints.is_allowed_amazon_callback(amazon["cb"]):
        return Show("not_from_amazon")
    if form.get("action") == "cancel":
        return _end_early(pending, Outcome.CANCELLED, "cancelled")
    if not connections.requestor_may_connect(pending):
        return _end_early(pending, Outcome.STATE_INVALID, "error", REQUESTOR_GONE)
    if pending.expected_seller and not hmac.compare_digest(pending.expected_seller, amazon["sp"]):
        # Confirmed in the Dashboard for another seller: this request is not about that consent.
        return Show("seller_refused", context={"store": pending.store, "seller": amazon["sp"],
                                               "message": Outcome.SELLER_MISMATCH.message},
                    code=Outcome.SELLER_MISMATCH)
    reason = connections.precheck(pending.store, amazon["sp"])
    if reason is not None:
        return _end_early(pending, reason, "error")
    connections.expect_seller(pending, amazon["sp"])
    logger.info("amazon_channel.oauth.login_confirmed", extra={"store_id": pending.store_id})
    return Go(amazon_return_url(amazon["cb"], amazon["as"], make_state(pending), config))


def _pending_of_browser(cookies: Mapping[str, str]) -> PendingConnection | None:
    """The newest usable consent this browser started: every consent it holds a cookie for, read in one
    query and each checked against its own cookie, so no number of junk cookies hides the real one."""
    for pending in connections.usable_pendings(state.consent_cookie_pks(cookies)):
        if state.is_bound(cookies, pending.pk, pending.browser_hash):
            return pending
    return None


def _seller_problem(pending: PendingConnection, seller: str) -> Outcome | None:
    if pending.expected_seller and not hmac.compare_digest(pending.expected_seller, seller):
        return Outcome.SELLER_MISMATCH
    return connections.precheck(pending.store, seller)


def _end_early(pending: PendingConnection, reason: Outcome, outcome: str, message: str | None = None) -> Go:
    """The merchant confirmed (or cancelled) on our page and it cannot go on: use the consent up, say why."""
    try:
        pending = connections.consume_pending(pending.pk, pending.nonce, loaded=pending)
    except ConnectionRejected as rejected:
        return Go(result_url("error", pending.store, rejected.reason))
    connections.record_failure(pending.store, reason, connections.requestor_of(pending), message)
    return Go(result_url(outcome, pending.store, reason))


# -- step 4: the Redirect URI --------------------------------------------------


@dataclass
class _Ending:
    outcome: str
    reason: Outcome | None = None
    store: Any = None
    # Set when the failure is recorded on the store's trail (the browser that started the consent).
    requestor: Requestor | None = None
    message: str | None = None
    parameters: dict[str, str] = field(default_factory=dict)


def finish(
    query: Mapping[str, str], cookies: Mapping[str, str], config: AmazonChannelConfig, http: AmazonHttp | None
) -> Finished:
    """Finish the consent a return from Amazon names: the one call the callback view makes."""
    ending = _finish(query, cookies, config, http)
    if ending.requestor is not None and ending.reason is not None:
        connections.record_failure(ending.store, ending.reason, ending.requestor, ending.message,
                                   **ending.parameters)
    elif ending.reason is not None and ending.store is None:
        logger.warning("amazon_channel.oauth.state_rejected", extra={"reason": ending.reason.value})
    store_id = ending.store.pk if ending.store is not None else None
    label = "connected" if ending.reason is None else ending.reason.value
    return Finished(Go(result_url(ending.outcome, ending.store, ending.reason)), store_id, label)


def _finish(
    query: Mapping[str, str], cookies: Mapping[str, str], config: AmazonChannelConfig, http: AmazonHttp | None
) -> _Ending:
    # A return without our state names no consent: it changes nothing (a cross-site
    # ``?error=access_denied`` must not cancel the browser's consent).
    try:
        pk, nonce = state.read_state(query.get("state"))
    except BadSignedValue as bad:
        # Only the browser that started the consent may leave a trace of it in the audit trail.
        pending = connections.pending_by_pk(bad.pending_pk) if bad.pending_pk else None
        if pending is not None and state.is_bound(cookies, pending.pk, pending.browser_hash):
            return _Ending("error", bad.reason, pending.store, connections.requestor_of(pending))
        return _Ending("error", bad.reason)

    pending = connections.pending_by_pk(pk, nonce)
    if pending is not None and not state.is_bound(cookies, pending.pk, pending.browser_hash):
        # Another browser (a forwarded or stolen callback URL): change nothing, keep the state usable.
        return _Ending("error", Outcome.STATE_BROWSER_MISMATCH)
    try:
        pending = connections.consume_pending(pk, nonce, loaded=pending)
    except ConnectionRejected as rejected:
        loaded = rejected.pending
        if loaded is None:
            return _Ending("error", rejected.reason)
        return _Ending("error", rejected.reason, loaded.store, connections.requestor_of(loaded))

    store, requestor = pending.store, connections.requestor_of(pending)

    def fail(reason: Outcome, message: str | None = None, outcome: str = "error", **parameters: str) -> _Ending:
        return _Ending(outcome, reason, store, requestor, message, parameters)

    error = query.get("error")
    if error:
        if error == "access_denied":
            return fail(Outcome.CANCELLED, outcome="cancelled")
        return fail(CONSENT_ERRORS.get(error.upper(), Outcome.AMAZON_ERROR),
                    amazon_code=amazon_errors.safe_code(error, "unknown"))
    if not config.is_complete:
        return fail(Outcome.PLUGIN_NOT_CONFIGURED)
    if not connections.requestor_may_connect(pending):
        # Deactivated, or MANAGE_CHANNELS taken away, since the consent started: the code never reaches LWA.
        return fail(Outcome.STATE_INVALID, REQUESTOR_GONE)
    code = query.get("spapi_oauth_code") or ""
    selling_partner_id = (query.get("selling_partner_id") or "").strip()
    if not code or len(code) > state.MAX_PARAMETER_LENGTH or not state.is_seller_id(selling_partner_id):
        return fail(Outcome.AMAZON_ERROR, "The return from Amazon has no authorization code or seller ID.")
    if pending.expected_seller and not hmac.compare_digest(pending.expected_seller, selling_partner_id):
        # The merchant confirmed another seller than this return names.
        return fail(Outcome.SELLER_MISMATCH)
    reason = connections.precheck(store, selling_partner_id)
    if reason is not None:
        return fail(reason)

    try:
        tokens = lwa.exchange_code(config, code, urls.redirect_uri(), http=http)
    except amazon_errors.AmazonError as amazon_error:
        return fail(connections.reason_for(amazon_error, sp_api=False), amazon_code=amazon_error.code)
    try:
        participations = sellers.get_marketplace_participations(
            store.marketplace.region, tokens.access_token, http=http
        )
    except amazon_errors.AmazonError as amazon_error:
        return fail(connections.reason_for(amazon_error, sp_api=True), amazon_code=amazon_error.code)
    try:
        result = connections.complete_connection(
            store.pk, selling_partner_id, tokens.refresh_token, participations, requestor,
            access_token=tokens.access_token, expires_in=tokens.expires_in,
        )
    except ConnectionRejected as rejected:
        return fail(rejected.reason)
    if not result.connected:
        # complete_connection recorded it already (with its own message).
        return _Ending("error", result.reason, store)
    return _Ending("connected", None, store)
