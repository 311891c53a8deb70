"""Renewals: from the dashboard, from Amazon's Manage Your Apps, and through sibling stores."""

import pytest

from saleor_amazon_channel.models import EventType, SellerAuthorization
from tests.amazon_fixtures import CA, SELLER_A, SellerBrowser, US
from tests.fixtures import APPLICATION_ID

from .helpers import connect_url, event_types, events, global_id, make_store, reload


@pytest.fixture
def store(channel_usd):
    return make_store(channel_usd, US, name="Amazon US")


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


def test_re_authorize_from_manage_your_apps(staff_api, store, channel_usd, emulator, seller_browser):
    """Amazon starts it (no cookie of ours): the seller is matched to their stores' authorization."""
    canada = make_store(channel_usd, CA, name="Amazon CA")
    seller_browser.consent(connect_url(staff_api, store), SELLER_A)
    seller_browser.consent(connect_url(staff_api, canada), SELLER_A)
    before = SellerAuthorization.objects.get()

    other_device = SellerBrowser(emulator)  # a fresh browser: no cookie from our start route
    other_device.open(emulator.url + "/apps/manage")
    other_device.sign_in(SELLER_A)
    assert "Saleor Amazon Channel" in other_device.text
    other_device.post_amazon("/apps/manage/reauthorize", {"application_id": APPLICATION_ID})

    assert other_device.result["connectResult"] == "connected"
    after = SellerAuthorization.objects.get()
    assert after.pk == before.pk and after.authorized_at > before.authorized_at
    renewals = [e for e in events(store) + events(canada) if e.type == EventType.RENEWED]
    assert len(renewals) >= 2 and all(e.actor == "Amazon" for e in renewals[-2:])


def test_re_authorize_for_a_seller_with_no_store_here(store, emulator, plugin):
    """Amazon's Log-in URI call for a seller none of our stores uses: a page saying so, nothing created."""
    from django.test import Client

    from saleor_amazon_channel.models import PendingConnection

    from .helpers import LOGIN_URL

    response = Client().get(LOGIN_URL[len("http://testserver"):], {
        "amazon_callback_uri": emulator.url + f"/apps/authorize/confirm/{APPLICATION_ID}",
        "amazon_state": "st", "selling_partner_id": SELLER_A.selling_partner_id})
    assert response.status_code == 404 and b"No Amazon store to connect" in response.content
    assert response["Referrer-Policy"] == "no-referrer"
    assert not PendingConnection.objects.exists()
