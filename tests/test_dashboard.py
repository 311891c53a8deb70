import pytest
from django.test import Client

from saleor_amazon_channel import dashboard
from saleor_amazon_channel.urls import plugin_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def bundle(tmp_path, monkeypatch):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><div id=root></div>")
    (tmp_path / "assets" / "index-AbCdEf12.js").write_text("console.log(1)")
    monkeypatch.setattr(dashboard, "BUNDLE_DIR", tmp_path)
    return tmp_path


@pytest.mark.parametrize(("version", "widget"), [("3.21", False), ("3.22", False), ("3.23", True), (None, False)])
def test_manifest_fits_each_saleor_version(plugin, version, widget):
    headers = {"HTTP_SALEOR_SCHEMA_VERSION": version} if version else {}
    manifest = Client().get(plugin_url("manifest"), **headers).json()
    assert {"id", "name", "version", "tokenTargetUrl", "appUrl", "permissions"} <= manifest.keys()
    assert manifest["permissions"] == ["MANAGE_CHANNELS"]
    assert manifest["appUrl"].endswith("/plugins/global/saleor_amazon_channel/app/")
    assert manifest["tokenTargetUrl"].endswith("/plugins/global/saleor_amazon_channel/register")
    page = manifest["extensions"][0]
    assert (page["mount"], page["target"], page["url"]) == ("NAVIGATION_CATALOG", "APP_PAGE", "/")
    mounts = [extension["mount"] for extension in manifest["extensions"]]
    assert ("HOMEPAGE_WIDGETS" in mounts) is widget


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
    assert index.status_code == 200 and b"root" in b"".join(index.streaming_content)
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
