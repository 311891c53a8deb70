"""The consent's HTTP routes: each reads the request, calls one step of :mod:`.service` and renders
its answer (a redirect, or a page from ``templates/saleor_amazon_channel/consent/``, auto-escaped,
its words through Django's gettext).

- ``oauth/start`` (GET): :func:`.service.start`.
- ``oauth/login``, Amazon's Log-in URI: GET :func:`.service.review_login` (changes nothing; the
  plugin's confirmation page, or the Dashboard); POST :func:`.service.confirm_login` (the
  confirmation page's same-origin form, with its CSRF token).
- ``oauth/callback``, the Redirect URI (GET): :func:`.service.finish`.
"""

import functools
import logging
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.template import Context, Engine
from django.utils.translation import gettext_lazy as _

from saleor_amazon_channel.amazon.http import AmazonHttp
from saleor_amazon_channel.consent import service, state
from saleor_amazon_channel.consent.service import Confirm, Go, Show
from saleor_amazon_channel.core import urls
from saleor_amazon_channel.core.config import AmazonChannelConfig
from saleor_amazon_channel.outcomes import Outcome

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
AGAIN, DASHBOARD = "again", "dashboard"

# page key -> (title, message, next step)
PAGES: dict[str, tuple[Any, Any, str]] = {
    "malformed": (_("This link is not valid"), _("The request carries parameters Amazon does not send."), AGAIN),
    "not_configured": (_("Amazon is not configured"), Outcome.PLUGIN_NOT_CONFIGURED.message, AGAIN),
    "link_expired": (_("This link has expired"), _("Connection links are valid for 2 minutes."), AGAIN),
    "link_invalid": (_("This link is not valid"), _("The connection link is incomplete or was altered."), AGAIN),
    "link_used": (_("This link can no longer be used"),
                  _("This connection was already started in a browser, completed, or it expired."), AGAIN),
    "link_not_yours": (_("This link is not valid"),
                       _("The connection link does not belong to an active Saleor user."), AGAIN),
    "not_from_amazon": (_("This sign-in link did not come from Amazon"),
                        _("The address to return to is not an Amazon Seller Central address."), AGAIN),
    "login_incomplete": (_("This sign-in link is incomplete"), _("Amazon's request is missing its parameters."),
                         AGAIN),
    "finish_in_dashboard": (
        _("Finish in the Saleor Dashboard"),
        _("Amazon sent you here to authorize the Amazon Sales Channel for your seller account. For your security "
          "this is confirmed by a signed-in Saleor user, but this Saleor does not know its Dashboard address (the "
          "DASHBOARD_URL setting) or the extension is not installed."),
        DASHBOARD,
    ),
    "seller_refused": (_("This Amazon seller cannot be connected here"), "", AGAIN),
    "forbidden": (_("This confirmation is not valid"),
                  _("Confirm on the page Amazon sent this browser to. Nothing was changed."), AGAIN),
}


@functools.cache
def _engine() -> Engine:
    """The plugin's own template engine: the same pages in any host, whatever its TEMPLATES setting."""
    return Engine(dirs=[str(TEMPLATES)], libraries={"i18n": "django.templatetags.i18n"}, autoescape=True)


def render(template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    html = _engine().get_template(f"saleor_amazon_channel/consent/{template}").render(Context(context))
    response = HttpResponse(html, status=status, content_type="text/html; charset=utf-8")
    # Never framed (no one clicks our Confirm through a transparent overlay), never cached, no Referer.
    response["X-Frame-Options"] = "DENY"
    response["Content-Security-Policy"] = "frame-ancestors 'none'"
    return _no_referrer(response)


def _no_referrer[R: HttpResponseBase](response: R) -> R:
    # Amazon's advice for pages whose URL carries a state or code; never cache them either.
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


def _page(show: Show) -> HttpResponse:
    title, message, next_step = PAGES[show.page]
    context = {"title": title, "message": show.context.get("message") or message, "next_step": next_step,
               "code": show.code.value if show.code else "", **show.context}
    return render("message.html", context, show.status)


def _go(go: Go, request: HttpRequest) -> HttpResponse:
    response = _no_referrer(HttpResponseRedirect(go.url))
    if go.bind is not None:
        pk, secret = go.bind
        response.set_cookie(
            state.cookie_name(pk),
            secret,
            max_age=state.MAX_AGE,
            path=service.cookie_path(),
            # Behind a TLS-terminating proxy request.is_secure() may be False; the public URL knows better.
            secure=request.is_secure() or urls.redirect_uri().startswith("https://"),
            httponly=True,
            samesite="Lax",
        )
    return response


def _answer(result: Go | Show | Confirm, request: HttpRequest) -> HttpResponse:
    if isinstance(result, Go):
        return _go(result, request)
    if isinstance(result, Confirm):
        store = result.pending.store
        return render("confirm.html", {
            "store": store.name,
            "country": store.marketplace.country_name,
            "seller": result.seller,
            "renewal": store.authorization_id is not None,
            "action": request.path,
            "request_token": result.request,
            "csrf": result.csrf,
            "dashboard": result.dashboard,
            "problem": result.problem.message if result.problem else "",
            "code": result.problem.value if result.problem else "",
        })
    return _page(result)


def _method_not_allowed(allow: str = "GET") -> HttpResponse:
    """Browsers navigate with GET; a HEAD or POST (a link scanner, a prefetch) must not act, nor use up a state."""
    response = _no_referrer(HttpResponse("Method not allowed.", status=405, content_type="text/plain"))
    response["Allow"] = allow
    return response


def _cross_site(request: HttpRequest) -> bool:
    """A POST another site made the browser send: Fetch Metadata when the browser sends it, else the Origin.

    Our pages send ``Referrer-Policy: no-referrer``, under which browsers post ``Origin: null`` even from
    the same origin: a null Origin proves nothing either way (the CSRF token and the SameSite cookie still
    stand)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        ours = urlsplit(urls.redirect_uri())
        return origin != f"{ours.scheme}://{ours.netloc}"
    return False


# -- the routes ------------------------------------------------------------------


def start_view(request: HttpRequest, config: AmazonChannelConfig) -> HttpResponse:
    if request.method != "GET":
        return _method_not_allowed()
    return _answer(service.start(request.GET.get("ticket"), config), request)


def login_view(request: HttpRequest, config: AmazonChannelConfig) -> HttpResponse:
    if request.method == "POST":
        return _answer(service.confirm_login(request.POST, request.COOKIES, _cross_site(request), config), request)
    if request.method != "GET":
        return _method_not_allowed("GET, POST")
    return _answer(service.review_login(request.GET, request.COOKIES, config), request)


def callback_view(request: HttpRequest, config: AmazonChannelConfig) -> HttpResponse:
    if request.method != "GET":  # a HEAD prefetch must not use up a state
        return _method_not_allowed()
    if (malformed := service.malformed(request.GET)) is not None:
        return _page(malformed)
    started = time.perf_counter()
    with AmazonHttp() as http:
        try:
            finished = service.finish(request.GET, request.COOKIES, config, http)
            response, store_id, outcome = _go(finished.go, request), finished.store_id, finished.label
        except Exception:
            # A bug, not bad input: the seller still gets the dashboard page, not a bare 500.
            logger.exception("amazon_channel.oauth.callback_crashed")
            response = _go(Go(service.result_url("error", None, Outcome.INTERNAL_ERROR)), request)
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
