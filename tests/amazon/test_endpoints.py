"""Where the Log-in URI may send a browser back to: Seller Central only."""

import pytest

from saleor_amazon_channel.amazon import endpoints
from saleor_amazon_channel.core import marketplaces


@pytest.fixture(autouse=True)
def real_amazon(settings, monkeypatch):
    settings.AMAZON_CHANNEL_SELLER_CENTRAL_URL = None
    monkeypatch.delenv("AMAZON_CHANNEL_SELLER_CENTRAL_URL", raising=False)


@pytest.mark.parametrize("url", [
    "https://sellercentral.amazon.com/apps/authorize/confirm/amzn1.sellerapps.app.x",
    "https://sellercentral-europe.amazon.com/apps/authorize/confirm/x",
    "https://sellercentral.amazon.eg/apps/authorize/confirm/x",
    "https://sellercentral.amazon.ie/apps/authorize/confirm/x",
    "https://sellercentral.amazon.com.be/apps/authorize/confirm/x",
    "https://sellercentral.amazon.sa/apps/authorize/confirm/x",
    "https://sellercentral.amazon.co.za/apps/authorize/confirm/x",
    "https://sellercentral.amazon.de/apps/authorize/confirm/x",
    "https://SellerCentral.Amazon.co.jp/apps/authorize/confirm/x",
])
def test_seller_central_hosts_are_allowed(url):
    assert endpoints.is_allowed_amazon_callback(url)


@pytest.mark.parametrize("url", [
    "https://www.amazon.com/apps/authorize/confirm/x",  # the retail site, not Seller Central
    "https://amazon.de/apps/authorize/confirm/x",
    "https://www.amazon.eg/x",
    "http://sellercentral.amazon.com/apps/authorize/confirm/x",  # not https
    "https://sellercentral.amazon.com:8443/x",
    "https://user@sellercentral.amazon.com/x",
    "https://sellercentral.amazon.com.evil.example/x",
    "https://evil.example/https://sellercentral.amazon.com/",
    "https://sellercentral.amazon.com\\@evil.example/",
    "https://[::1/",
    "javascript:alert(1)",
])
def test_anything_else_is_refused(url):
    assert not endpoints.is_allowed_amazon_callback(url)


def test_the_seller_central_table_for_eg_ie_be_sa_za():
    """Amazon's Seller Central URL table (developer-docs.amazon.com/sp-api/docs/seller-central-urls)."""
    expected = {
        "EG": "https://sellercentral.amazon.eg",
        "IE": "https://sellercentral.amazon.ie",
        "BE": "https://sellercentral.amazon.com.be",
        "SA": "https://sellercentral.amazon.sa",
        "ZA": "https://sellercentral.amazon.co.za",
    }
    assert {code: marketplaces.BY_COUNTRY[code].seller_central_url for code in expected} == expected
    assert not any(host.startswith("www.") for host in endpoints.seller_central_hosts())


def test_dashboard_url_is_saleors_setting(settings, monkeypatch):
    monkeypatch.delenv("DASHBOARD_URL", raising=False)
    settings.DASHBOARD_URL = None
    assert endpoints.dashboard_url() is None
    settings.DASHBOARD_URL = "javascript:alert(1)"
    assert endpoints.dashboard_url() is None
    settings.DASHBOARD_URL = None
    monkeypatch.setenv("DASHBOARD_URL", "https://dashboard.example/")  # as Saleor's home page reads it
    assert endpoints.dashboard_url() == "https://dashboard.example"
