import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from saleor_amazon_channel import APP_NAME, PLUGIN_NAME, dashboard
from saleor_amazon_channel.core.urls import plugin_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def bundle(tmp_path, monkeypatch):
    (tmp_path / "assets").mkdir()
    # What `vite build` writes with base "./".
    (tmp_path / "index.html").write_text(
        '<!doctype html><head><script type="module" crossorigin src="./assets/index-AbCdEf12.js"></script>'
        '<link rel="modulepreload" crossorigin href="./assets/vendor-XyZ98765.js">'
        '<link rel="stylesheet" crossorigin href="./assets/index-AbCdEf12.css"></head><div id=root></div>'
    )
    (tmp_path / "assets" / "index-AbCdEf12.js").write_text("console.log(1)")
    (tmp_path / "assets" / "vendor-XyZ98765.js").write_text("console.log(2)")
    (tmp_path / "assets" / "index-AbCdEf12.css").write_text("body{}")
    monkeypatch.setattr(dashboard, "BUNDLE_DIR", tmp_path)
    return tmp_path


@pytest.mark.parametrize(("version", "widget"), [("3.21", False), ("3.22", False), ("3.23", True), (None, False)])
def test_manifest_fits_each_saleor_version(plugin, version, widget):
    headers = {"HTTP_SALEOR_SCHEMA_VERSION": version} if version else {}
    manifest = Client().get(plugin_url("manifest"), **headers).json()
    assert {"id", "name", "version", "tokenTargetUrl", "appUrl", "permissions"} <= manifest.keys()
    # The app's token is the user's permissions ∩ these: Amazon orders need MANAGE_ORDERS (as Saleor's orders).
    assert manifest["permissions"] == ["MANAGE_CHANNELS", "MANAGE_ORDERS"]
    assert manifest["appUrl"].endswith("/plugins/global/saleor_amazon_channel/app/")
    assert manifest["tokenTargetUrl"].endswith("/plugins/global/saleor_amazon_channel/register")
    page = manifest["extensions"][0]
    assert (page["mount"], page["target"], page["url"]) == ("NAVIGATION_CATALOG", "APP_PAGE", "/")
    mounts = [extension["mount"] for extension in manifest["extensions"]]
    assert ("HOMEPAGE_WIDGETS" in mounts) is widget


def test_app_and_plugin_are_named_for_what_they_are(plugin):
    """Extensions → Installed lists both: the app opens the stores, the plugin holds the SP-API settings."""
    manifest = Client().get(plugin_url("manifest"), HTTP_SALEOR_SCHEMA_VERSION="3.23").json()
    assert manifest["name"] == APP_NAME == "Amazon Sales Channel"
    assert manifest["extensions"][0]["label"] == APP_NAME
    assert PLUGIN_NAME == "Amazon Sales Channel – settings"
    assert PLUGIN_NAME in manifest["about"]


def test_register_accepts_token_and_rejects_garbage(plugin):
    client = Client()
    assert (
        client.post(plugin_url("register"), {"auth_token": "abc"}, content_type="application/json").status_code == 200
    )
    assert client.post(plugin_url("register"), "nope", content_type="application/json").status_code == 400
    assert client.post(plugin_url("register"), {}, content_type="application/json").status_code == 400
    assert client.get(plugin_url("register")).status_code == 405


def test_app_serves_bundle_with_fallback(plugin, bundle):
    client = Client()
    index = client.get(plugin_url("app/"))
    assert index.status_code == 200 and "root" in _body(index)
    assert index["Cache-Control"] == "no-cache"
    asset = client.get(plugin_url("app/assets/index-AbCdEf12.js"))
    assert asset.status_code == 200 and "immutable" in asset["Cache-Control"]
    assert asset["Content-Type"].startswith("text/javascript")
    assert client.get(plugin_url("app/stores/3")).status_code == 200  # client-side route
    assert client.get(plugin_url("app/assets/missing.js")).status_code == 404
    traversal = client.get(plugin_url("app/../../../../etc/passwd"))
    assert traversal.status_code in (200, 404) and b"root:" not in b"".join(
        getattr(traversal, "streaming_content", [b""])
    )


def test_app_without_bundle_says_how_to_build(plugin, tmp_path, monkeypatch):
    monkeypatch.setattr(dashboard, "BUNDLE_DIR", tmp_path / "missing")
    response = Client().get(plugin_url("app/"))
    assert response.status_code == 503 and b"npm" in response.content


def test_unknown_plugin_path_is_404(plugin):
    assert Client().get(plugin_url("nothing-here")).status_code == 404


APP = plugin_url("app")  # /plugins/global/saleor_amazon_channel/app
DASHBOARD_QUERY = (
    "domain=localhost%3A8000&saleorApiUrl=http%3A%2F%2Flocalhost%3A8000%2Fgraphql%2F&id=QXBwOjE%3D&theme=dark"
)


def _body(response) -> str:
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


def _asset_urls(html: str, page_url: str) -> list[str]:
    """Every src/href of index.html resolved the way the browser does, against the page's URL."""
    return [urljoin(page_url, ref) for ref in re.findall(r'(?:src|href)="([^"]+)"', html)]


def _fetch(client, url: str, prefix: str = ""):
    """GET an absolute URL of the browser's view; a path prefix arrives as SCRIPT_NAME."""
    parts = urlsplit(url)
    assert parts.path.startswith(prefix + "/plugins/"), f"{url} is outside the plugin"
    extra = {"SCRIPT_NAME": prefix} if prefix else {}
    return client.get(parts.path[len(prefix) :], **extra)


# Each URL the Dashboard 3.23 can point its iframe at: url-join drops the slash of `…/app/`
# (`…/app?domain=…`), the widget adds `view=widget`, deep links add the screen.
@pytest.mark.parametrize(
    "page",
    [
        APP,
        APP + "/",
        f"{APP}?{DASHBOARD_QUERY}",
        f"{APP}/?{DASHBOARD_QUERY}",
        f"{APP}?view=widget&{DASHBOARD_QUERY}",
        f"{APP}/?view=widget&{DASHBOARD_QUERY}",
        f"{APP}/stores/QW1hem9uU3RvcmU6MQ==?{DASHBOARD_QUERY}",
        f"{APP}/stores/QW1hem9uU3RvcmU6MQ==/edit/?{DASHBOARD_QUERY}",
        f"{APP}/setup?next=new&{DASHBOARD_QUERY}",
    ],
)
@pytest.mark.parametrize("prefix", ["", "/shop/saleor"])
def test_every_asset_of_index_loads_from_every_iframe_url(plugin, bundle, page, prefix):
    client = Client()
    page_url = "http://testserver" + prefix + page
    response = _fetch(client, page_url, prefix)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert response["Cache-Control"] == "no-cache"
    urls = _asset_urls(_body(response), page_url)
    assert len(urls) == 3
    for url in urls:
        assert urlsplit(url).path.startswith(prefix + APP + "/assets/"), url
        asset = _fetch(client, url, prefix)
        assert asset.status_code == 200, url
        assert asset["Content-Type"].split(";")[0] in ("text/javascript", "text/css"), url
        assert "immutable" in asset["Cache-Control"]


def test_assets_resolve_behind_a_proxy_that_strips_the_prefix(plugin, bundle):
    """The browser sees /shop/…, Saleor sees /plugins/… (no SCRIPT_NAME): relative URLs still land under /shop/."""
    client = Client()
    html = _body(client.get(f"{APP}/stores/42?{DASHBOARD_QUERY}"))
    for url in _asset_urls(html, f"https://example.com/shop{APP}/stores/42?{DASHBOARD_QUERY}"):
        assert urlsplit(url).path.startswith(f"/shop{APP}/assets/"), url


def test_a_missing_file_is_a_404_never_index_html(plugin, bundle):
    client = Client()
    assert client.get(plugin_url("app/index.html")).status_code == 200
    for path in ("app/assets/index-00000000.css", "app/stores/assets/index-AbCdEf12.js", "app/favicon.ico"):
        response = client.get(plugin_url(path))
        assert response.status_code == 404, path
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.skipif(not (dashboard.BUNDLE_DIR / "index.html").is_file(), reason="the bundle is not built")
def test_the_built_bundle_names_its_files_relatively():
    """The rewrite covers every reference: Vite's base must stay "./" (no root-absolute /assets/)."""
    html = (dashboard.BUNDLE_DIR / "index.html").read_text()
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert refs and all(ref.startswith("./assets/") for ref in refs), refs
