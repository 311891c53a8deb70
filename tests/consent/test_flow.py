"""The whole consent journey over real HTTP: our routes, the emulated Seller Central, LWA and SP-API."""

from datetime import timedelta
from urllib.parse import urlsplit

from saleor_amazon_channel.consent.models import PendingConnection
from saleor_amazon_channel.core import urls
from saleor_amazon_channel.stores.models import EventType
from tests.amazon_fixtures import CA, REDIRECT_URI, SELLER_A, US, query_of
from tests.fixtures import APPLICATION_ID

from .helpers import CALLBACK_URL, START_URL, STORE, connect_url, event_types, events, global_id, make_store, reload


def test_connect_a_store(staff_api, staff_user, store, emulator, seller_browser):
    url = connect_url(staff_api, store)
    assert url.startswith(START_URL + "?ticket=")

    seller_browser.consent(url, SELLER_A)

    assert seller_browser.result == {"connectResult": "connected", "store": global_id(store)}
    store = reload(store)
    authorization = store.authorization
    assert (authorization.selling_partner_id, authorization.region) == (SELLER_A.selling_partner_id, "NA")
    assert authorization.refresh_token.startswith("Atzr|")
    assert "Atzr|" not in authorization.encrypted_refresh_token
    assert authorization.expires_at - authorization.authorized_at == timedelta(days=365)
    assert {p["marketplaceId"]: p["isParticipating"] for p in authorization.participations} == {
        US: True, CA: True, "A1AM78C64UM0Y8": False,
    }
    assert event_types(store) == [EventType.CONNECT_STARTED, EventType.CONNECTED]
    connected = events(store, EventType.CONNECTED)[0]
    assert connected.user_id == staff_user.pk and connected.authorization_id == authorization.pk

    data = staff_api.execute(STORE, {"id": global_id(store)})["data"]["amazonStore"]
    assert data["status"] == "CONNECTED"
    assert data["sellingPartnerId"] == SELLER_A.selling_partner_id
    assert data["authorizedAt"] and data["authorizationExpiresAt"] and data["lastError"] is None
    assert {p["marketplace"]["id"] for p in data["participations"]} == {US, CA, "A1AM78C64UM0Y8"}


def test_the_journey_uses_the_documented_parameters(staff_api, store, emulator, seller_browser):
    url = connect_url(staff_api, store)
    seller_browser.consent(url, SELLER_A)
    history = seller_browser.history

    consent = next(u for u in history if u.startswith(emulator.url + "/apps/authorize/consent"))
    params = query_of(consent)
    assert set(params) == {"application_id", "state", "redirect_uri"}  # no version=beta: not a draft
    assert params["application_id"] == APPLICATION_ID
    assert params["redirect_uri"] == REDIRECT_URI and "#" not in params["redirect_uri"]

    login = next(u for u in history if u.startswith("http://testserver/plugins/global/saleor_amazon_channel/oauth/login"))
    assert set(query_of(login)) == {"amazon_callback_uri", "amazon_state", "selling_partner_id"}

    confirm = next(u for u in history if u.startswith(emulator.url + "/apps/authorize/confirm/"))
    confirm_params = query_of(confirm)
    assert confirm_params["amazon_state"] == query_of(login)["amazon_state"]
    assert confirm_params["state"] == params["state"]
    assert confirm_params["redirect_uri"] == REDIRECT_URI
    assert "version" not in confirm_params

    callback = next(u for u in history if u.startswith(CALLBACK_URL))
    assert set(query_of(callback)) == {"state", "selling_partner_id", "spapi_oauth_code"}


def consent_cookie(response):
    names = [name for name in response.cookies if name.startswith("amazon_channel_consent_")]
    assert len(names) == 1, names
    return response.cookies[names[0]]


def test_start_route_binds_the_browser_with_a_strict_cookie(staff_api, store, emulator):
    from django.test import Client

    client = Client()
    url = connect_url(staff_api, store)
    response = client.get(url[len("http://testserver"):])
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/apps/authorize/consent"
    assert response["Location"].startswith(emulator.url)
    assert response["Referrer-Policy"] == "no-referrer"
    cookie = consent_cookie(response)
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and not cookie["secure"]
    assert cookie["path"] == "/plugins/global/saleor_amazon_channel/oauth/"
    assert 0 < int(cookie["max-age"]) <= 600
    # The row keeps a hash of the value, never the value; the state does not carry it either.
    pending = PendingConnection.objects.get()
    assert pending.browser_hash and pending.browser_hash != cookie.value
    assert cookie.value not in response["Location"]


def test_the_cookie_follows_a_public_url_path_prefix_and_https(staff_api, store, emulator, settings):
    """Behind a proxy serving Saleor under https://shop.example/api/, the browser sees the prefixed path."""
    from django.test import Client

    from saleor_amazon_channel.consent import service as oauth

    settings.PUBLIC_URL = "https://shop.example/api/"
    assert oauth.cookie_path() == urlsplit(urls.redirect_uri()).path.rsplit("/", 1)[0] + "/"
    url = connect_url(staff_api, store)
    path = urlsplit(url).path.removeprefix(urlsplit(settings.PUBLIC_URL).path.rstrip("/"))
    response = Client().get(path + "?" + urlsplit(url).query)
    cookie = consent_cookie(response)
    assert cookie["path"] == "/api/plugins/global/saleor_amazon_channel/oauth/"
    assert cookie["secure"]


def test_callback_answers_with_no_referrer(staff_api, store, emulator, seller_browser):
    seller_browser.stop_at = CALLBACK_URL
    seller_browser.consent(connect_url(staff_api, store), SELLER_A)
    response = seller_browser.client.get(seller_browser.url[len("http://testserver"):])
    assert response.status_code == 302
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "no-store"
    assert query_of(response["Location"])["connectResult"] == "connected"


def test_an_eu_store_consents_at_the_eu_seller_central(staff_api, channel_usd, emulator, seller_browser):
    from tests.amazon_fixtures import GB, SELLER_EU

    uk = make_store(channel_usd, GB, name="Amazon UK")
    seller_browser.consent(connect_url(staff_api, uk), SELLER_EU)
    assert seller_browser.result["connectResult"] == "connected"
    authorization = reload(uk).authorization
    assert (authorization.selling_partner_id, authorization.region) == (SELLER_EU.selling_partner_id, "EU")


def test_without_a_log_in_uri_amazon_returns_straight_to_the_callback(staff_api, store, settings):
    """Amazon's 2021 flow (an application with no Log-in URI): the consent page's state comes back as is."""
    from django.core.cache import cache

    from tests.amazon_fixtures import SellerBrowser, point_settings_at, start_emulator

    emu = start_emulator(login_uri=None)
    try:
        point_settings_at(settings, emu)
        cache.clear()
        browser = SellerBrowser(emu)
        browser.consent(connect_url(staff_api, store), SELLER_A)
        assert browser.result == {"connectResult": "connected", "store": global_id(store)}
        assert not any("/oauth/login" in url for url in browser.history)
    finally:
        emu.stop()


def test_a_head_request_does_not_use_up_the_state(staff_api, store, emulator, seller_browser):
    from django.test import Client

    from .helpers import callback_url_for, open_ours, result_of

    url = callback_url_for(staff_api, store, seller_browser, SELLER_A)
    assert Client().head(url[len("http://testserver"):]).status_code == 405
    assert result_of(open_ours(seller_browser.client, url))["connectResult"] == "connected"
