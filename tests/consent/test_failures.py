"""Every way a consent can fail: a clear reason on the return page, an audit event, nothing lost, never a 500."""

import pytest
from django.core import signing
from django.test import Client

from saleor_amazon_channel.authorizations.models import SellerAuthorization
from saleor_amazon_channel.consent import service
from saleor_amazon_channel.consent.models import PendingConnection
from saleor_amazon_channel.stores.models import EventType
from tests.amazon_fixtures import CA, MX, PUBLIC_URL, SELLER_A, SELLER_B, US, query_of

from .helpers import (
    CALLBACK_URL,
    callback_url_for,
    connect_url,
    event_types,
    events,
    global_id,
    make_store,
    open_ours,
    reload,
    result_of,
)


def assert_failed(store, reason, result, outcome="error"):
    assert result["connectResult"] == outcome
    assert result["reason"] == reason
    assert result["store"] == global_id(store)
    failure = events(store, EventType.CONNECT_FAILED)[-1]
    assert failure.parameters["reason"] == reason
    assert failure.message


def assert_unchanged_and_unlinked(store):
    store = reload(store)
    assert store.authorization_id is None and store.last_error_code == ""
    assert not SellerAuthorization.objects.exists()


# -- the state ---------------------------------------------------------------------


def test_replayed_callback_is_state_used(staff_api, store, emulator, seller_browser):
    url = callback_url_for(staff_api, store, seller_browser, SELLER_A)
    assert result_of(open_ours(seller_browser.client, url))["connectResult"] == "connected"
    before = reload(store).authorization.authorized_at

    result = result_of(open_ours(seller_browser.client, url))

    assert_failed(store, "STATE_USED", result)
    assert reload(store).authorization.authorized_at == before


def test_forged_state_is_state_invalid(store, emulator, plugin):
    for state in ("forged", signing.dumps({"p": 1, "n": "x"}, salt="another.salt"), "a" * 5000, ""):
        result = result_of(Client().get(CALLBACK_URL[len("http://testserver"):],
                                        {"state": state, "selling_partner_id": "A1", "spapi_oauth_code": "c"}))
        assert result == {"connectResult": "error", "reason": "STATE_INVALID", "store": ""}


def test_missing_state_is_state_invalid(plugin, settings):
    settings.PUBLIC_URL = PUBLIC_URL  # the result page is read back from an absolute URL
    result = result_of(Client().get(CALLBACK_URL[len("http://testserver"):], {"spapi_oauth_code": "code"}))
    assert result["reason"] == "STATE_INVALID"


def test_tampered_state_is_state_invalid(staff_api, store, emulator, seller_browser):
    url = callback_url_for(staff_api, store, seller_browser, SELLER_A)
    params = query_of(url)
    params["state"] = params["state"][:-2] + ("AA" if not params["state"].endswith("AA") else "BB")
    result = result_of(seller_browser.client.get(CALLBACK_URL[len("http://testserver"):], params))
    assert result["reason"] == "STATE_INVALID"
    assert_unchanged_and_unlinked(store)


def test_state_past_ten_minutes_is_expired(staff_api, store, emulator, seller_browser, monkeypatch):
    url = callback_url_for(staff_api, store, seller_browser, SELLER_A)
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + 601)
    result = result_of(open_ours(seller_browser.client, url))
    assert_failed(store, "STATE_EXPIRED", result)
    assert_unchanged_and_unlinked(store)


def test_pending_connection_past_ten_minutes_is_expired(staff_api, store, emulator, seller_browser):
    from datetime import timedelta

    url = callback_url_for(staff_api, store, seller_browser, SELLER_A)
    PendingConnection.objects.update(created_at=PendingConnection.objects.get().created_at - timedelta(minutes=11))
    assert_failed(store, "STATE_EXPIRED", result_of(open_ours(seller_browser.client, url)))


def test_store_deleted_during_consent(staff_api, store, emulator, seller_browser):
    url = callback_url_for(staff_api, store, seller_browser, SELLER_A)
    store.delete()
    result = result_of(open_ours(seller_browser.client, url))
    assert result["reason"] == "STORE_NOT_FOUND"
    assert not SellerAuthorization.objects.exists()


# -- the seller's answer ---------------------------------------------------------------


def test_seller_cancels(staff_api, store, emulator, seller_browser):
    seller_browser.open(connect_url(staff_api, store))
    seller_browser.sign_in(SELLER_A)
    seller_browser.cancel()
    assert_failed(store, "CANCELLED", seller_browser.result, outcome="cancelled")
    assert_unchanged_and_unlinked(store)


@pytest.mark.parametrize("error, reason", [("server_error", "AMAZON_ERROR"), ("MD5101", "AMAZON_MD5101"),
                                          ("MD1000", "AMAZON_MD1000"), ("MD5110", "AMAZON_MD5110")])
def test_error_from_amazon(staff_api, store, emulator, seller_browser, error, reason):
    url = callback_url_for(staff_api, store, seller_browser, SELLER_A)
    params = query_of(url)
    result = result_of(seller_browser.client.get(CALLBACK_URL[len("http://testserver"):],
                                    {"state": params["state"], "error": error, "error_description": "<b>x</b>"}))
    assert_failed(store, reason, result)
    assert_unchanged_and_unlinked(store)


def test_callback_without_code(staff_api, store, emulator, seller_browser):
    params = query_of(callback_url_for(staff_api, store, seller_browser, SELLER_A))
    result = result_of(seller_browser.client.get(CALLBACK_URL[len("http://testserver"):], {"state": params["state"]}))
    assert_failed(store, "AMAZON_ERROR", result)


# -- LWA and SP-API ---------------------------------------------------------------


@pytest.mark.parametrize(
    "target, fault, reason",
    [
        ("lwa", {"error": "invalid_grant"}, "INVALID_GRANT"),
        ("lwa", {"error": "invalid_client"}, "INVALID_CLIENT"),
        ("lwa", {"error": "unauthorized_client"}, "UNAUTHORIZED_CLIENT"),
        ("lwa", {"status": 500}, "AMAZON_UNAVAILABLE"),
        ("lwa", {"error": "temporarily_unavailable"}, "AMAZON_UNAVAILABLE"),
        ("sp-api", {"error": "Unauthorized", "count": 5}, "SP_API_FORBIDDEN"),
        ("sp-api", {"error": "QuotaExceeded", "count": 10}, "SP_API_THROTTLED"),
        ("sp-api", {"status": 503, "count": 10}, "AMAZON_UNAVAILABLE"),
        ("sp-api", {"status": 500, "count": 10}, "AMAZON_UNAVAILABLE"),
    ],
)
def test_amazon_api_failures(staff_api, store, emulator, seller_browser, settings, target, fault, reason):
    settings.AMAZON_CHANNEL_HTTP_RETRY_BUDGET = 1.0
    url = callback_url_for(staff_api, store, seller_browser, SELLER_A)
    emulator.inject_fault(target, **fault)
    assert_failed(store, reason, result_of(open_ours(seller_browser.client, url)))
    assert_unchanged_and_unlinked(store)


def test_lwa_timeout(staff_api, store, emulator, seller_browser, settings):
    settings.AMAZON_CHANNEL_HTTP_TIMEOUT = (2, 0.3)
    url = callback_url_for(staff_api, store, seller_browser, SELLER_A)
    emulator.inject_fault("lwa", delay=1.0)
    before = emulator.state.requests["lwa"]
    assert_failed(store, "AMAZON_UNAVAILABLE", result_of(open_ours(seller_browser.client, url)))
    assert emulator.state.requests["lwa"] == before + 1  # a code is never sent twice
    assert_unchanged_and_unlinked(store)


def test_sp_api_timeout(staff_api, store, emulator, seller_browser, settings):
    settings.AMAZON_CHANNEL_HTTP_TIMEOUT = (2, 0.3)
    settings.AMAZON_CHANNEL_HTTP_RETRY_BUDGET = 1.0
    url = callback_url_for(staff_api, store, seller_browser, SELLER_A)
    emulator.inject_fault("sp-api", delay=1.0, count=5)
    assert_failed(store, "AMAZON_UNAVAILABLE", result_of(open_ours(seller_browser.client, url)))


def test_one_sp_api_hiccup_is_retried_and_the_store_connects(staff_api, store, emulator, seller_browser):
    url = callback_url_for(staff_api, store, seller_browser, SELLER_A)
    emulator.inject_fault("sp-api", status=503)
    assert result_of(open_ours(seller_browser.client, url))["connectResult"] == "connected"


def test_code_used_twice_is_invalid_grant(staff_api, store, emulator, seller_browser):
    """The same code with a fresh state (a code captured and replayed): LWA refuses it."""
    url = callback_url_for(staff_api, store, seller_browser, SELLER_A)
    assert result_of(open_ours(seller_browser.client, url))["connectResult"] == "connected"
    other = make_store(store.channel, CA, name="Amazon CA")
    second = callback_url_for(staff_api, other, seller_browser, SELLER_A)
    params = query_of(second)
    params["spapi_oauth_code"] = query_of(url)["spapi_oauth_code"]
    result = result_of(seller_browser.client.get(CALLBACK_URL[len("http://testserver"):], params))
    assert_failed(other, "INVALID_GRANT", result)
    assert reload(other).authorization_id is None


# -- marketplaces and sellers -------------------------------------------------------


def test_marketplace_not_participating_discards_the_token(staff_api, channel_usd, emulator, seller_browser):
    mexico = make_store(channel_usd, MX, name="Amazon MX")
    seller_browser.consent(connect_url(staff_api, mexico), SELLER_A)
    assert_failed(mexico, "MARKETPLACE_NOT_PARTICIPATING", seller_browser.result)
    assert_unchanged_and_unlinked(mexico)


def test_marketplace_not_participating_still_renews_the_sibling_stores(staff_api, store, channel_usd, emulator,
                                                                       seller_browser):
    seller_browser.consent(connect_url(staff_api, store), SELLER_A)
    first = reload(store).authorization
    mexico = make_store(channel_usd, MX, name="Amazon MX")

    seller_browser.consent(connect_url(staff_api, mexico), SELLER_A, signed_in=True)

    assert_failed(mexico, "MARKETPLACE_NOT_PARTICIPATING", seller_browser.result)
    assert reload(mexico).authorization_id is None
    renewed = SellerAuthorization.objects.get()
    assert renewed.pk == first.pk and renewed.authorized_at > first.authorized_at
    assert event_types(store)[-1] == EventType.RENEWED


def test_a_store_of_seller_a_rejects_seller_b_before_any_code_is_issued(staff_api, store, emulator, seller_browser):
    seller_browser.consent(connect_url(staff_api, store), SELLER_A)
    before = reload(store).authorization
    codes = emulator.state.snapshot()["codes_issued"]

    second = type(seller_browser)(emulator)
    second.consent(connect_url(staff_api, store), SELLER_B)

    assert_failed(store, "SELLER_MISMATCH", second.result)
    assert emulator.state.snapshot()["codes_issued"] == codes
    after = reload(store).authorization
    assert (after.pk, after.authorized_at, after.encrypted_refresh_token) == (
        before.pk, before.authorized_at, before.encrypted_refresh_token)
    assert SellerAuthorization.objects.count() == 1


def test_seller_mismatch_is_also_caught_at_the_callback(staff_api, store, emulator, seller_browser):
    """When the Log-in URI step is skipped (Amazon's 2021 flow), the callback refuses seller B itself."""
    seller_browser.consent(connect_url(staff_api, store), SELLER_A)
    second = type(seller_browser)(emulator)
    url = callback_url_for(staff_api, store, second, SELLER_A)  # a state for this store...
    params = query_of(url)
    params["selling_partner_id"] = SELLER_B.selling_partner_id  # ...answered for seller B
    result = result_of(second.client.get(CALLBACK_URL[len("http://testserver"):], params))
    assert_failed(store, "SELLER_MISMATCH", result)
    assert reload(store).authorization.selling_partner_id == SELLER_A.selling_partner_id


def test_one_seller_marketplace_feeds_one_store(staff_api, store, channel_usd, emulator, seller_browser):
    seller_browser.consent(connect_url(staff_api, store), SELLER_A)
    twin = make_store(channel_usd, US, name="Amazon US again")
    seller_browser.consent(connect_url(staff_api, twin), SELLER_A, signed_in=True)
    assert_failed(twin, "SELLER_ALREADY_CONNECTED", seller_browser.result)
    assert reload(twin).authorization_id is None
    assert reload(store).authorization.selling_partner_id == SELLER_A.selling_partner_id


def test_plugin_configuration_removed_during_consent(staff_api, store, emulator, seller_browser, configure_plugin):
    url = callback_url_for(staff_api, store, seller_browser, SELLER_A)
    configure_plugin(active=True, lwa_client_secret="")
    assert_failed(store, "PLUGIN_NOT_CONFIGURED", result_of(open_ours(seller_browser.client, url)))


def test_unexpected_crash_is_a_page_not_a_500(staff_api, store, emulator, seller_browser, monkeypatch):
    url = callback_url_for(staff_api, store, seller_browser, SELLER_A)

    def crash(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(service.connections, "complete_connection", crash)
    result = result_of(open_ours(seller_browser.client, url))
    assert result["reason"] == "INTERNAL_ERROR"


def test_cancel_without_state_changes_nothing(staff_api, store, emulator, seller_browser):
    """Issue 16: a cross-site ``?error=access_denied`` names no consent, so it cancels none (not even through the
    browser's cookie); Amazon's own cancel carries our state."""
    seller_browser.open(connect_url(staff_api, store))  # the start route sets the cookie
    response = seller_browser.client.get(CALLBACK_URL[len("http://testserver"):], {"error": "access_denied"})
    assert result_of(response) == {"connectResult": "error", "reason": "STATE_INVALID", "store": ""}
    assert PendingConnection.objects.get().consumed_at is None
    assert EventType.CONNECT_FAILED not in event_types(store)


def test_a_success_without_state_is_never_matched_through_the_cookie(staff_api, store, emulator, seller_browser):
    """Only Amazon's own state proves the code belongs to this consent."""
    url = callback_url_for(staff_api, store, seller_browser, SELLER_A)
    params = query_of(url)
    del params["state"]
    response = seller_browser.client.get(CALLBACK_URL[len("http://testserver"):], params)
    assert result_of(response)["reason"] == "STATE_INVALID"
    assert_unchanged_and_unlinked(store)
