"""Renewals: from the dashboard, from Amazon's Manage Your Apps, and through sibling stores."""


from saleor_amazon_channel.authorizations.models import SellerAuthorization
from saleor_amazon_channel.stores.models import EventType
from tests.amazon_fixtures import CA, SELLER_A, US, SellerBrowser
from tests.fixtures import APPLICATION_ID

from .helpers import (
    AUTHORIZATION_REQUEST,
    CONNECT_FOR_AMAZON,
    authorization_ticket,
    connect_url,
    event_types,
    events,
    global_id,
    make_store,
    re_authorize_at_amazon,
    reload,
)


def test_sibling_stores_share_one_authorization(staff_api, store, channel_usd, emulator, seller_browser):
    canada = make_store(channel_usd, CA, name="Amazon CA")
    seller_browser.consent(connect_url(staff_api, store), SELLER_A)
    first = reload(store).authorization

    seller_browser.consent(connect_url(staff_api, canada), SELLER_A)

    assert seller_browser.result == {"connectResult": "connected", "store": global_id(canada)}
    authorization = SellerAuthorization.objects.get()
    assert reload(store).authorization_id == reload(canada).authorization_id == authorization.pk == first.pk
    assert authorization.authorized_at > first.authorized_at
    assert authorization.encrypted_refresh_token != first.encrypted_refresh_token
    assert event_types(canada)[-1] == EventType.CONNECTED
    renewal = events(store)[-1]
    assert renewal.type == EventType.RENEWED and "Amazon CA" in renewal.message


def test_reconnecting_the_same_seller_renews(staff_api, store, emulator, seller_browser):
    seller_browser.consent(connect_url(staff_api, store), SELLER_A)
    first = reload(store).authorization
    seller_browser.consent(connect_url(staff_api, store), SELLER_A)
    renewed = reload(store).authorization
    assert renewed.pk == first.pk and renewed.expires_at > first.expires_at
    assert event_types(store)[-2:] == [EventType.CONNECT_STARTED, EventType.RENEWED]


def test_renewal_clears_revocation_and_errors(staff_api, store, emulator, seller_browser):
    from django.utils import timezone

    seller_browser.consent(connect_url(staff_api, store), SELLER_A)
    SellerAuthorization.objects.update(revoked_at=timezone.now(), last_error_code="invalid_grant",
                                       last_error_message="revoked", failure_count=4)
    store.__class__.objects.filter(pk=store.pk).update(last_error_code="X", last_error_message="x")
    assert reload(store).status().value == "authorization_revoked"

    seller_browser.consent(connect_url(staff_api, store), SELLER_A)

    store = reload(store)
    assert store.status().value == "connected"
    assert store.authorization.revoked_at is None and store.authorization.failure_count == 0
    assert store.last_error == ""


def test_re_authorize_from_manage_your_apps(staff_api, staff_user, store, channel_usd, emulator, seller_browser,
                                            dashboard):
    """Amazon starts it: the merchant, signed in to the Dashboard, confirms the store; every sibling renews."""
    canada = make_store(channel_usd, CA, name="Amazon CA")
    seller_browser.consent(connect_url(staff_api, store), SELLER_A)
    seller_browser.consent(connect_url(staff_api, canada), SELLER_A)
    before = SellerAuthorization.objects.get()

    other_device = SellerBrowser(emulator)  # a fresh browser: no cookie from our start route
    ticket = re_authorize_at_amazon(emulator, other_device, SELLER_A)
    request = staff_api.execute(AUTHORIZATION_REQUEST, {"authorization": ticket})["data"]["amazonAuthorizationRequest"]
    assert request["errors"] == [] and request["sellingPartnerId"] == SELLER_A.selling_partner_id
    assert sorted(s["name"] for s in request["stores"]) == ["Amazon CA", "Amazon US"]
    payload = staff_api.execute(CONNECT_FOR_AMAZON, {"id": global_id(store), "authorization": ticket})
    consent_url = payload["data"]["amazonStoreConnect"]["consentUrl"]
    other_device.open(consent_url)  # the start route binds this browser, then back to Amazon, then our callback

    assert other_device.result["connectResult"] == "connected"
    assert not any("/apps/authorize/consent" in url for url in other_device.history)  # straight back to Amazon
    after = SellerAuthorization.objects.get()
    assert after.pk == before.pk and after.authorized_at > before.authorized_at
    renewals = [e for e in events(store) + events(canada) if e.type == EventType.RENEWED]
    # Attributed to the merchant who confirmed it, not to "Amazon".
    assert len(renewals) >= 2 and all(e.actor == staff_user.email for e in renewals[-2:])
    other_device.close()


def test_re_authorize_for_another_store_or_a_forged_request_is_refused(staff_api, store, emulator, seller_browser,
                                                                      dashboard):
    seller_browser.consent(connect_url(staff_api, store), SELLER_A)
    ticket = re_authorize_at_amazon(emulator, SellerBrowser(emulator), SELLER_A)
    other = make_store(store.channel, US, name="Amazon US 2")
    connect = staff_api.execute(CONNECT_FOR_AMAZON, {"id": global_id(other), "authorization": ticket})
    assert connect["data"]["amazonStoreConnect"]["errors"][0]["code"] == "SELLER_ALREADY_CONNECTED"
    forged = staff_api.execute(CONNECT_FOR_AMAZON, {"id": global_id(store), "authorization": ticket[:-3] + "xyz"})
    assert forged["data"]["amazonStoreConnect"]["errors"][0] == {
        "field": "amazonAuthorization",
        "code": "STATE_INVALID",
        "message": "This is not an authorization request from Amazon.",
    }


def test_re_authorize_for_a_seller_with_no_store_here(store, emulator, plugin, dashboard, staff_api):
    """Amazon's Log-in URI call for a seller none of our stores uses: the Dashboard can offer to add a store."""
    from django.test import Client

    from saleor_amazon_channel.consent.models import PendingConnection

    from .helpers import LOGIN_URL

    response = Client().get(LOGIN_URL[len("http://testserver"):], {
        "amazon_callback_uri": emulator.url + f"/apps/authorize/confirm/{APPLICATION_ID}",
        "amazon_state": "st", "selling_partner_id": SELLER_A.selling_partner_id})
    assert response["Referrer-Policy"] == "no-referrer"
    ticket = authorization_ticket(response)
    request = staff_api.execute(AUTHORIZATION_REQUEST, {"authorization": ticket})["data"]["amazonAuthorizationRequest"]
    assert request["stores"] == [] and request["sellingPartnerId"] == SELLER_A.selling_partner_id
    assert not PendingConnection.objects.exists()

