"""The seller-account takeover of issue 8, attack by attack: each must fail with nothing changed.

A victim store is connected to seller A. The attacker has no Saleor account, their own
Amazon seller account (seller B), and the public seller ID of the victim.
"""

import pytest
from django.test import Client

from saleor_amazon_channel.authorizations.models import SellerAuthorization
from saleor_amazon_channel.consent.models import PendingConnection
from saleor_amazon_channel.stores.models import AmazonStoreEvent
from tests.amazon_fixtures import (
    LOGIN_URI,
    SELLER_A,
    SELLER_B,
    US,
    SellerBrowser,
    obtain_code,
    query_of,
)
from tests.fixtures import APPLICATION_ID

from .helpers import (
    AUTHORIZATION_REQUEST,
    CALLBACK_URL,
    CONNECT_FOR_AMAZON,
    LOGIN_URL,
    authorization_ticket,
    callback_url_for,
    connect_url,
    global_id,
    make_store,
    open_ours,
    reload,
    result_of,
)


@pytest.fixture
def victim(staff_api, channel_usd, emulator, seller_browser):
    """A store connected to seller A, the way a merchant connects it."""
    store = make_store(channel_usd, US, name="Victim US")
    seller_browser.consent(connect_url(staff_api, store), SELLER_A)
    assert seller_browser.result["connectResult"] == "connected"
    return reload(store)


def snapshot(store):
    """Everything the attacks must leave alone."""
    store = reload(store)
    authorization = store.authorization
    return {
        "store": (store.authorization_id, store.last_error_code, store.updated_at),
        "authorization": (authorization.selling_partner_id, authorization.encrypted_refresh_token,
                          authorization.authorized_at, authorization.expires_at),
        "refresh_token": authorization.refresh_token,
        "audit": list(AmazonStoreEvent.objects.order_by("pk").values_list("pk", "type", "actor")),
        "authorizations": SellerAuthorization.objects.count(),
    }


def anonymous_login(client, emulator, seller_id, amazon_state="attacker-state"):
    return client.get(LOGIN_URL[len("http://testserver"):], {
        "amazon_callback_uri": emulator.url + f"/apps/authorize/confirm/{APPLICATION_ID}",
        "amazon_state": amazon_state,
        "selling_partner_id": seller_id,
    })


# -- attack 1: the Log-in URI hands out states --------------------------------------------------


def test_anonymous_log_in_uri_mints_no_state_and_writes_no_row(victim, emulator, dashboard):
    before = snapshot(victim)
    pending_before = PendingConnection.objects.count()
    client = Client()
    for i in range(25):
        response = anonymous_login(client, emulator, SELLER_A.selling_partner_id, amazon_state=f"s{i}")
        ticket = authorization_ticket(response)  # to the Dashboard, where a signed-in merchant must confirm
        assert "state" not in query_of(response["Location"])
        assert not any(name.startswith("amazon_channel_consent") for name in response.cookies)
        assert ticket
    assert PendingConnection.objects.count() == pending_before  # 25 requests, 0 rows
    assert snapshot(victim) == before


def test_anonymous_log_in_uri_without_a_known_dashboard_explains_and_writes_nothing(victim, emulator, plugin):
    before = snapshot(victim)
    pending_before = PendingConnection.objects.count()
    response = anonymous_login(Client(), emulator, SELLER_A.selling_partner_id)
    assert response.status_code == 200 and "Location" not in response
    assert b"Finish in the Saleor Dashboard" in response.content and b"DASHBOARD_URL" in response.content
    assert b"state" not in response.content.lower().replace(b"statement", b"")
    assert PendingConnection.objects.count() == pending_before
    assert snapshot(victim) == before


def test_a_log_in_uri_ticket_is_useless_without_a_signed_in_merchant(victim, emulator, dashboard, anonymous_api):
    ticket = authorization_ticket(anonymous_login(Client(), emulator, SELLER_A.selling_partner_id))
    before = snapshot(victim)
    for query, variables in ((AUTHORIZATION_REQUEST, {"authorization": ticket}),
                             (CONNECT_FOR_AMAZON, {"id": global_id(victim), "authorization": ticket})):
        response = anonymous_api.post(query, variables)
        body = response.json()
        assert body.get("errors"), body
        assert "consentUrl" not in str(body.get("data"))
    assert snapshot(victim) == before


def test_the_whole_takeover_through_the_emulator_fails(victim, emulator, dashboard):
    """Attack 2 end to end: the attacker consents as seller B and aims the callback at the victim's seller."""
    before = snapshot(victim)
    attacker = SellerBrowser(emulator)
    # Whatever the attacker does at our Log-in URI, no state comes back.
    response = anonymous_login(attacker.client, emulator, SELLER_A.selling_partner_id)
    authorization_ticket(response)
    # A code of the attacker's own (seller B), and a state of their own making.
    code = obtain_code(emulator, SELLER_B, state="forged")
    lwa_calls = emulator.state.lwa_calls_by_grant.get("authorization_code", 0)
    for state in ("forged", ""):
        result = result_of(attacker.client.get(CALLBACK_URL[len("http://testserver"):], {
            "state": state, "selling_partner_id": SELLER_A.selling_partner_id, "spapi_oauth_code": code}))
        assert result["connectResult"] == "error" and result["reason"] == "STATE_INVALID"
    assert emulator.state.lwa_calls_by_grant.get("authorization_code", 0) == lwa_calls  # the code never went to LWA
    assert snapshot(victim) == before
    attacker.close()


# -- attack 3: a real callback URL in another browser ----------------------------------------------


@pytest.mark.parametrize("cookie", ["none", "another consent's"])
def test_a_callback_in_another_browser_changes_nothing(staff_api, victim, emulator, seller_browser, cookie):
    url = callback_url_for(staff_api, victim, seller_browser, SELLER_A)
    pending = PendingConnection.objects.order_by("-pk").first()
    other = SellerBrowser(emulator)
    if cookie != "none":
        # The other browser holds a genuine cookie of a consent it started itself.
        other.stop_at = CALLBACK_URL
        other.consent(connect_url(staff_api, make_store(victim.channel, "A2EUQ1WTGCTBG2", name="Other CA")), SELLER_B)
        name = next(n for n in other.client.cookies if n.startswith("amazon_channel_consent_"))
        other.client.cookies[f"amazon_channel_consent_{pending.pk}"] = other.client.cookies[name].value
    before = snapshot(victim)
    lwa_calls = emulator.state.lwa_calls_by_grant.get("authorization_code", 0)

    result = result_of(open_ours(other.client, url))

    assert result == {"connectResult": "error", "reason": "STATE_BROWSER_MISMATCH", "store": ""}
    assert emulator.state.lwa_calls_by_grant.get("authorization_code", 0) == lwa_calls
    assert PendingConnection.objects.get(pk=pending.pk).consumed_at is None  # the state is not used up
    assert snapshot(victim) == before
    # The merchant's own browser still finishes the consent.
    assert result_of(open_ours(seller_browser.client, url))["connectResult"] == "connected"
    other.close()


def test_a_swapped_seller_id_is_refused(staff_api, channel_usd, victim, emulator):
    """Seller B consents for a store, and the callback claims the victim's seller A: Amazon's Log-in URI
    call named B, so the callback's A is refused before any code exchange; A's authorization is untouched."""
    store = make_store(channel_usd, "A2EUQ1WTGCTBG2", name="Another CA")
    browser = SellerBrowser(emulator)
    url = callback_url_for(staff_api, store, browser, SELLER_B)
    before = snapshot(victim)
    lwa_calls = emulator.state.lwa_calls_by_grant.get("authorization_code", 0)
    params = query_of(url)
    params["selling_partner_id"] = SELLER_A.selling_partner_id

    result = result_of(browser.client.get(CALLBACK_URL[len("http://testserver"):], params))

    assert result["reason"] == "SELLER_MISMATCH"
    assert emulator.state.lwa_calls_by_grant.get("authorization_code", 0) == lwa_calls
    assert reload(store).authorization_id is None
    after = snapshot(victim)
    assert {k: v for k, v in after.items() if k != "audit"} == {k: v for k, v in before.items() if k != "audit"}
    assert not [e for e in after["audit"] if e not in before["audit"] and e[1] in ("connected", "renewed")]
    browser.close()


def test_the_log_in_uri_ticket_carries_amazons_parameters_only_to_the_dashboard(victim, emulator, dashboard):
    from django.core import signing

    from saleor_amazon_channel.consent import service as oauth
    from saleor_amazon_channel.consent import state

    response = anonymous_login(Client(), emulator, SELLER_A.selling_partner_id, amazon_state="amazons-own-state")
    assert response["Location"].split("?")[0].startswith(dashboard + "extensions/app/")
    assert LOGIN_URI not in response["Location"]
    ticket = authorization_ticket(response)
    # Encrypted, not only signed: Amazon's state is not readable from the Dashboard URL.
    with pytest.raises(signing.BadSignature):
        signing.loads(ticket, salt=state.LOGIN_TICKET_SALT)
    assert oauth.read_amazon_authorization(ticket) == {
        "cb": emulator.url + f"/apps/authorize/confirm/{APPLICATION_ID}", "as": "amazons-own-state",
        "sp": SELLER_A.selling_partner_id}
    with pytest.raises(state.BadSignedValue):
        oauth.read_amazon_authorization(ticket[:-4] + "AAAA")


def test_a_callback_in_another_browser_changes_nothing_in_the_direct_flow(staff_api, channel_usd, settings):
    """Amazon's 2021 flow (no Log-in URI, consent straight to the callback): the same binding holds."""
    from django.core.cache import cache

    from tests.amazon_fixtures import point_settings_at, start_emulator

    emu = start_emulator(login_uri=None)
    try:
        point_settings_at(settings, emu)
        cache.clear()
        store = make_store(channel_usd, US, name="Direct US")
        browser = SellerBrowser(emu)
        url = callback_url_for(staff_api, store, browser, SELLER_A)
        assert not any("/oauth/login" in u for u in browser.history)
        thief = SellerBrowser(emu)
        result = result_of(open_ours(thief.client, url))
        assert result["reason"] == "STATE_BROWSER_MISMATCH"
        assert reload(store).authorization_id is None and not SellerAuthorization.objects.exists()
        assert emu.state.lwa_calls_by_grant.get("authorization_code", 0) == 0
        assert result_of(open_ours(browser.client, url))["connectResult"] == "connected"
        browser.close()
        thief.close()
    finally:
        emu.stop()
