"""The consent flow with Amazon Seller Central, one small step per view.

Every consent belongs to the Saleor user (or app) who started it and to the browser
that opened its start link; nothing here writes a row for an anonymous visitor.

1. ``amazonStoreConnect`` (``MANAGE_CHANNELS``) creates a pending connection for the
   requestor and returns :func:`consent_url`: our ``oauth/start?ticket=…``. The ticket
   names the pending row and its requestor; it is valid 2 minutes, once (signed and encrypted).
2. :func:`start_view` binds the pending connection to this browser (a random value in
   an HttpOnly cookie; the row keeps its SHA-256, set once, which uses the ticket up)
   and sends the browser on with our signed ``state``: to Seller Central's consent
   page, or, for a consent Amazon started, back to Amazon's ``amazon_callback_uri``.
3. Amazon opens our Log-in URI, :func:`login_view`, with ``amazon_callback_uri``,
   ``amazon_state`` and ``selling_partner_id``. A browser holding the cookie of a
   consent it started goes straight back to Amazon with that consent's ``state``. Any
   other visitor (Re-Authorize in Manage Your Apps, the Appstore) gets no state: a
   signed, short-lived ticket carrying Amazon's parameters takes the browser to the
   dashboard extension, where a signed-in merchant confirms which store it is for;
   that confirmation is step 1 again (``amazonStoreConnect(amazonAuthorization:)``).
4. Amazon opens our Redirect URI, :func:`callback_view`, with ``state``,
   ``selling_partner_id`` and ``spapi_oauth_code`` (or ``error``). Without the cookie
   of the browser the state was bound to, nothing happens (the state stays usable).
   Otherwise we use up the state, exchange the code, read the seller's marketplaces,
   record the outcome (:mod:`.connections`) and send the browser to the dashboard page.

``state`` is ``signing.dumps({"p": pending pk, "n": nonce})`` with its own salt, valid
10 minutes. Codes, states, tickets and tokens never reach a log line, a page, an error
message or the audit trail.
"""

import hashlib
import hmac
import logging
import re
import secrets
import time
from html import escape
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from django.core import signing
from django.http import HttpResponse, HttpResponseRedirect
from django.utils import timezone

from saleor_amazon_channel.amazon import endpoints, lwa, sellers
from saleor_amazon_channel.amazon import errors as amazon_errors
from saleor_amazon_channel.amazon.http import AmazonHttp
from saleor_amazon_channel.consent import connections
from saleor_amazon_channel.consent.connections import ConnectionRejected
from saleor_amazon_channel.consent.models import PendingConnection
from saleor_amazon_channel.core import crypto, ids, urls
from saleor_amazon_channel.core.host import get_host
from saleor_amazon_channel.outcomes import Outcome

logger = logging.getLogger(__name__)

STATE_SALT = "saleor_amazon_channel.consent.views.state"
TICKET_SALT = "saleor_amazon_channel.consent.views.ticket"
LOGIN_TICKET_SALT = "saleor_amazon_channel.consent.views.amazon_login"
MAX_AGE = int(connections.PENDING_LIFETIME.total_seconds())
# The start link is opened right after the merchant clicked: a short life limits a leaked link.
TICKET_MAX_AGE = 120
# Amazon's amazon_state is short-lived too; the merchant signs in to the Dashboard within this.
LOGIN_TICKET_MAX_AGE = 15 * 60
# One cookie per consent (``…_<pending pk>``), so two consents in two tabs do not clash.
BROWSER_COOKIE_PREFIX = "amazon_channel_consent_"
MAX_PARAMETER_LENGTH = 2048
# Amazon's merchant tokens are short upper-case alphanumerics ("A3EXAMPLE12345"); anything else is not Amazon.
SELLER_ID_RE = re.compile(r"^[A-Z0-9]{1,64}$")
# Checked before the state is used up (the state itself, unsignable when malformed, uses nothing up).
CHECKED_FIRST = ("spapi_oauth_code", "error")
# The parameter that carries a Log-in URI ticket to the dashboard extension.
AMAZON_AUTHORIZATION_PARAM = "amazonAuthorization"

# Amazon's documented consent errors, should they ever come back to us as ``error``.
CONSENT_ERRORS = {"MD1000": Outcome.AMAZON_MD1000, "MD5101": Outcome.AMAZON_MD5101, "MD5110": Outcome.AMAZON_MD5110}


# -- URLs ----------------------------------------------------------------------


def cookie_path() -> str:
    """The public path of our OAuth routes (start, Log-in URI, callback), derived from the
    real Redirect URI, so the cookie reaches them behind a PUBLIC_URL path prefix too."""
    path = urlsplit(urls.redirect_uri()).path
    return path[: path.rfind("/") + 1] or "/"


def consent_url(pending: PendingConnection, amazon: dict | None = None) -> str:
    """What ``amazonStoreConnect`` returns: our start route, carrying a signed ticket.

    ``amazon`` (``{"cb", "as"}``) is set for a consent Amazon started: the start route then
    returns the browser to Amazon's ``amazon_callback_uri`` instead of the consent page.
    """
    data = {"p": pending.pk, "n": pending.nonce, "u": pending.user_id, "a": pending.app_id}
    if amazon:
        data["cb"], data["as"] = amazon["cb"], amazon["as"]
    ticket = _seal(data, TICKET_SALT)
    return urls.absolute_url(urls.OAUTH_START, {"ticket": ticket})


class _PendingSigner(signing.TimestampSigner):
    """Dates the state at its pending row's creation: one consent has one state (the start route and
    the Log-in URI hand Amazon the very same value), and its 10 minutes run from the start."""

    def __init__(self, created_at, **kwargs):
        super().__init__(**kwargs)
        self._created = int(created_at.timestamp())

    def timestamp(self):
        return signing.b62_encode(self._created)


def make_state(pending: PendingConnection) -> str:
    """What ``signing.loads(state, salt=STATE_SALT, max_age=…)`` reads back."""
    return _PendingSigner(pending.created_at, salt=STATE_SALT).sign_object({"p": pending.pk, "n": pending.nonce})


def amazon_consent_url(pending: PendingConnection, state: str, config) -> str:
    """Seller Central's consent page for the store's marketplace."""
    params = {"application_id": config.application_id, "state": state, "redirect_uri": urls.redirect_uri()}
    if config.draft_app:
        params["version"] = "beta"
    return endpoints.seller_central_url(pending.store.marketplace) + "/apps/authorize/consent?" + urlencode(params)


def amazon_return_url(callback: str, amazon_state: str, state: str, config) -> str:
    """Back to Amazon's ``amazon_callback_uri``, as Amazon documents for the Log-in URI."""
    params = {"amazon_state": amazon_state, "state": state, "redirect_uri": urls.redirect_uri()}
    if config.draft_app:
        params["version"] = "beta"
    return _with_query(callback, params)


def result_url(outcome: str, store=None, reason: Outcome | None = None) -> str:
    """The dashboard extension's page that shows how the consent ended."""
    params = {"connectResult": outcome}
    if reason is not None:
        params["reason"] = reason.value
    params["store"] = ids.to_global_id("AmazonStore", store.pk) if store is not None and store.pk else ""
    return urls.absolute_url(urls.APP, params)


def _with_query(url: str, params: dict) -> str:
    scheme, netloc, path, query, fragment = urlsplit(url)
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k not in params]
    return urlunsplit((scheme, netloc, path, urlencode(pairs + list(params.items())), ""))


# -- signed values ---------------------------------------------------------------


class BadSignedValue(Exception):
    def __init__(self, reason: Outcome, pending_pk: int | None = None):
        self.reason = reason
        self.pending_pk = pending_pk
        super().__init__(reason.value)


def _loads(value, salt: str, max_age: int) -> dict:
    """The signed dict; raises :class:`BadSignedValue` (``pending_pk`` set when an expired one names it)."""
    if not isinstance(value, str) or not value or len(value) > MAX_PARAMETER_LENGTH * 3:
        raise BadSignedValue(Outcome.STATE_INVALID)
    try:
        data = signing.loads(value, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        # Authentic but old: still names its pending row.
        raise BadSignedValue(Outcome.STATE_EXPIRED, _pending_pk(_loads_quietly(value, salt))) from None
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        raise BadSignedValue(Outcome.STATE_INVALID) from None
    if not isinstance(data, dict):
        raise BadSignedValue(Outcome.STATE_INVALID)
    return data


def _unsign(value, salt: str, max_age: int = MAX_AGE) -> tuple[int, str]:
    """``(pending pk, nonce)`` from a signed value; raises :class:`BadSignedValue`."""
    return _unsign_data(_loads(value, salt, max_age))


def _loads_quietly(value, salt):
    try:
        return signing.loads(value, salt=salt)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        return None


def _pending_pk(data) -> int | None:
    pk = data.get("p") if isinstance(data, dict) else None
    return pk if isinstance(pk, int) and not isinstance(pk, bool) and 0 < pk < 2**31 else None


def _seal(data: dict, salt: str) -> str:
    """A ticket: signed (its age is checked) and encrypted, so Amazon's ``amazon_state`` inside it is
    not readable from a URL (the Dashboard's access log, the browser's history)."""
    return crypto.encrypt(signing.dumps(data, salt=salt, compress=True))


def _unseal(value, salt: str, max_age: int) -> dict:
    if not isinstance(value, str) or not value or len(value) > MAX_PARAMETER_LENGTH * 4:
        raise BadSignedValue(Outcome.STATE_INVALID)
    try:
        signed = crypto.decrypt(value)
    except (crypto.DecryptionError, ValueError, TypeError, UnicodeError):
        raise BadSignedValue(Outcome.STATE_INVALID) from None
    return _loads(signed, salt, max_age)


def read_amazon_authorization(ticket) -> dict:
    """The Amazon parameters of a Log-in URI ticket: ``{"cb", "as", "sp"}``.

    Raises :class:`BadSignedValue` (``STATE_INVALID`` / ``STATE_EXPIRED``). Reading it
    changes nothing.
    """
    data = _unseal(ticket, LOGIN_TICKET_SALT, LOGIN_TICKET_MAX_AGE)
    callback, amazon_state, seller = data.get("cb"), data.get("as"), data.get("sp")
    if not (isinstance(callback, str) and isinstance(amazon_state, str) and isinstance(seller, str)):
        raise BadSignedValue(Outcome.STATE_INVALID)
    # Checked again: the allow-list may have changed since the ticket was signed.
    if not endpoints.is_allowed_amazon_callback(callback) or not SELLER_ID_RE.match(seller):
        raise BadSignedValue(Outcome.STATE_INVALID)
    return {"cb": callback, "as": amazon_state, "sp": seller}


# -- the browser binding ---------------------------------------------------------


def browser_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _cookie_name(pending_pk: int) -> str:
    return f"{BROWSER_COOKIE_PREFIX}{pending_pk}"


def is_bound_to_this_browser(request, pending: PendingConnection) -> bool:
    """Whether this browser holds the cookie the start route gave it for ``pending`` (constant time)."""
    secret = request.COOKIES.get(_cookie_name(pending.pk))
    if not secret or not pending.browser_hash or len(secret) > 128:
        return False
    return hmac.compare_digest(browser_hash(secret), pending.browser_hash)


def _bind_cookie(response, request, pending: PendingConnection, secret: str):
    response.set_cookie(
        _cookie_name(pending.pk),
        secret,
        max_age=MAX_AGE,
        path=cookie_path(),
        # Behind a TLS-terminating proxy request.is_secure() may be False; the public URL knows better.
        secure=request.is_secure() or urls.redirect_uri().startswith("https://"),
        httponly=True,
        samesite="Lax",
    )
    return response


def _consent_cookie_pks(request) -> list[int]:
    pks = []
    for name in request.COOKIES:
        if name.startswith(BROWSER_COOKIE_PREFIX):
            suffix = name[len(BROWSER_COOKIE_PREFIX):]
            if suffix.isdigit() and len(suffix) < 10:
                pks.append(int(suffix))
    return sorted(pks, reverse=True)[:10]


# -- responses -----------------------------------------------------------------


def _no_referrer(response):
    # Amazon's advice for pages whose URL carries a state or code; never cache them either.
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


def _redirect(url: str):
    return _no_referrer(HttpResponseRedirect(url))


AGAIN = ("Go back to the Saleor Dashboard, open the Amazon store and click <strong>Connect store</strong> "
         "to start again.")


def _page(title: str, message: str, status: int = 400, next_step: str = AGAIN, code: Outcome | None = None):
    """A small human page for the steps that have no dashboard page to return to."""
    html = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">'
        f"<title>{escape(title)}</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}"
        "h1{font-size:1.4rem}code{font-size:.85rem}</style></head><body>"
        f"<h1>{escape(title)}</h1><p>{escape(message)}</p>"
        f"<p>{next_step}</p>"
        + (f'<p><code data-code="{escape(code.value)}">{escape(code.value)}</code></p>' if code else "")
        + "</body></html>"
    )
    response = HttpResponse(html, status=status, content_type="text/html; charset=utf-8")
    return _no_referrer(response)


def _method_not_allowed():
    """Browsers navigate with GET; a HEAD or POST (a link scanner, a prefetch) must not act, nor use up a state."""
    response = _no_referrer(HttpResponse("Method not allowed.", status=405, content_type="text/plain"))
    response["Allow"] = "GET"
    return response


def _malformed_parameters(query):
    """A 400 page for parameters Amazon never sends; checked before any state is looked at,
    so a request refused here never uses up a valid state."""
    partner = (query.get("selling_partner_id") or "").strip()
    too_long = any(len(query.get(name) or "") > MAX_PARAMETER_LENGTH for name in CHECKED_FIRST)
    if too_long or (partner and not SELLER_ID_RE.match(partner)):
        logger.warning("amazon_channel.oauth.malformed_parameters")
        return _page("This link is not valid", "The request carries parameters Amazon does not send.")
    return None


def _not_configured():
    return _page("Amazon is not configured", Outcome.PLUGIN_NOT_CONFIGURED.message, code=Outcome.PLUGIN_NOT_CONFIGURED)


# -- step 2: the start route ---------------------------------------------------


def start_view(request, config):
    if request.method != "GET":
        return _method_not_allowed()
    if not config.is_complete:
        return _not_configured()
    try:
        data = _unseal(request.GET.get("ticket"), TICKET_SALT, TICKET_MAX_AGE)
        pk, nonce = _unsign_data(data)
    except BadSignedValue as bad:
        logger.warning("amazon_channel.oauth.bad_ticket", extra={"reason": bad.reason.value})
        if bad.reason is Outcome.STATE_EXPIRED:
            return _page("This link has expired", "Connection links are valid for 2 minutes.")
        return _page("This link is not valid", "The connection link is incomplete or was altered.")
    pending = connections.usable_pending(pk, nonce)
    if pending is None or pending.browser_hash:
        return _page("This link can no longer be used", "This connection was already started in a browser, "
                     "completed, or it expired.")
    # The ticket names who asked for it; that requestor must still be the row's, and still active.
    if (data.get("u"), data.get("a")) != (pending.user_id, pending.app_id) or not connections.requestor_is_active(
        pending
    ):
        logger.warning("amazon_channel.oauth.bad_ticket", extra={"reason": "requestor"})
        return _page("This link is not valid", "The connection link does not belong to an active Saleor user.")
    amazon = None
    if "cb" in data:
        amazon = {"cb": data.get("cb"), "as": data.get("as")}
        if not (isinstance(amazon["cb"], str) and isinstance(amazon["as"], str)
                and endpoints.is_allowed_amazon_callback(amazon["cb"])):
            return _page("This link is not valid", "The connection link is incomplete or was altered.")
    secret = secrets.token_urlsafe(32)
    if not connections.bind_browser(pending, browser_hash(secret)):
        return _page("This link can no longer be used", "This connection was already started in a browser.")
    state = make_state(pending)
    if amazon:
        target = amazon_return_url(amazon["cb"], amazon["as"], state, config)
    else:
        target = amazon_consent_url(pending, state, config)
    logger.info("amazon_channel.oauth.consent_started", extra={"store_id": pending.store_id})
    return _bind_cookie(_redirect(target), request, pending, secret)


def _unsign_data(data: dict) -> tuple[int, str]:
    pk = _pending_pk(data)
    if pk is None or not isinstance(data.get("n"), str):
        raise BadSignedValue(Outcome.STATE_INVALID)
    return pk, data["n"]


# -- step 3: the Log-in URI ----------------------------------------------------


def login_view(request, config):
    if request.method != "GET":
        return _method_not_allowed()
    if (malformed := _malformed_parameters(request.GET)) is not None:
        return malformed
    callback = request.GET.get("amazon_callback_uri") or ""
    amazon_state = request.GET.get("amazon_state") or ""
    selling_partner_id = (request.GET.get("selling_partner_id") or "").strip()
    if not callback or len(callback) > MAX_PARAMETER_LENGTH or not endpoints.is_allowed_amazon_callback(callback):
        logger.warning("amazon_channel.oauth.login_rejected", extra={"reason": "callback_not_allowed"})
        return _page("This sign-in link did not come from Amazon",
                     "The address to return to is not an Amazon Seller Central address.")
    if not amazon_state or len(amazon_state) > MAX_PARAMETER_LENGTH or not SELLER_ID_RE.match(selling_partner_id):
        return _page("This sign-in link is incomplete", "Amazon's request is missing its parameters.")
    if not config.is_complete:
        return _not_configured()

    pending = _pending_of_browser(request)
    if pending is not None:
        # A consent this browser started: Amazon now says which seller consented.
        connections.expect_seller(pending, selling_partner_id)
        reason = connections.precheck(pending.store, selling_partner_id)
        if reason is not None:
            return _reject_early(pending, reason)
        logger.info("amazon_channel.oauth.login_confirmed", extra={"store_id": pending.store_id})
        return _redirect(amazon_return_url(callback, amazon_state, make_state(pending), config))

    # Amazon started it (Re-Authorize, the Appstore) or another browser: no state, no row.
    ticket = _seal({"cb": callback, "as": amazon_state, "sp": selling_partner_id}, LOGIN_TICKET_SALT)
    target = dashboard_authorization_url(ticket)
    logger.info("amazon_channel.oauth.login_to_dashboard", extra={"dashboard_known": target is not None})
    if target is None:
        return _page(
            "Finish in the Saleor Dashboard",
            "Amazon sent you here to authorize the Amazon Sales Channel for your seller account. For your "
            "security this is confirmed by a signed-in Saleor user, but this Saleor does not know its Dashboard "
            "address (the DASHBOARD_URL setting) or the extension is not installed.",
            status=200,
            next_step="Open the Saleor Dashboard, go to <strong>Extensions → Amazon Sales Channel</strong>, open "
            "the store and click <strong>Connect store</strong> (or <strong>Reconnect</strong>): it leads you to "
            "Seller Central and back. Ask your administrator to set DASHBOARD_URL so this link works next time.",
        )
    return _redirect(target)


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


def _pending_of_browser(request) -> PendingConnection | None:
    """The newest usable consent this browser started (its cookie matches the row's hash)."""
    for pk in _consent_cookie_pks(request):
        pending = connections.usable_pending_by_pk(pk)
        if pending is not None and is_bound_to_this_browser(request, pending):
            return pending
    return None


def _reject_early(pending: PendingConnection, reason: Outcome):
    """Refuse before Amazon issues a code at all, so no grant is created for nothing."""
    try:
        pending = connections.consume_pending(pending.pk, pending.nonce)
    except ConnectionRejected as rejected:
        return _redirect(result_url("error", pending.store, rejected.reason))
    connections.record_failure(pending.store, reason, connections.requestor_of(pending))
    return _redirect(result_url("error", pending.store, reason))


# -- step 4: the Redirect URI --------------------------------------------------


def callback_view(request, config):
    if request.method != "GET":  # a HEAD prefetch must not use up a state
        return _method_not_allowed()
    if (malformed := _malformed_parameters(request.GET)) is not None:
        return malformed
    started = time.perf_counter()
    with AmazonHttp() as http:
        try:
            response, store_id, outcome = _callback(request, config, http)
        except Exception:
            # A bug, not bad input: the seller still gets the dashboard page, not a bare 500.
            logger.exception("amazon_channel.oauth.callback_crashed")
            response = _redirect(result_url("error", None, Outcome.INTERNAL_ERROR))
            store_id, outcome = None, "crashed"
        amazon_seconds = http.elapsed
    own = time.perf_counter() - started - amazon_seconds
    logger.info(
        "amazon_channel.oauth.callback_handled",
        extra={"store_id": store_id, "outcome": outcome, "own_ms": round(own * 1000, 2),
               "amazon_ms": round(amazon_seconds * 1000, 2)},
    )
    # The cookie is left to lapse: a reload in this browser then reads "already used", not "another browser".
    return response


def _callback(request, config, http):
    """(response, store id, outcome) for one return from Amazon."""
    query = request.GET
    state = query.get("state")
    if not state and query.get("error"):
        # Amazon documents no cancel outcome; should one come back without our state, this
        # browser's own newest consent (its cookie) still says which store it was.
        mine = _pending_of_browser(request)
        state = make_state(mine) if mine is not None else None
    try:
        pk, nonce = _unsign(state, STATE_SALT)
    except BadSignedValue as bad:
        # Only the browser that started the consent may leave a trace of it in the audit trail.
        pending = connections.pending_by_pk(bad.pending_pk) if bad.pending_pk else None
        if pending is not None and is_bound_to_this_browser(request, pending):
            connections.record_failure(pending.store, bad.reason, connections.requestor_of(pending))
            return _redirect(result_url("error", pending.store, bad.reason)), pending.store_id, bad.reason.value
        logger.warning("amazon_channel.oauth.state_rejected", extra={"reason": bad.reason.value})
        return _redirect(result_url("error", None, bad.reason)), None, bad.reason.value

    pending = connections.pending_by_pk(pk, nonce)
    if pending is not None and not is_bound_to_this_browser(request, pending):
        # Another browser (a forwarded or stolen callback URL): change nothing, keep the state usable.
        logger.warning("amazon_channel.oauth.state_rejected", extra={"reason": Outcome.STATE_BROWSER_MISMATCH.value})
        reason = Outcome.STATE_BROWSER_MISMATCH
        return _redirect(result_url("error", None, reason)), None, reason.value
    try:
        pending = connections.consume_pending(pk, nonce, loaded=pending)
    except ConnectionRejected as rejected:
        pending = rejected.pending
        store = pending.store if pending else None
        if store is not None:
            connections.record_failure(store, rejected.reason, connections.requestor_of(pending))
        else:
            logger.warning("amazon_channel.oauth.state_rejected", extra={"reason": rejected.reason.value})
        return _redirect(result_url("error", store, rejected.reason)), store and store.pk, rejected.reason.value

    store, requestor = pending.store, connections.requestor_of(pending)

    def fail(reason: Outcome, message: str | None = None, outcome: str = "error", **parameters):
        connections.record_failure(store, reason, requestor, message, **parameters)
        return _redirect(result_url(outcome, store, reason)), store.pk, reason.value

    error = query.get("error")
    if error:
        if error == "access_denied":
            return fail(Outcome.CANCELLED, outcome="cancelled")
        reason = CONSENT_ERRORS.get(error.upper(), Outcome.AMAZON_ERROR)
        return fail(reason, amazon_code=amazon_errors.safe_code(error, "unknown"))
    if not config.is_complete:
        return fail(Outcome.PLUGIN_NOT_CONFIGURED)
    code = query.get("spapi_oauth_code") or ""
    selling_partner_id = (query.get("selling_partner_id") or "").strip()
    if not code or len(code) > MAX_PARAMETER_LENGTH or not SELLER_ID_RE.match(selling_partner_id):
        return fail(Outcome.AMAZON_ERROR, "The return from Amazon has no authorization code or seller ID.")
    if pending.expected_seller and not hmac.compare_digest(pending.expected_seller, selling_partner_id):
        # Amazon's Log-in URI call named another seller than this return does.
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
            store.pk,
            selling_partner_id,
            tokens.refresh_token,
            participations,
            requestor,
            access_token=tokens.access_token,
            expires_in=tokens.expires_in,
            now=timezone.now(),
        )
    except ConnectionRejected as rejected:
        return fail(rejected.reason)
    if not result.connected:
        return _redirect(result_url("error", store, result.reason)), store.pk, result.reason.value
    return _redirect(result_url("connected", store)), store.pk, "connected"
