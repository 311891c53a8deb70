"""Issue 16: what a third party can make the merchant's browser load must neither complete nor change a consent.

Real HTTP against the emulator for Amazon's side; the merchant's browser is a Django test client holding the
consent cookie its start link set. The attacker has their own Amazon seller account (seller B) and no Saleor account.
"""

import re

import requests
from django.test import Client

from saleor_amazon_channel.consent.models import PendingConnection
from saleor_amazon_channel.stores.models import EventType
from tests.amazon_fixtures import SELLER_A, SELLER_B, SellerBrowser, consent_at_amazon, query_of

from .helpers import (
    CALLBACK_URL,
    LOGIN_URL,
    connect_url,
    event_types,
    make_store,
    open_ours,
    reload,
    result_of,
)


def attackers_log_in_uri(emulator, seller=SELLER_B) -> str:
    """The attacker consents with their own seller account in their own browser and keeps the Log-in URI
    Amazon redirects to, without following it."""
    with requests.Session() as http:
        http.trust_env = False
        response = consent_at_amazon(http, emulator, seller, "attackers-own-state")
        assert response.status_code == 302
        assert response.headers["Location"].startswith(LOGIN_URL)
        return response.headers["Location"]


def merchant_on_our_confirmation(staff_api, store, emulator) -> SellerBrowser:
    """The merchant consented at Amazon as seller A and stands on the plugin's confirmation page, unconfirmed."""
    merchant = merchant_clicks_connect(staff_api, store, emulator)
    merchant.open(merchant.seller_central)
    merchant.sign_in(SELLER_A)
    merchant.auto_confirm = False
    merchant.agree()
    return merchant


def merchant_clicks_connect(staff_api, store, emulator) -> SellerBrowser:
    """The merchant clicked Connect store: the start link set the consent cookie; the tab is at Seller Central."""
    browser = SellerBrowser(emulator)
    start = open_ours(browser.client, connect_url(staff_api, store))
    assert start.status_code == 302 and start["Location"].startswith(emulator.url)
    browser.seller_central = start["Location"]
    return browser


def merchant_finishes(browser, seller=SELLER_A) -> dict:
    """The merchant goes on in Seller Central and confirms on the plugin's page (the browser's one click)."""
    browser.open(browser.seller_central)
    if "I understand" not in browser.text:
        browser.sign_in(seller)
    browser.agree()
    return browser.result


def pending_row():
    return PendingConnection.objects.get()


def test_a_third_partys_log_in_uri_neither_continues_nor_binds_the_merchants_consent(
    staff_api, channel_usd, emulator
):
    store = make_store(channel_usd, name="Victim US")
    merchant = merchant_clicks_connect(staff_api, store, emulator)
    attack = attackers_log_in_uri(emulator)

    # Any page the merchant visits navigates their browser to the attacker's Log-in URI (top-level, cookie sent).
    response = open_ours(merchant.client, attack)

    assert "Location" not in response, "the Log-in URI sent the merchant's state back to Amazon"
    assert response.status_code == 200
    page = response.content.decode()
    assert SELLER_B.selling_partner_id in page and "Victim US" in page  # what the merchant is asked to confirm
    pending = pending_row()
    assert pending.expected_seller == "" and pending.consumed_at is None
    assert reload(store).authorization_id is None
    assert EventType.CONNECT_FAILED not in event_types(store)

    # The merchant's own consent still goes through, for their own seller.
    assert merchant_finishes(merchant)["connectResult"] == "connected"
    assert reload(store).authorization.selling_partner_id == SELLER_A.selling_partner_id


def test_a_third_partys_log_in_uri_does_not_use_up_a_renewal(staff_api, channel_usd, emulator, seller_browser):
    store = make_store(channel_usd, name="Victim US")
    seller_browser.consent(connect_url(staff_api, store), SELLER_A)
    assert seller_browser.result["connectResult"] == "connected"
    merchant = merchant_clicks_connect(staff_api, store, emulator)  # Reconnect

    response = open_ours(merchant.client, attackers_log_in_uri(emulator))

    assert "Location" not in response
    renewal = PendingConnection.objects.latest("pk")
    assert renewal.consumed_at is None and renewal.expected_seller == ""
    assert event_types(store)[-1] == EventType.CONNECT_STARTED
    assert merchant_finishes(merchant)["connectResult"] == "connected"
    assert event_types(store)[-1] == EventType.RENEWED


def test_a_cross_site_access_denied_without_state_cancels_nothing(staff_api, channel_usd, emulator):
    store = make_store(channel_usd, name="Victim US")
    merchant = merchant_clicks_connect(staff_api, store, emulator)

    response = open_ours(merchant.client, CALLBACK_URL + "?error=access_denied")

    assert result_of(response).get("store", "") == ""
    assert pending_row().consumed_at is None
    assert event_types(store) == [EventType.CONNECT_STARTED]
    assert merchant_finishes(merchant)["connectResult"] == "connected"


def test_junk_consent_cookies_do_not_push_the_merchants_consent_out(staff_api, channel_usd, emulator):
    store = make_store(channel_usd, name="Victim US")
    merchant = merchant_clicks_connect(staff_api, store, emulator)
    real = pending_row().pk
    for i in range(40):
        merchant.client.cookies[f"amazon_channel_consent_{real + 1000 + i}"] = f"junk{i}"

    assert merchant_finishes(merchant)["connectResult"] == "connected"


def test_the_confirmation_is_a_same_origin_post_with_its_token(staff_api, channel_usd, emulator):
    merchant = merchant_on_our_confirmation(staff_api, make_store(channel_usd, name="<b>Victim</b> US"), emulator)
    status, url, page = merchant.last
    assert status == 200 and url.startswith(LOGIN_URL), (status, url.split("?")[0])
    assert "<b>Victim</b>" not in page and "&lt;b&gt;Victim&lt;/b&gt; US" in page  # auto-escaped
    assert SELLER_A.selling_partner_id in page
    assert merchant.last_headers["X-Frame-Options"] == "DENY"
    form = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    path = LOGIN_URL[len("http://testserver"):]

    # Another browser (no cookie), a missing or wrong token, a cross-site POST: refused, nothing changes.
    assert Client().post(path, {**form, "action": "confirm"}).status_code == 403
    assert merchant.client.post(path, {"request": form["request"], "action": "confirm"}).status_code == 403
    assert merchant.client.post(path, {**form, "csrf": "x" + form["csrf"][1:], "action": "confirm"}).status_code == 403
    cross_site = merchant.client.post(path, {**form, "action": "confirm"}, HTTP_SEC_FETCH_SITE="cross-site")
    assert cross_site.status_code == 403
    assert pending_row().expected_seller == "" and pending_row().consumed_at is None

    response = merchant.client.post(path, {**form, "action": "confirm"}, HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 302 and response["Location"].startswith(emulator.url + "/apps/authorize/confirm/")
    assert query_of(response["Location"])["state"]
    assert pending_row().expected_seller == SELLER_A.selling_partner_id
    merchant.open(response["Location"])
    assert merchant.result["connectResult"] == "connected"


def test_the_merchant_can_cancel_on_the_confirmation_page(staff_api, channel_usd, emulator):
    store = make_store(channel_usd, name="Victim US")
    merchant = merchant_clicks_connect(staff_api, store, emulator)
    merchant.auto_confirm = "cancel"
    assert merchant_finishes(merchant) == {"connectResult": "cancelled", "reason": "CANCELLED",
                                           "store": merchant.result["store"]}
    assert pending_row().consumed_at is not None
    assert reload(store).authorization_id is None


def test_a_deactivated_requestor_does_not_complete_the_consent(staff_api, staff_user, channel_usd, emulator):
    store = make_store(channel_usd, name="Amazon US")
    merchant = merchant_clicks_connect(staff_api, store, emulator)
    merchant.stop_at = CALLBACK_URL
    merchant_browser_url = merchant.seller_central
    merchant.open(merchant_browser_url)
    merchant.sign_in(SELLER_A)
    merchant.agree()
    assert merchant.url.startswith(CALLBACK_URL)
    type(staff_user).objects.filter(pk=staff_user.pk).update(is_active=False)

    result = result_of(open_ours(merchant.client, merchant.url))

    assert result["connectResult"] == "error"
    assert reload(store).authorization_id is None
    assert emulator.state.lwa_calls_by_grant.get("authorization_code", 0) == 0  # the code never reached LWA
    assert event_types(store)[-1] == EventType.CONNECT_FAILED


def test_a_requestor_who_lost_manage_channels_does_not_complete_the_consent(
    staff_api, staff_user, set_staff_permissions, channel_usd, emulator
):
    store = make_store(channel_usd, name="Amazon US")
    merchant = merchant_clicks_connect(staff_api, store, emulator)
    merchant.stop_at = CALLBACK_URL
    merchant.open(merchant.seller_central)
    merchant.sign_in(SELLER_A)
    merchant.agree()
    set_staff_permissions(staff_user, ("MANAGE_ORDERS",))

    result = result_of(open_ours(merchant.client, merchant.url))

    assert result["connectResult"] == "error"
    assert reload(store).authorization_id is None
    assert emulator.state.lwa_calls_by_grant.get("authorization_code", 0) == 0


def test_a_requestor_who_lost_manage_channels_cannot_confirm_either(
    staff_api, staff_user, set_staff_permissions, channel_usd, emulator
):
    store = make_store(channel_usd, name="Amazon US")
    merchant = merchant_clicks_connect(staff_api, store, emulator)
    merchant.open(merchant.seller_central)
    merchant.sign_in(SELLER_A)
    set_staff_permissions(staff_user, ())
    merchant.agree()
    assert merchant.result["connectResult"] == "error"
    assert pending_row().expected_seller == ""
    assert reload(store).authorization_id is None


def test_a_post_from_another_origin_is_refused_and_a_null_origin_proves_nothing(staff_api, channel_usd, emulator):
    merchant = merchant_on_our_confirmation(staff_api, make_store(channel_usd, name="Victim US"), emulator)
    form = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', merchant.text))
    path = LOGIN_URL[len("http://testserver"):]
    refused = merchant.client.post(path, {**form, "action": "confirm"}, HTTP_ORIGIN="https://evil.example")
    assert refused.status_code == 403 and pending_row().expected_seller == ""
    # Under Referrer-Policy: no-referrer a browser posts "Origin: null" from our own page.
    response = merchant.client.post(path, {**form, "action": "confirm"}, HTTP_ORIGIN="null")
    assert response.status_code == 302 and pending_row().expected_seller == SELLER_A.selling_partner_id
