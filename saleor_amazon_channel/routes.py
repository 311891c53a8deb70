"""Every HTTP path the plugin serves under ``/plugins/global/saleor_amazon_channel/``.

Saleor calls ``AmazonChannelPlugin.webhook(request, path)`` with the path after the
plugin ID; the stand-in host does the same. :func:`dispatch` maps it to a view.
"""

import logging

from django.http import HttpResponseNotFound, JsonResponse

from . import PLUGIN_ID

logger = logging.getLogger(__name__)

BASE_PATH = f"/plugins/global/{PLUGIN_ID}/"

# The consent tab's way: start → Amazon → callback → the app's result page. When the Dashboard
# shares Saleor's host it refuses to open that tab (Saleor Dashboard 3.23's redirect handling), so
# the app opens it from its sandboxed iframe: the tab inherits the sandbox, and Chromium refuses a
# sandboxed tab any page with a Cross-Origin-Opener-Policy (Django's default is same-origin).
CONSENT_TAB_ROUTES = {"oauth/start", "oauth/login", "oauth/callback"}


def plugin_url(subpath: str = "") -> str:
    """Absolute path of a plugin route, e.g. ``plugin_url("oauth/callback")``."""
    return BASE_PATH + subpath.lstrip("/")


def _routes():
    """(exact routes, prefix routes). Imported lazily: Saleor loads the plugin module
    before Django's app registry is ready."""
    from . import dashboard, oauth
    from .graphql.view import graphql_view

    exact = {
        "graphql": graphql_view,
        "oauth/start": oauth.start_view,
        "oauth/login": oauth.login_view,
        "oauth/callback": oauth.callback_view,
        **dashboard.ROUTES,
    }
    prefixed = {**dashboard.PREFIXED_ROUTES}
    return exact, prefixed


def dispatch(request, path: str, config):
    """Answer ``path`` (``"/graphql/"``, ``"/oauth/callback"``, ...); never a bare 500."""
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
    try:
        response = view(request, config)
    except Exception:
        logger.exception("amazon_channel.http.unhandled_error", extra={"route": key})
        return JsonResponse(
            {"errors": [{"message": "Internal Server Error", "extensions": {"exception": {"code": "InternalServerError"}}}]},
            status=500,
        )
    if key in CONSENT_TAB_ROUTES or key == "app" or key.startswith("app/"):
        response["Cross-Origin-Opener-Policy"] = "unsafe-none"
    return response
