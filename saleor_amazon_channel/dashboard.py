"""The dashboard extension, served by the plugin itself.

``app/…`` is the built React bundle (package data, no Node.js needed at install
time); ``manifest`` is the Saleor app manifest, shaped for the Saleor version that
asks; ``register`` is the manifest's ``tokenTargetUrl``. The iframe is then
same-origin with the plugin's GraphQL endpoint.
"""

import json
import logging
import mimetypes
import pathlib
import re
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotFound, JsonResponse
from django.http.response import HttpResponseBase

from saleor_amazon_channel import APP_NAME, PLUGIN_ID, PLUGIN_NAME, __version__
from saleor_amazon_channel.core.config import AmazonChannelConfig
from saleor_amazon_channel.core.host import MANAGE_CHANNELS, MANAGE_ORDERS
from saleor_amazon_channel.core.urls import REGISTER, absolute_url, app_url

logger = logging.getLogger(__name__)

BUNDLE_DIR = pathlib.Path(__file__).resolve().parent / "dashboard"
APP_IDENTIFIER = "saleor.app.amazon-sales-channel"
# Vite's hashed asset names: safe to cache forever.
HASHED_ASSET = re.compile(r"^assets/.+-[A-Za-z0-9_-]{8,}\.(js|css|woff2?|svg|png)$")
WIDGET_MIN_VERSION = (3, 23)
MAX_ASSET_PATH = 255


def _schema_version(request: HttpRequest) -> tuple[int, int] | None:
    raw = request.headers.get("Saleor-Schema-Version", "")
    # Bounded digits: int() of thousands of digits raises (and costs) where a version never has them.
    match = re.match(r"^\s*(\d{1,4})\.(\d{1,4})(?!\d)", raw[:32])
    return (int(match.group(1)), int(match.group(2))) if match else None


def build_manifest(schema_version: tuple[int, int] | None) -> dict[str, Any]:
    """A manifest valid for Saleor 3.21, 3.22 and 3.23.

    3.21/3.22 require ``tokenTargetUrl`` and a relative APP_PAGE URL; the home-page
    widget mount exists from 3.23 on, so it is offered only to 3.23 and later.
    """
    extensions: list[dict[str, object]] = [
        {
            "label": APP_NAME,
            "mount": "NAVIGATION_CATALOG",
            "target": "APP_PAGE",
            "url": "/",
            "permissions": [MANAGE_CHANNELS],
        }
    ]
    if schema_version is not None and schema_version >= WIDGET_MIN_VERSION:
        extensions.append(
            {
                "label": "Amazon stores",
                "mount": "HOMEPAGE_WIDGETS",
                "target": "WIDGET",
                "url": app_url() + "?view=widget",
                "permissions": [MANAGE_CHANNELS],
                "options": {"homeWidgetTarget": {"method": "GET"}},
            }
        )
    return {
        "id": APP_IDENTIFIER,
        "name": APP_NAME,
        "version": __version__,
        "about": (
            "Connect Amazon stores to Amazon Seller Central and keep them connected. "
            f"The SP-API credentials are in the plugin “{PLUGIN_NAME}” (Extensions → Installed)."
        ),
        # The page needs MANAGE_CHANNELS (its extensions say so); Amazon orders on it read with MANAGE_ORDERS.
        "permissions": [MANAGE_CHANNELS, MANAGE_ORDERS],
        "appUrl": app_url(),
        "tokenTargetUrl": absolute_url(REGISTER),
        "homepageUrl": app_url(),
        "supportUrl": app_url() + "#/setup",
        "extensions": extensions,
        "webhooks": [],
    }


def manifest_view(request: HttpRequest, config: AmazonChannelConfig) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return JsonResponse({"error": "Use GET."}, status=405)
    return JsonResponse(build_manifest(_schema_version(request)))


def register_view(request: HttpRequest, config: AmazonChannelConfig) -> HttpResponse:
    """Saleor posts the app's auth token here when the app is installed.

    The plugin already has database access and authenticates each request with the
    dashboard's own token, so the app token is not kept (one secret fewer at rest).
    """
    if request.method != "POST":
        return JsonResponse({"error": "Use POST."}, status=405)
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, RecursionError):  # not JSON, not UTF-8, an integer of thousands of digits, too deep
        return JsonResponse({"error": "The body is not JSON."}, status=400)
    if not isinstance(body, dict) or not isinstance(body.get("auth_token"), str) or not body["auth_token"]:
        return JsonResponse({"error": "auth_token is required."}, status=400)
    logger.info("amazon_channel.app.registered", extra={"saleor_domain": request.headers.get("Saleor-Domain", "")})
    return JsonResponse({"success": True})


# Vite builds with ``base: "./"``: index.html names its files ``./assets/…``.
_RELATIVE_REF = re.compile(r'(\s(?:src|href)=")\./')
# The app's own folder in a request path, wherever the plugin is mounted (a PUBLIC_URL
# path prefix, a proxy that strips one): ``…/saleor_amazon_channel/app`` and what follows.
_APP_IN_PATH = re.compile(r"/" + re.escape(PLUGIN_ID) + r"/app(?P<rest>/.*)?$")


def bundle_root_from(request_path: str) -> str:
    """The bundle's folder relative to the page the browser is on.

    The Dashboard builds the iframe URL with url-join, which drops the trailing slash
    (``…/app?domain=…``), and deep links add screens (``…/app/stores/42``). Relative to the
    page itself, the answer is right for every form and under any path prefix.
    """
    match = _APP_IN_PATH.search(request_path)
    rest = match.group("rest") if match else "/"
    if not rest:
        return "app/"
    depth = rest.count("/") - 1
    return "../" * depth if depth else "./"


def render_index(index: pathlib.Path, request_path: str) -> bytes:
    root = bundle_root_from(request_path)
    return _RELATIVE_REF.sub(lambda m: m.group(1) + root, index.read_text(encoding="utf-8")).encode()


def _no_sniff_no_referrer(response: HttpResponseBase) -> HttpResponseBase:
    # The consent tab comes back here: never leak its query string onwards.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def app_view(request: HttpRequest, config: AmazonChannelConfig) -> HttpResponseBase:
    """Files of the built bundle; any other path gets index.html (client-side routes)."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    match = _APP_IN_PATH.search(request.path)
    relative = (match.group("rest") or "").lstrip("/") if match else ""
    index = BUNDLE_DIR / "index.html"
    if not index.is_file():
        return HttpResponse(
            "The dashboard bundle is not built. Run `npm --prefix dashboard-extension run build`.",
            status=503,
            content_type="text/plain",
        )
    if len(relative) > MAX_ASSET_PATH or "\x00" in relative:
        # No file of the bundle has such a name; the OS would refuse it (ValueError, ENAMETOOLONG).
        return _no_sniff_no_referrer(HttpResponseNotFound())
    try:
        target = (BUNDLE_DIR / relative).resolve() if relative else index
        found = target.is_relative_to(BUNDLE_DIR) and target.is_file() and target != index
    except (OSError, ValueError):
        target, found = None, False
    if not found or target is None:
        # A missing file (it has an extension) is a 404, never index.html served as CSS or JS.
        if relative.startswith("assets/") or ("." in relative.rsplit("/", 1)[-1] and target != index):
            return _no_sniff_no_referrer(HttpResponseNotFound())
        response = HttpResponse(render_index(index, request.path), content_type="text/html; charset=utf-8")
        response["Cache-Control"] = "no-cache"
        return _no_sniff_no_referrer(response)
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    asset = FileResponse(open(target, "rb"), content_type=content_type)
    asset["Cache-Control"] = "public, max-age=31536000, immutable" if HASHED_ASSET.match(relative) else "no-cache"
    return _no_sniff_no_referrer(asset)


ROUTES = {"manifest": manifest_view, "register": register_view}
PREFIXED_ROUTES = {"app": app_view}
