"""What the dashboard needs to show a store's real state: a consent under way, the last failure,
and audit events as type + data (worded by the client in the merchant's language)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_amazon_channel.core.host import SYSTEM, Requestor
from saleor_amazon_channel.graphql.stores.types import LEGACY_AMAZON_ACTOR
from saleor_amazon_channel.stores import audit
from saleor_amazon_channel.stores.models import AmazonStore, EventType
from tests.amazon_fixtures import MX, SELLER_A, US
from tests.consent.helpers import connect_url, global_id, make_store, reload

pytestmark = pytest.mark.django_db

STATE = """
query Store($id: ID!) {
  amazonStore(id: $id) {
    status lastError lastErrorCode connectionPendingSince
    lastFailure { type date reason message }
    events { type actor actorKind message data }
  }
}
"""

LIST = """
query List {
  amazonStores(first: 100) { edges { node {
    id connectionPendingSince lastErrorCode lastFailure { type reason } events(first: 3) { actorKind data }
  } } }
}
"""


def state(api, store):
    body = api.execute(STATE, {"id": global_id(store)})
    assert "errors" not in body, body
    return body["data"]["amazonStore"]


def test_a_started_consent_is_pending_until_amazon_answers(staff_api, channel_usd, emulator, seller_browser):
    store = make_store(channel_usd, US, name="Amazon US")
    assert state(staff_api, store)["connectionPendingSince"] is None

    url = connect_url(staff_api, store)
    assert state(staff_api, store)["connectionPendingSince"] is not None

    seller_browser.consent(url, SELLER_A)
    after = state(staff_api, store)
    assert after["status"] == "CONNECTED"
    assert after["connectionPendingSince"] is None
    assert after["lastFailure"] is None
    connected = next(e for e in after["events"] if e["type"] == "CONNECTED")
    assert connected["data"] == {"sellerId": SELLER_A.selling_partner_id, "region": "NA"}


def test_a_failed_consent_stays_on_the_store_until_a_success(staff_api, channel_usd, emulator, seller_browser):
    mexico = make_store(channel_usd, MX, name="Amazon MX")
    seller_browser.consent(connect_url(staff_api, mexico), SELLER_A)

    failed = state(staff_api, mexico)
    assert failed["status"] == "NOT_CONNECTED"  # the store itself is unchanged…
    assert failed["lastFailure"]["type"] == "CONNECT_FAILED"  # …but the failure is not lost
    assert failed["lastFailure"]["reason"] == "MARKETPLACE_NOT_PARTICIPATING"
    assert failed["lastFailure"]["date"]
    assert failed["connectionPendingSince"] is None
    connect_failed = next(e for e in failed["events"] if e["type"] == "CONNECT_FAILED")
    assert connect_failed["data"] == {"reason": "MARKETPLACE_NOT_PARTICIPATING"}
    assert connect_failed["actorKind"] == "STAFF"

    # Any success (here a connection the seller can make) clears it.
    us = make_store(channel_usd, US, name="Amazon US")
    seller_browser.consent(connect_url(staff_api, us), SELLER_A, signed_in=True)
    assert state(staff_api, us)["lastFailure"] is None
    audit.record(mexico, EventType.DISCONNECTED, SYSTEM, "disconnected")
    assert state(staff_api, mexico)["lastFailure"] is None


def test_a_failed_check_is_the_last_failure_with_its_code(staff_api, channel_usd):
    store = make_store(channel_usd, US)
    audit.record(store, EventType.CHECKED, SYSTEM, "ok")
    audit.record(store, EventType.CHECK_FAILED, SYSTEM, "Connection check failed: x", error_code="invalid_client")
    failure = state(staff_api, store)["lastFailure"]
    assert failure["type"] == "CHECK_FAILED" and failure["reason"] == "invalid_client"


def test_last_error_code_comes_with_last_error(staff_api, channel_usd):
    store = make_store(channel_usd, US)
    assert state(staff_api, store)["lastErrorCode"] is None
    AmazonStore.objects.filter(pk=store.pk).update(
        last_error_code="marketplace_not_participating", last_error_message="The seller does not sell there."
    )
    body = state(staff_api, store)
    assert body["lastErrorCode"] == "marketplace_not_participating"
    assert body["lastError"] == "The seller does not sell there."


def test_events_say_who_acted_and_carry_their_facts(staff_api, staff_user, channel_usd):
    store = make_store(channel_usd, US)
    audit.record(store, EventType.CHANNEL_DELETED, SYSTEM, "Channel gone", channel_slug="usd")
    # Rows an older release attributed to Amazon still read as Amazon.
    audit.record(store, EventType.RENEWED, Requestor(label=LEGACY_AMAZON_ACTOR), "renewed", via_store="Amazon CA")
    body = staff_api.execute(
        """mutation U($id: ID!) {
        amazonStoreUpdate(id: $id, input: {name: "Renamed", contactEmail: "new@example.com"}) { errors { code } } }""",
        {"id": global_id(store)},
    )
    assert body["data"]["amazonStoreUpdate"]["errors"] == []

    events = {event["type"]: event for event in state(staff_api, store)["events"]}
    assert events["CHANNEL_DELETED"]["actorKind"] == "SYSTEM"
    assert events["CHANNEL_DELETED"]["data"] == {"channelSlug": "usd"}
    assert events["RENEWED"]["actorKind"] == "AMAZON"
    assert events["RENEWED"]["data"] == {"viaStore": "Amazon CA"}
    assert events["UPDATED"]["actorKind"] == "STAFF"
    assert events["UPDATED"]["actor"] == staff_user.email
    assert events["UPDATED"]["data"] == {"fields": ["contactEmail", "name"]}


def test_disconnect_event_names_the_seller_and_no_secret(staff_api, channel_usd, emulator, seller_browser):
    store = make_store(channel_usd, US, name="Amazon US")
    seller_browser.consent(connect_url(staff_api, store), SELLER_A)
    token = reload(store).authorization.refresh_token
    body = staff_api.execute(
        "mutation D($id: ID!) { amazonStoreDisconnect(id: $id) { errors { code } } }", {"id": global_id(store)}
    )
    assert body["data"]["amazonStoreDisconnect"]["errors"] == []

    events = state(staff_api, store)["events"]
    disconnected = next(e for e in events if e["type"] == "DISCONNECTED")
    assert disconnected["data"] == {"tokenDeleted": True, "sellerId": SELLER_A.selling_partner_id, "region": "NA"}
    assert token not in json.dumps(events)


def test_store_list_state_fields_run_constant_queries(staff_api, channel_usd):
    def queries():
        with CaptureQueriesContext(connection) as context:
            body = staff_api.execute(LIST)
        assert "errors" not in body, body
        return len(context.captured_queries)

    first = make_store(channel_usd, US)
    audit.record(first, EventType.CONNECT_FAILED, SYSTEM, "failed", reason="CANCELLED")
    one = queries()
    for _ in range(20):
        store = make_store(channel_usd, US)
        audit.record(store, EventType.CONNECT_FAILED, SYSTEM, "failed", reason="CANCELLED")
    assert queries() == one
