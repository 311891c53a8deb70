"""Stores, the connect mutation and small readers for the OAuth tests."""

import io
import itertools

import pytest

from saleor_amazon_channel.core import ids
from saleor_amazon_channel.core.urls import plugin_url
from saleor_amazon_channel.stores.models import AmazonStore, AmazonStoreEvent
from tests.amazon_fixtures import PUBLIC_URL, US

CONNECT = """
mutation Connect($id: ID!) {
  amazonStoreConnect(id: $id) {
    consentUrl
    amazonStore { id status }
    errors { field code message }
  }
}
"""

STORE = """
query Store($id: ID!) {
  amazonStore(id: $id) {
    id status sellingPartnerId authorizedAt authorizationExpiresAt lastCheckedAt lastError
    participations { marketplace { id } storeName isParticipating hasSuspendedListings }
    events { type actor message }
  }
}
"""

CALLBACK_URL = PUBLIC_URL + plugin_url("oauth/callback")
LOGIN_URL = PUBLIC_URL + plugin_url("oauth/login")
START_URL = PUBLIC_URL + plugin_url("oauth/start")
APP_URL = PUBLIC_URL + plugin_url("app/")

_names = itertools.count(1)


def make_store(channel, marketplace_id=US, name=None) -> AmazonStore:
    return AmazonStore.objects.create(
        name=name or f"Amazon store {next(_names)}",
        contact_email="owner@example.com",
        channel=channel,
        marketplace_id=marketplace_id,
        product_id_type="ASIN",
        product_id_source="variant_sku",
    )


def global_id(store) -> str:
    return ids.to_global_id("AmazonStore", store.pk)


def connect_url(api, store) -> str:
    data = api.execute(CONNECT, {"id": global_id(store)})
    payload = data["data"]["amazonStoreConnect"]
    assert payload["errors"] == [], payload
    return payload["consentUrl"]


def events(store, type=None) -> list[AmazonStoreEvent]:
    queryset = AmazonStoreEvent.objects.filter(store=store).order_by("date", "pk")
    if type is not None:
        queryset = queryset.filter(type=type)
    return list(queryset)


def event_types(store) -> list[str]:
    return [event.type for event in events(store)]


def reload(store) -> AmazonStore:
    return AmazonStore.objects.select_related("authorization").get(pk=store.pk)


def callback_url_for(api, store, browser, seller) -> str:
    """Run the consent journey and stop where Amazon sends the browser to our callback."""
    browser.stop_at = CALLBACK_URL
    browser.consent(connect_url(api, store), seller)
    browser.stop_at = None
    assert browser.url.startswith(CALLBACK_URL), browser.url.split("?")[0]
    return browser.url


def open_ours(client, url: str):
    """GET one of our URLs with a Django test client (no redirect following)."""
    return client.get(url[len(PUBLIC_URL):] if url.startswith(PUBLIC_URL) else url)


def result_of(response) -> dict:
    from tests.amazon_fixtures import query_of

    assert response.status_code == 302, (response.status_code, response.content[:300])
    assert response["Location"].startswith(APP_URL), response["Location"].split("?")[0]
    return query_of(response["Location"])


@pytest.fixture
def store(channel_usd):
    """The one ``store`` of the tests: Amazon US on the USD channel, not connected."""
    return make_store(channel_usd, US, name="Amazon US")


DASHBOARD_URL = "http://dashboard.example/dashboard/"


@pytest.fixture
def dashboard(settings, plugin):
    """Saleor knows its Dashboard (DASHBOARD_URL) and the extension is installed: the Log-in URI can
    send an anonymous visitor there. Returns the Dashboard URL."""
    from django.core.management import call_command

    settings.DASHBOARD_URL = DASHBOARD_URL
    call_command("amazon_channel_install_app", stdout=io.StringIO())
    return DASHBOARD_URL


def authorization_ticket(response) -> str:
    """The Log-in URI ticket in the Dashboard URL the Log-in URI redirected to."""
    from tests.amazon_fixtures import query_of

    assert response.status_code == 302, (response.status_code, response.content[:300])
    assert response["Location"].startswith(DASHBOARD_URL + "extensions/app/"), response["Location"].split("?")[0]
    params = query_of(response["Location"])
    assert set(params) == {"amazonAuthorization"}, sorted(params)
    return params["amazonAuthorization"]


AUTHORIZATION_REQUEST = """
query Request($authorization: String!) {
  amazonAuthorizationRequest(authorization: $authorization) {
    sellingPartnerId
    stores { id name }
    marketplace { id }
    errors { field code message }
  }
}
"""

CONNECT_FOR_AMAZON = """
mutation Connect($id: ID!, $authorization: String) {
  amazonStoreConnect(id: $id, amazonAuthorization: $authorization) {
    consentUrl
    errors { field code message }
  }
}
"""


def re_authorize_at_amazon(emulator, browser, seller) -> str:
    """Seller Central's Manage Your Apps > Re-Authorize, up to our Log-in URI's answer (the Dashboard URL);
    returns the request it carries for the extension."""
    from tests.amazon_fixtures import query_of
    from tests.fixtures import APPLICATION_ID

    browser.open(emulator.url + "/apps/manage")
    browser.sign_in(seller)
    assert "Saleor Amazon Channel" in browser.text
    browser.stop_at = DASHBOARD_URL
    browser.post_amazon("/apps/manage/reauthorize", {"application_id": APPLICATION_ID})
    browser.stop_at = None
    assert browser.url.startswith(DASHBOARD_URL), browser.url.split("?")[0]
    return query_of(browser.url)["amazonAuthorization"]


def confirm_in_dashboard(api, browser, store, authorization: str) -> dict:
    """What the extension does once the merchant confirms: start the consent for them, open it in the browser.
    Returns the return page's query."""
    payload = api.execute(CONNECT_FOR_AMAZON, {"id": global_id(store), "authorization": authorization})
    result = payload["data"]["amazonStoreConnect"]
    assert result["errors"] == [], result
    browser.open(result["consentUrl"])
    return browser.result
