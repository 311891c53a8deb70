"""Every URL of the plugin's own routes, built here and nowhere else.

A leaf: it imports only the package root and the host, so the views, the GraphQL
layer and the router (``routes.py``) can all use it without importing each other.
Saleor serves the routes under ``/plugins/global/<plugin id>/``; the host makes them
absolute (``PUBLIC_URL``).
"""

from urllib.parse import urlencode

from saleor_amazon_channel import PLUGIN_ID
from saleor_amazon_channel.core.host import get_host

BASE_PATH = f"/plugins/global/{PLUGIN_ID}/"

# Route paths after BASE_PATH.
GRAPHQL = "graphql"
OAUTH_START = "oauth/start"
OAUTH_LOGIN = "oauth/login"
OAUTH_CALLBACK = "oauth/callback"
APP = "app/"
REGISTER = "register"


def plugin_url(subpath: str = "") -> str:
    """Absolute path of a plugin route, e.g. ``plugin_url("oauth/callback")``."""
    return BASE_PATH + subpath.lstrip("/")


def absolute_url(subpath: str, query: dict[str, str] | None = None) -> str:
    """The public URL of a plugin route, with ``query`` appended when given."""
    url = get_host().build_absolute_uri(plugin_url(subpath))
    return url + "?" + urlencode(query) if query else url


def redirect_uri() -> str:
    """The Redirect URI registered in Developer Central: exactly this, never a fragment."""
    return absolute_url(OAUTH_CALLBACK)


def login_uri() -> str:
    """The Log-in URI registered in Developer Central (a consent Amazon starts comes here)."""
    return absolute_url(OAUTH_LOGIN)


def app_url() -> str:
    """The dashboard extension's page."""
    return absolute_url(APP)
