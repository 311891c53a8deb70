"""The consent flow with Amazon Seller Central, one small step per view.

1. ``amazonStoreConnect`` creates a pending connection and returns :func:`consent_url`:
   our ``oauth/start?ticket=…``.
2. :func:`start_view` ties this browser to the pending connection (a short-lived
   HttpOnly cookie) and sends it to Seller Central's consent page with our signed
   ``state``.
3. Amazon opens our Log-in URI, :func:`login_view`, with ``amazon_callback_uri``,
   ``amazon_state`` and ``selling_partner_id``; we send the browser back to that
   (allow-listed) Amazon URL with ``amazon_state``, our ``state`` and ``redirect_uri``.
   Without our cookie (Re-Authorize in Manage Your Apps, the Appstore) the seller
   is matched to the authorization their stores already share.
4. Amazon opens our Redirect URI, :func:`callback_view`, with ``state``,
   ``selling_partner_id`` and ``spapi_oauth_code`` (or ``error``). We use up the
   state, exchange the code, read the seller's marketplaces, record the outcome
   (:mod:`.connections`) and send the browser to the dashboard page with a result.

``state`` is ``signing.dumps({"p": pending pk, "n": nonce})`` with its own salt, valid
10 minutes, and single use (its pending row is consumed atomically). Codes, states
and tokens never reach a log line, a page, an error message or the audit trail.
"""

import logging
import re
import time
from html import escape
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core import signing
from django.http import HttpResponse, HttpResponseRedirect
from django.utils import timezone

from . import connections, endpoints, ids
from .amazon import errors as amazon_errors
from .amazon import lwa, sellers
from .amazon.http import AmazonHttp
from .connections import ConnectionRejected, Reason
from .host import get_host
from .marketplaces import MARKETPLACES, Region
from .models import PendingConnection, SellerAuthorization
from .routes import plugin_url

logger = logging.getLogger(__name__)

STATE_SALT = "saleor_amazon_channel.oauth.state"
TICKET_SALT = "saleor_amazon_channel.oauth.ticket"
MAX_AGE = int(connections.PENDING_LIFETIME.total_seconds())
BROWSER_COOKIE = "amazon_channel_consent"
MAX_PARAMETER_LENGTH = 2048
# Amazon's merchant tokens are short upper-case alphanumerics ("A3EXAMPLE12345"); anything else is not Amazon.
SELLING_PARTNER_ID_RE = re.compile(r"^[A-Za-z0-9]{1,64}$")
# Checked before the state is used up (the state itself, unsignable when malformed, uses nothing up).
CHECKED_FIRST = ("spapi_oauth_code", "error")

# Amazon's documented consent errors, should they ever come back to us as ``error``.
CONSENT_ERRORS = {"MD1000": Reason.AMAZON_MD1000, "MD5101": Reason.AMAZON_MD5101, "MD5110": Reason.AMAZON_MD5110}


# -- URLs ----------------------------------------------------------------------


def redirect_uri() -> str:
    """The Redirect URI registered in Developer Central: exactly this, never a fragment."""
    return get_host().build_absolute_uri(plugin_url("oauth/callback"))


def consent_url(pending: PendingConnection) -> str:
    """What ``amazonStoreConnect`` returns: our start route, carrying a signed ticket."""
    ticket = signing.dumps({"p": pending.pk, "n": pending.nonce}, salt=TICKET_SALT)
    return get_host().build_absolute_uri(plugin_url("oauth/start")) + "?" + urlencode({"ticket": ticket})


def make_state(pending: PendingConnection) -> str:
    return signing.dumps({"p": pending.pk, "n": pending.nonce}, salt=STATE_SALT)


def amazon_consent_url(pending: PendingConnection, state: str, config) -> str:
    """Seller Central's consent page for the store's marketplace."""
    params = {"application_id": config.application_id, "state": state, "redirect_uri": redirect_uri()}
    if config.draft_app:
        params["version"] = "beta"
    return endpoints.seller_central_url(pending.store.marketplace) + "/apps/authorize/consent?" + urlencode(params)


def result_url(outcome: str, store=None, reason: Reason | None = None) -> str:
    """The dashboard extension's page that shows how the consent ended."""
    params = {"connectResult": outcome}
    if reason is not None:
        params["reason"] = reason.value
    params["store"] = ids.to_global_id("AmazonStore", store.pk) if store is not None and store.pk else ""
    return get_host().build_absolute_uri(plugin_url("app/")) + "?" + urlencode(params)


def _with_query(url: str, params: dict) -> str:
    scheme, netloc, path, query, fragment = urlsplit(url)
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k not in params]
    return urlunsplit((scheme, netloc, path, urlencode(pairs + list(params.items())), ""))


# -- signed values ---------------------------------------------------------------


class BadSignedValue(Exception):
    def __init__(self, reason: Reason, pending_pk: int | None = None):
        self.reason = reason
        self.pending_pk = pending_pk
        super().__init__(reason.value)


def _unsign(value, salt: str) -> tuple[int, str]:
    """``(pending pk, nonce)`` from a signed value; raises :class:`BadSignedValue`."""
    if not isinstance(value, str) or not value or len(value) > MAX_PARAMETER_LENGTH:
        raise BadSignedValue(Reason.STATE_INVALID)
    try:
        data = signing.loads(value, salt=salt, max_age=MAX_AGE)
    except signing.SignatureExpired:
        # Authentic but old: still tells us which store it was for, for the audit trail.
        raise BadSignedValue(Reason.STATE_EXPIRED, _pending_pk(_loads_quietly(value, salt))) from None
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        raise BadSignedValue(Reason.STATE_INVALID) from None
    pk = _pending_pk(data)
    if pk is None or not isinstance(data.get("n"), str):
        raise BadSignedValue(Reason.STATE_INVALID)
    return pk, data["n"]


def _loads_quietly(value, salt):
    try:
        return signing.loads(value, salt=salt)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        return None


def _pending_pk(data) -> int | None:
    pk = data.get("p") if isinstance(data, dict) else None
    return pk if isinstance(pk, int) and 0 < pk < 2**31 else None


# -- responses -----------------------------------------------------------------


def _no_referrer(response):
    # Amazon's advice for pages whose URL carries a state or code; never cache them either.
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


def _redirect(url: str):
    return _no_referrer(HttpResponseRedirect(url))


def _page(title: str, message: str, status: int = 400):
    """A small human page for the steps that have no dashboard page to return to."""
    html = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">'
        f"<title>{escape(title)}</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}"
        "h1{font-size:1.4rem}</style></head><body>"
        f"<h1>{escape(title)}</h1><p>{escape(message)}</p>"
        "<p>Go back to the Saleor Dashboard, open the Amazon store and click <strong>Connect store</strong> "
        "to start again.</p></body></html>"
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
    if too_long or (partner and not SELLING_PARTNER_ID_RE.match(partner)):
        logger.warning("amazon_channel.oauth.malformed_parameters")
        return _page("This link is not valid", "The request carries parameters Amazon does not send.")
    return None


def _forget_browser(response):
    response.delete_cookie(BROWSER_COOKIE, path=plugin_url("oauth/"), samesite="Lax")
    return response


# -- step 2: the start route ---------------------------------------------------


def start_view(request, config):
    if request.method != "GET":
        return _method_not_allowed()
    if not config.is_complete:
        return _page("Amazon is not configured", connections.MESSAGES[Reason.PLUGIN_NOT_CONFIGURED])
    try:
        pk, nonce = _unsign(request.GET.get("ticket"), TICKET_SALT)
    except BadSignedValue as bad:
        logger.warning("amazon_channel.oauth.bad_ticket", extra={"reason": bad.reason.value})
        if bad.reason is Reason.STATE_EXPIRED:
            return _page("This link has expired", "Connection links are valid for 10 minutes.")
        return _page("This link is not valid", "The connection link is incomplete or was altered.")
    pending = connections.usable_pending(pk, nonce)
    if pending is None:
        return _page("This link can no longer be used", "This connection was already completed, or it expired.")
    state = make_state(pending)
    response = _redirect(amazon_consent_url(pending, state, config))
    # The cookie holds the very state: the Log-in URI step hands Amazon the same value.
    response.set_cookie(
        BROWSER_COOKIE,
        state,
        max_age=MAX_AGE,
        path=plugin_url("oauth/"),
        # Behind a TLS-terminating proxy request.is_secure() may be False; the public URL knows better.
        secure=request.is_secure() or redirect_uri().startswith("https://"),
        httponly=True,
        samesite="Lax",
    )
    logger.info("amazon_channel.oauth.consent_started", extra={"store_id": pending.store_id})
    return response


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
    if not amazon_state or len(amazon_state) > MAX_PARAMETER_LENGTH or len(selling_partner_id) > 64:
        return _page("This sign-in link is incomplete", "Amazon's request is missing its parameters.")
    if not config.is_complete:
        return _page("Amazon is not configured", connections.MESSAGES[Reason.PLUGIN_NOT_CONFIGURED])

    pending, state = _pending_of_browser(request)
    if pending is not None:
        reason = connections.precheck(pending.store, selling_partner_id) if selling_partner_id else None
        if reason is not None:
            return _reject_early(pending, reason)
    else:
        pending = _pending_for_amazon_renewal(selling_partner_id, callback)
        state = make_state(pending) if pending is not None else None
        if pending is None:
            logger.warning("amazon_channel.oauth.login_unmatched", extra={"reason": "no_store_for_seller"})
            return _page(
                "No Amazon store to connect",
                "No store in this Saleor is connected to this Amazon seller account, and no connection was started "
                "from this browser.",
                status=404,
            )
    params = {"amazon_state": amazon_state, "state": state, "redirect_uri": redirect_uri()}
    if config.draft_app:
        params["version"] = "beta"
    logger.info("amazon_channel.oauth.login_confirmed", extra={"store_id": pending.store_id})
    return _redirect(_with_query(callback, params))


def _pending_of_browser(request) -> tuple[PendingConnection | None, str | None]:
    """The consent this browser started from our start route, and its state."""
    state = request.COOKIES.get(BROWSER_COOKIE)
    try:
        pk, nonce = _unsign(state, STATE_SALT)
    except BadSignedValue:
        return None, None
    pending = connections.usable_pending(pk, nonce)
    return (pending, state) if pending is not None else (None, None)


def _pending_for_amazon_renewal(selling_partner_id: str, callback: str) -> PendingConnection | None:
    if not selling_partner_id:
        return None
    candidates = list(
        SellerAuthorization.objects.filter(selling_partner_id=selling_partner_id, stores__isnull=False)
        .distinct()
        .order_by("-authorized_at")
    )
    region = _region_of_host(urlsplit(callback).netloc.lower())
    matching = [a for a in candidates if a.region == region] or candidates
    if not matching:
        return None
    return connections.start_amazon_renewal(matching[0])


def _region_of_host(host: str) -> str | None:
    for marketplace in MARKETPLACES:
        hosts = {urlsplit(marketplace.seller_central_url).netloc.lower(), marketplace.domain.lower(),
                 marketplace.domain.lower().removeprefix("www.")}
        if host in hosts:
            return marketplace.region.value
    return {"sellercentral.amazon.co.uk": Region.EU.value, "sellercentral-japan.amazon.com": Region.FE.value}.get(host)


def _reject_early(pending: PendingConnection, reason: Reason):
    """Refuse before Amazon issues a code at all, so no grant is created for nothing."""
    try:
        pending = connections.consume_pending(pending.pk, pending.nonce)
    except ConnectionRejected as rejected:
        return _redirect(result_url("error", pending.store, rejected.reason))
    connections.record_failure(pending.store, reason, connections.requestor_of(pending))
    return _forget_browser(_redirect(result_url("error", pending.store, reason)))


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
            response, store_id, outcome = _redirect(result_url("error", None, Reason.INTERNAL_ERROR)), None, "crashed"
        amazon_seconds = http.elapsed
    own = time.perf_counter() - started - amazon_seconds
    logger.info(
        "amazon_channel.oauth.callback_handled",
        extra={"store_id": store_id, "outcome": outcome, "own_ms": round(own * 1000, 2),
               "amazon_ms": round(amazon_seconds * 1000, 2)},
    )
    return _forget_browser(response)


def _callback(request, config, http):
    """(response, store id, outcome) for one return from Amazon."""
    query = request.GET
    state = query.get("state")
    if not state and query.get("error"):
        # Amazon documents no cancel outcome; should it come back without our state, this
        # browser's own consent (the start route's cookie) still says which store it was.
        state = request.COOKIES.get(BROWSER_COOKIE)
    try:
        pk, nonce = _unsign(state, STATE_SALT)
    except BadSignedValue as bad:
        pending = PendingConnection.objects.select_related("store").filter(pk=bad.pending_pk).first() \
            if bad.pending_pk else None
        store = pending.store if pending else None
        if store is not None:
            connections.record_failure(store, bad.reason, connections.requestor_of(pending))
        else:
            logger.warning("amazon_channel.oauth.state_rejected", extra={"reason": bad.reason.value})
        return _redirect(result_url("error", store, bad.reason)), store and store.pk, bad.reason.value
    try:
        pending = connections.consume_pending(pk, nonce)
    except ConnectionRejected as rejected:
        pending = rejected.pending
        store = pending.store if pending else None
        if store is not None:
            connections.record_failure(store, rejected.reason, connections.requestor_of(pending))
        else:
            logger.warning("amazon_channel.oauth.state_rejected", extra={"reason": rejected.reason.value})
        return _redirect(result_url("error", store, rejected.reason)), store and store.pk, rejected.reason.value

    store, requestor = pending.store, connections.requestor_of(pending)

    def fail(reason: Reason, message: str | None = None, outcome: str = "error", **parameters):
        connections.record_failure(store, reason, requestor, message, **parameters)
        return _redirect(result_url(outcome, store, reason)), store.pk, reason.value

    error = query.get("error")
    if error:
        if error == "access_denied":
            return fail(Reason.CANCELLED, outcome="cancelled")
        reason = CONSENT_ERRORS.get(error.upper(), Reason.AMAZON_ERROR)
        return fail(reason, amazon_code=amazon_errors.safe_code(error, "unknown"))
    if not config.is_complete:
        return fail(Reason.PLUGIN_NOT_CONFIGURED)
    code = query.get("spapi_oauth_code") or ""
    selling_partner_id = (query.get("selling_partner_id") or "").strip()
    if not code or not selling_partner_id or len(code) > MAX_PARAMETER_LENGTH or len(selling_partner_id) > 64:
        return fail(Reason.AMAZON_ERROR, "Amazon came back without an authorization code or seller ID.")
    reason = connections.precheck(store, selling_partner_id)
    if reason is not None:
        return fail(reason)

    try:
        tokens = lwa.exchange_code(config, code, redirect_uri(), http=http)
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
