"""Every HTTP path the plugin serves under ``/plugins/global/saleor_amazon_channel/``.

Saleor calls ``AmazonChannelPlugin.webhook(request, path)`` with the path after the
plugin ID; the stand-in host does the same. :func:`dispatch` maps it to a view.
"""

import logging
import re
from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponseNotFound, JsonResponse
from django.http.response import HttpResponseBase

from saleor_amazon_channel.core import urls
from saleor_amazon_channel.core.config import AmazonChannelConfig

logger = logging.getLogger(__name__)

# Generic guards in front of every view: no route of ours has a longer path, more
# parameters, a bigger body, or any use for control characters in its query string.
MAX_PATH_LENGTH = 512
MAX_QUERY_STRING_LENGTH = 16 * 1024
MAX_QUERY_PARAMETERS = 50
MAX_BODY_BYTES = 256 * 1024
# C0 controls and DEL: never part of a path, an Amazon parameter or a ticket; NUL breaks PostgreSQL text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")

# The consent tab's way: start → Amazon → callback → the app's result page. When the Dashboard
# shares Saleor's host it refuses to open that tab (Saleor Dashboard 3.23's redirect handling), so
# the app opens it from its sandboxed iframe: the tab inherits the sandbox, and Chromium refuses a
# sandboxed tab any page with a Cross-Origin-Opener-Policy (Django's default is same-origin).
CONSENT_TAB_ROUTES = {"oauth/start", "oauth/login", "oauth/callback"}


View = Callable[[HttpRequest, AmazonChannelConfig], HttpResponseBase]


def _routes() -> tuple[dict[str, View], dict[str, View]]:
    """(exact routes, prefix routes). Imported lazily: Saleor loads the plugin module
    before Django's app registry is ready."""
    from saleor_amazon_channel import dashboard
    from saleor_amazon_channel.consent import views as oauth
    from saleor_amazon_channel.graphql.view import graphql_view

    exact: dict[str, View] = {
        urls.GRAPHQL: graphql_view,
        urls.OAUTH_START: oauth.start_view,
        urls.OAUTH_LOGIN: oauth.login_view,
        urls.OAUTH_CALLBACK: oauth.callback_view,
        **dashboard.ROUTES,
    }
    prefixed: dict[str, View] = {**dashboard.PREFIXED_ROUTES}
    return exact, prefixed


def error_response(message: str, code: str, status: int) -> JsonResponse:
    """Saleor's error shape, for every refusal the plugin's routes answer."""
    return JsonResponse({"errors": [{"message": message, "extensions": {"exception": {"code": code}}}]}, status=status)


def _refusal(request: HttpRequest, key: str) -> JsonResponse | None:
    """A 4xx for a request no view of ours should see, or None. Runs before any view,
    so a refused OAuth callback never touches (nor uses up) its state."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return error_response("Content-Length is not a number.", "BadRequest", 400)
    if length > MAX_BODY_BYTES:
        return error_response(f"The request body is larger than {MAX_BODY_BYTES} bytes.", "RequestTooLarge", 413)
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING_LENGTH:
        return error_response("The query string is too long.", "RequestTooLarge", 414)
    try:
        # Django raises TooManyFieldsSent past DATA_UPLOAD_MAX_NUMBER_FIELDS; ours is lower still.
        items = list(request.GET.lists())
    except SuspiciousOperation:
        return error_response("Too many query parameters.", "TooManyParameters", 400)
    if sum(len(values) for _, values in items) > MAX_QUERY_PARAMETERS:
        return error_response(f"More than {MAX_QUERY_PARAMETERS} query parameters.", "TooManyParameters", 400)
    for name, values in items:
        if CONTROL_CHARACTERS.search(name) or any(CONTROL_CHARACTERS.search(value) for value in values):
            return error_response("A query parameter contains control characters.", "BadRequest", 400)
    return None


def dispatch(request: HttpRequest, path: object, config: AmazonChannelConfig) -> HttpResponseBase:
    """Answer ``path`` (``"/graphql/"``, ``"/oauth/callback"``, ...); never a bare 500."""
    if not isinstance(path, str) or len(path) > MAX_PATH_LENGTH or CONTROL_CHARACTERS.search(path):
        return HttpResponseNotFound()
    key = path.strip("/")
    exact, prefixed = _routes()
    view = exact.get(key)
    if view is None:
        for prefix, prefixed_view in prefixed.items():
            if key == prefix or key.startswith(prefix + "/"):
                view = prefixed_view
                break
    if view is None:
        return HttpResponseNotFound()
    refusal = _refusal(request, key)
    if refusal is not None:
        return refusal
    from saleor_amazon_channel.amazon.endpoints import InsecureAmazonUrl

    try:
        response = view(request, config)
    except InsecureAmazonUrl:
        # The operator's configuration, not the client's fault; the system check (E001) says which setting.
        return error_response(InsecureAmazonUrl.default_message, "InsecureAmazonUrl", 503)
    except RequestDataTooBig:
        return error_response(f"The request body is larger than {MAX_BODY_BYTES} bytes.", "RequestTooLarge", 413)
    except SuspiciousOperation:
        # Django's own refusals of malformed requests (too many fields, bad headers): the client's fault.
        logger.warning("amazon_channel.http.suspicious_request", extra={"route": key})
        return error_response("The request is malformed.", "BadRequest", 400)
    except Exception:
        logger.exception("amazon_channel.http.unhandled_error", extra={"route": key})
        return error_response("Internal Server Error", "InternalServerError", 500)
    if key in CONSENT_TAB_ROUTES or key == "app" or key.startswith("app/"):
        response["Cross-Origin-Opener-Policy"] = "unsafe-none"
    return response
