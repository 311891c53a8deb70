"""amazonStoreConnect, amazonStoreDisconnect and amazonStoreCheckConnection."""

import pytest

from saleor_amazon_channel.authorizations.models import SellerAuthorization
from saleor_amazon_channel.consent.models import PendingConnection
from saleor_amazon_channel.stores.models import AmazonStore, EventType
from tests.amazon_fixtures import CA, PUBLIC_URL, SELLER_A
from tests.consent.helpers import CONNECT, START_URL, connect_url, event_types, global_id, make_store, reload

DISCONNECT = """
mutation Disconnect($id: ID!) {
  amazonStoreDisconnect(id: $id) {
    amazonStore { id status sellingPartnerId }
    message
    errors { field code message }
  }
}
"""

CHECK = """
mutation Check($id: ID!) {
  amazonStoreCheckConnection(id: $id) {
    amazonStore { id status lastCheckedAt lastError participations { marketplace { id } isParticipating } }
    errors { field code message }
  }
}
"""


@pytest.fixture
def connected(staff_api, store, emulator, seller_browser):
    seller_browser.consent(connect_url(staff_api, store), SELLER_A)
    assert seller_browser.result["connectResult"] == "connected"
    return reload(store)


# -- amazonStoreConnect --------------------------------------------------------------


def test_connect_returns_a_consent_url_and_records_the_start(staff_api, staff_user, store, settings):
    settings.PUBLIC_URL = PUBLIC_URL  # START_URL's base; each host has its own default
    data = staff_api.execute(CONNECT, {"id": global_id(store)})["data"]["amazonStoreConnect"]
    assert data["errors"] == []
    assert data["consentUrl"].startswith(START_URL + "?ticket=")
    assert data["amazonStore"] == {"id": global_id(store), "status": "NOT_CONNECTED"}
    pending = PendingConnection.objects.get()
    assert pending.store_id == store.pk and pending.user_id == staff_user.pk and pending.consumed_at is None
    assert pending.nonce not in data["consentUrl"]  # signed, not shown in the clear
    assert event_types(store) == [EventType.CONNECT_STARTED]


def test_connect_needs_the_plugin_configured(staff_api, store, configure_plugin):
    configure_plugin(active=True, lwa_client_secret="")
    data = staff_api.execute(CONNECT, {"id": global_id(store)})["data"]["amazonStoreConnect"]
    assert data["consentUrl"] is None
    assert data["errors"][0]["code"] == "PLUGIN_NOT_CONFIGURED"
    assert not PendingConnection.objects.exists()


@pytest.mark.parametrize("bad_id, code", [("nope", "INVALID"), ("QW1hem9uU3RvcmU6OTk5OTk5", "NOT_FOUND")])
def test_connect_unknown_store(staff_api, bad_id, code):
    data = staff_api.execute(CONNECT, {"id": bad_id})["data"]["amazonStoreConnect"]
    assert data["errors"][0]["code"] == code and data["errors"][0]["field"] == "id"


@pytest.mark.parametrize("mutation", [CONNECT, DISCONNECT, CHECK])
def test_mutations_need_manage_channels(staff_api_without_permission, store, mutation):
    response = staff_api_without_permission.execute(mutation, {"id": global_id(store)})
    assert response["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert not PendingConnection.objects.exists()


def test_anonymous_cannot_connect(anonymous_api, store):
    response = anonymous_api.execute(CONNECT, {"id": global_id(store)})
    assert response["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


# -- amazonStoreDisconnect -----------------------------------------------------------------


def test_disconnect_deletes_the_unshared_token_and_says_to_revoke(staff_api, connected):
    data = staff_api.execute(DISCONNECT, {"id": global_id(connected)})["data"]["amazonStoreDisconnect"]
    assert data["errors"] == []
    assert data["amazonStore"]["status"] == "NOT_CONNECTED" and data["amazonStore"]["sellingPartnerId"] is None
    assert "Manage Your Apps" in data["message"]
    assert not SellerAuthorization.objects.exists()
    assert event_types(connected)[-1] == EventType.DISCONNECTED


def test_disconnect_keeps_a_token_a_sibling_uses(staff_api, connected, channel_usd, seller_browser):
    canada = make_store(channel_usd, CA, name="Amazon CA")
    seller_browser.consent(connect_url(staff_api, canada), SELLER_A)
    staff_api.execute(DISCONNECT, {"id": global_id(connected)})
    assert reload(connected).authorization_id is None
    assert reload(canada).authorization_id == SellerAuthorization.objects.get().pk


def test_disconnect_a_store_that_is_not_connected(staff_api, store):
    data = staff_api.execute(DISCONNECT, {"id": global_id(store)})["data"]["amazonStoreDisconnect"]
    assert data["errors"] == [
        {"field": "id", "code": "NOT_CONNECTED", "message": "This store is not connected to Amazon."}
    ]
    assert event_types(store) == []


def test_a_disconnected_store_can_connect_another_seller(staff_api, connected, emulator):
    from tests.amazon_fixtures import SELLER_B, SellerBrowser

    staff_api.execute(DISCONNECT, {"id": global_id(connected)})
    browser = SellerBrowser(emulator)
    browser.consent(connect_url(staff_api, connected), SELLER_B)
    assert browser.result["connectResult"] == "connected"
    assert reload(connected).authorization.selling_partner_id == SELLER_B.selling_partner_id


# -- amazonStoreCheckConnection ---------------------------------------------------------------


def test_check_a_healthy_store(staff_api, connected, emulator):
    data = staff_api.execute(CHECK, {"id": global_id(connected)})["data"]["amazonStoreCheckConnection"]
    assert data["errors"] == []
    assert data["amazonStore"]["status"] == "CONNECTED" and data["amazonStore"]["lastCheckedAt"]
    assert event_types(connected)[-1] == EventType.CHECKED
    # The exchange's access token was kept: checking needed no refresh.
    assert emulator.state.lwa_calls_by_grant["refresh_token"] == 0


def test_check_a_revoked_store(staff_api, connected, emulator):
    emulator.revoke(SELLER_A.selling_partner_id)
    data = staff_api.execute(CHECK, {"id": global_id(connected)})["data"]["amazonStoreCheckConnection"]
    assert data["errors"][0]["code"] == "AUTHORIZATION_REVOKED"
    assert data["amazonStore"]["status"] == "AUTHORIZATION_REVOKED"


def test_check_while_amazon_is_down(staff_api, connected, emulator, settings):
    settings.AMAZON_CHANNEL_HTTP_RETRY_BUDGET = 0.5
    emulator.inject_fault("sp-api", status=503, count=10)
    data = staff_api.execute(CHECK, {"id": global_id(connected)})["data"]["amazonStoreCheckConnection"]
    assert data["errors"][0]["code"] == "AMAZON_UNAVAILABLE"
    assert data["amazonStore"]["status"] == "CONNECTED"  # one outage does not flip a healthy store


def test_check_a_store_that_is_not_connected(staff_api, store):
    data = staff_api.execute(CHECK, {"id": global_id(store)})["data"]["amazonStoreCheckConnection"]
    assert data["errors"][0]["code"] == "NOT_CONNECTED"


def test_check_with_bad_client_credentials(staff_api, connected, emulator, configure_plugin):
    from saleor_amazon_channel.authorizations import tokens

    tokens.forget_access_token(connected.authorization)
    configure_plugin(active=True, lwa_client_secret="rotated-away")
    data = staff_api.execute(CHECK, {"id": global_id(connected)})["data"]["amazonStoreCheckConnection"]
    assert data["errors"][0]["code"] == "PLUGIN_NOT_CONFIGURED"
    assert "rotated-away" not in str(data)


def test_store_type_never_exposes_a_token(staff_api, connected):
    refresh_token = connected.authorization.refresh_token
    data = staff_api.execute(CHECK, {"id": global_id(connected)})
    assert refresh_token not in str(data)
    assert AmazonStore.objects.get(pk=connected.pk).authorization.refresh_token == refresh_token


def test_revoke_check_and_reconnect(staff_api, connected, emulator, seller_browser):
    """The seller revokes in Manage Your Apps; a check finds it; connecting again restores the store."""
    from tests.fixtures import APPLICATION_ID

    seller_browser.open(emulator.url + "/apps/manage")
    if "Sign in" in seller_browser.text:
        seller_browser.sign_in(SELLER_A)
    seller_browser.post_amazon("/apps/manage/revoke", {"application_id": APPLICATION_ID})
    revoked = staff_api.execute(CHECK, {"id": global_id(connected)})["data"]["amazonStoreCheckConnection"]
    assert revoked["amazonStore"]["status"] == "AUTHORIZATION_REVOKED"

    seller_browser.consent(connect_url(staff_api, connected), SELLER_A)
    assert seller_browser.result["connectResult"] == "connected"
    checked = staff_api.execute(CHECK, {"id": global_id(connected)})["data"]["amazonStoreCheckConnection"]
    assert checked["errors"] == [] and checked["amazonStore"]["status"] == "CONNECTED"
