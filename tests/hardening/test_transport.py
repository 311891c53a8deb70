"""Secrets travel to Amazon over https only; the LWA client secret may live outside the plugin table."""

import pytest
from django.test import Client

from saleor_amazon_channel.amazon import endpoints, lwa
from saleor_amazon_channel.checks import check_amazon_urls
from saleor_amazon_channel.core import config as plugin_config
from saleor_amazon_channel.core.config import AmazonChannelConfig
from saleor_amazon_channel.core.host import get_host
from tests.fixtures import APPLICATION_ID, CLIENT_ID

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", endpoints.OVERRIDES)
def test_http_override_outside_debug_is_a_check_error_and_refused_at_use(settings, name):
    settings.DEBUG = False
    setattr(settings, name, "http://amazon-proxy.example.com")
    assert [m.id for m in check_amazon_urls()] == ["saleor_amazon_channel.E001"]
    assert name in check_amazon_urls()[0].msg
    with pytest.raises(endpoints.InsecureAmazonUrl):
        endpoints._setting(name)


def test_no_secret_is_sent_to_an_http_token_url(settings, emulator):
    settings.DEBUG = False
    settings.AMAZON_CHANNEL_LWA_TOKEN_URL = "http://amazon-proxy.example.com/auth/o2/token"
    config = AmazonChannelConfig(application_id=APPLICATION_ID, client_id=CLIENT_ID, client_secret="s3cret")
    with pytest.raises(endpoints.InsecureAmazonUrl):
        lwa.exchange_code(config, "code", "https://example.com/cb")


@pytest.mark.parametrize(
    "url", ["https://sellingpartnerapi-na.amazon.com", "http://127.0.0.1:8123", "http://localhost:9000", "http://[::1]:80"]
)
def test_https_and_loopback_are_fine(settings, url):
    settings.DEBUG = False
    settings.AMAZON_CHANNEL_SP_API_URL = url
    assert check_amazon_urls() == []
    assert endpoints.sp_api_url("NA") == url


def test_debug_allows_http(settings):
    settings.DEBUG = True
    settings.AMAZON_CHANNEL_SELLER_CENTRAL_URL = "http://emulator.internal:8000"
    assert check_amazon_urls() == []


def test_consent_start_with_an_http_seller_central_is_refused_not_500(settings, staff_api, channel_usd):
    from tests.consent.helpers import connect_url, make_store, open_ours

    url = connect_url(staff_api, make_store(channel_usd))
    settings.DEBUG = False
    settings.AMAZON_CHANNEL_SELLER_CENTRAL_URL = "http://sellercentral.example.com"
    response = open_ours(Client(), url)
    assert response.status_code == 503
    assert response.json()["errors"][0]["extensions"]["exception"]["code"] == "InsecureAmazonUrl"


@pytest.mark.parametrize("where", ["setting", "environment"])
def test_client_secret_from_outside_the_plugin_table(settings, monkeypatch, configure_plugin, where):
    configure_plugin(active=True, application_id=APPLICATION_ID, lwa_client_id=CLIENT_ID, lwa_client_secret="")
    if where == "setting":
        settings.AMAZON_CHANNEL_LWA_CLIENT_SECRET = "from-settings"
    else:
        monkeypatch.setenv("AMAZON_CHANNEL_LWA_CLIENT_SECRET", "from-environment")
    config = get_host().get_config()
    assert config.client_secret == f"from-{'settings' if where == 'setting' else 'environment'}"
    assert config.client_secret_source == where
    assert config.is_complete
    assert "AMAZON_CHANNEL_LWA_CLIENT_SECRET" in plugin_config.secret_source_label(config)
    assert plugin_config.validate(
        {"application_id": APPLICATION_ID, "lwa_client_id": CLIENT_ID, "lwa_client_secret": ""}, active=True
    ) == {}
    assert "from-" not in repr(config)


def test_client_secret_from_the_plugin_page_says_so(plugin):
    config = get_host().get_config()
    assert config.client_secret_source == "plugin"
    assert plugin_config.secret_source_label(config) == "The LWA client secret field above."


def test_graphql_field_needing_an_http_seller_central_says_why(settings, staff_api):
    settings.DEBUG = False
    settings.AMAZON_CHANNEL_SELLER_CENTRAL_URL = "http://sellercentral.example.com"
    body = staff_api.execute("{ amazonMarketplaces { id sellerCentralUrl } }")
    error = body["errors"][0]
    assert error["extensions"]["exception"]["code"] == "InsecureAmazonUrl"
    assert "http://" not in error["message"]
