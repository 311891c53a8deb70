"""The Log-in URI and the start route: where the browser goes, and what they refuse."""

from datetime import timedelta

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client

from saleor_amazon_channel.consent import state as oauth
from saleor_amazon_channel.consent.models import PendingConnection
from saleor_amazon_channel.stores.models import EventType
from tests.amazon_fixtures import (
    LOGIN_URI,
    REDIRECT_URI,
    SELLER_A,
    SELLER_B,
    SellerBrowser,
    hidden_fields,
    point_settings_at,
    query_of,
    start_emulator,
)

from .helpers import LOGIN_URL, START_URL, connect_url, event_types, global_id, open_ours


def login(client, **params):
    return client.get(LOGIN_URL[len("http://testserver"):], params)


def test_login_uri_sends_the_browser_back_to_amazon_with_our_state(staff_api, store, emulator, seller_browser):
    url = connect_url(staff_api, store)
    login_url = seller_browser.stop_before_login_uri(url, SELLER_A)
    assert login_url.startswith(LOGIN_URI + "?")
    amazon = query_of(login_url)

    page = open_ours(seller_browser.client, login_url)  # the merchant's confirmation: nothing changes yet
    assert page.status_code == 200 and "Location" not in page
    assert page["Referrer-Policy"] == "no-referrer"
    assert PendingConnection.objects.get().expected_seller == ""
    form = hidden_fields(page.content.decode())
    response = seller_browser.client.post(LOGIN_URL[len("http://testserver"):], {**form, "action": "confirm"})

    assert response.status_code == 302
    assert response["Referrer-Policy"] == "no-referrer"
    target = response["Location"]
    assert target.startswith(amazon["amazon_callback_uri"] + "?")
    params = query_of(target)
    assert params["amazon_state"] == amazon["amazon_state"]
    assert params["redirect_uri"] == REDIRECT_URI
    consent_state = query_of(next(u for u in seller_browser.history if "/apps/authorize/consent" in u))["state"]
    assert params["state"] == consent_state  # one consent, one state
    assert "version" not in params
    # The seller the merchant confirmed is remembered: the callback must come back for the same one.
    assert PendingConnection.objects.get().expected_seller == SELLER_A.selling_partner_id


@pytest.mark.parametrize(
    "callback",
    [
        "https://evil.example/apps/authorize/confirm/x",
        "http://sellercentral.amazon.com.evil.example/",
        "javascript:alert(1)",
        "//evil.example/",
        "",
    ],
)
def test_login_uri_only_returns_to_amazon(store, emulator, plugin, callback):
    response = login(Client(), amazon_callback_uri=callback, amazon_state="s", selling_partner_id="A1")
    assert response.status_code == 400
    assert "Location" not in response
    assert b"did not come from Amazon" in response.content


def test_login_uri_without_amazon_state_is_refused(store, emulator, plugin):
    response = login(Client(), amazon_callback_uri=emulator.url + "/apps/authorize/confirm/x", selling_partner_id="A1")
    assert response.status_code == 400 and "Location" not in response


def test_login_uri_with_an_expired_consent_goes_to_the_dashboard(staff_api, store, emulator, seller_browser, dashboard):
    """The cookie's consent lapsed: the browser is an anonymous visitor again."""
    login_url = seller_browser.stop_before_login_uri(connect_url(staff_api, store), SELLER_A)
    PendingConnection.objects.update(created_at=PendingConnection.objects.get().created_at - timedelta(minutes=11))
    response = open_ours(seller_browser.client, login_url)
    assert response.status_code == 302 and response["Location"].startswith(dashboard + "extensions/app/")
    assert "state" not in query_of(response["Location"])


def test_login_uri_with_seller_b_for_a_store_of_seller_a(staff_api, store, emulator, seller_browser):
    seller_browser.consent(connect_url(staff_api, store), SELLER_A)
    other = SellerBrowser(emulator)
    login_url = other.stop_before_login_uri(connect_url(staff_api, store), SELLER_B)
    page = open_ours(other.client, login_url)
    assert page.status_code == 200 and b'data-code="SELLER_MISMATCH"' in page.content
    assert event_types(store)[-1] == EventType.CONNECT_STARTED  # the visit alone changes nothing
    response = other.client.post(LOGIN_URL[len("http://testserver"):],
                                 {**hidden_fields(page.content.decode()), "action": "confirm"})
    assert query_of(response["Location"]) == {
        "connectResult": "error", "reason": "SELLER_MISMATCH", "store": global_id(store)}
    assert event_types(store)[-1] == EventType.CONNECT_FAILED


def test_start_route_refuses_bad_tickets(store, emulator, plugin):
    client = Client()
    for ticket in ("", "forged", "x" * 3000, signing.dumps({"p": 1, "n": "x"}, salt=oauth.STATE_SALT)):
        response = client.get(START_URL[len("http://testserver"):], {"ticket": ticket})
        assert response.status_code == 400
        assert b"not valid" in response.content
        assert not any(name.startswith("amazon_channel_consent") for name in response.cookies)
    assert not PendingConnection.objects.exists()


def test_start_route_refuses_an_expired_ticket(staff_api, store, emulator, monkeypatch):
    url = connect_url(staff_api, store)
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + oauth.TICKET_MAX_AGE + 1)
    response = open_ours(Client(), url)
    assert response.status_code == 400 and b"expired" in response.content
    assert PendingConnection.objects.get().browser_hash == ""


def test_start_route_refuses_a_used_connection(staff_api, store, emulator, seller_browser):
    url = connect_url(staff_api, store)
    seller_browser.consent(url, SELLER_A)
    response = open_ours(Client(), url)
    assert response.status_code == 400 and b"can no longer be used" in response.content


def test_routes_answer_get_only(store, emulator, plugin):
    response = Client().post(START_URL[len("http://testserver"):])
    assert response.status_code == 405 and response["Allow"] == "GET"
    # The Log-in URI takes the confirmation page's POST, and nothing else.
    assert Client().post(LOGIN_URL[len("http://testserver"):]).status_code == 403
    response = Client().put(LOGIN_URL[len("http://testserver"):])
    assert response.status_code == 405 and response["Allow"] == "GET, POST"


# -- draft applications: version=beta, or Amazon says MD1000 ------------------------------


@pytest.fixture
def draft_emulator(settings):
    emu = start_emulator(draft=True)
    point_settings_at(settings, emu)
    cache.clear()
    yield emu
    emu.stop()


def test_draft_application_gets_version_beta_everywhere(staff_api, configure_plugin, store, draft_emulator):
    configure_plugin(active=True, draft_app=True)
    browser = SellerBrowser(draft_emulator)
    browser.consent(connect_url(staff_api, store), SELLER_A)
    assert browser.result["connectResult"] == "connected"
    consent = next(u for u in browser.history if "/apps/authorize/consent" in u)
    confirm = next(u for u in browser.history if "/apps/authorize/confirm/" in u)
    assert query_of(consent)["version"] == "beta" and query_of(confirm)["version"] == "beta"


def test_draft_application_without_the_flag_is_md1000_at_amazon(staff_api, store, draft_emulator):
    """What the draft flag prevents: Amazon's own MD1000 page (it never reaches us)."""
    browser = SellerBrowser(draft_emulator)
    browser.open(connect_url(staff_api, store))
    assert browser.last[0] == 400 and "MD1000" in browser.text


def test_unregistered_redirect_uri_would_be_md5101(staff_api, store, emulator, settings):
    """Our redirect_uri is exactly the registered one; any other host is refused by Amazon."""
    settings.PUBLIC_URL = "http://other-host"
    browser = SellerBrowser(emulator)
    url = connect_url(staff_api, store).replace("http://other-host", "http://testserver")
    browser.open(url)
    assert "MD5101" in browser.text


def test_start_route_refuses_the_link_of_a_deactivated_user(staff_api, staff_user, store, emulator):
    """The start link belongs to the user who asked for it: once they are deactivated it binds nothing."""
    url = connect_url(staff_api, store)
    type(staff_user).objects.filter(pk=staff_user.pk).update(is_active=False)
    response = open_ours(Client(), url)
    assert response.status_code == 400 and b"active Saleor user" in response.content
    assert not any(name.startswith("amazon_channel_consent") for name in response.cookies)
    assert PendingConnection.objects.get().browser_hash == ""


def test_start_link_opened_twice_binds_only_the_first_browser(staff_api, store, emulator):
    url = connect_url(staff_api, store)
    first, second = open_ours(Client(), url), open_ours(Client(), url)
    assert first.status_code == 302 and any(n.startswith("amazon_channel_consent_") for n in first.cookies)
    assert second.status_code == 400 and b"can no longer be used" in second.content
    assert not second.cookies
