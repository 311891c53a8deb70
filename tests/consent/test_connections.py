"""What a consent's outcome does to the database (connections.py), without the browser."""

from datetime import timedelta

import pytest
from django.utils import timezone

from saleor_amazon_channel.authorizations.models import SellerAuthorization
from saleor_amazon_channel.consent import connections
from saleor_amazon_channel.consent.connections import ConnectionRejected
from saleor_amazon_channel.consent.models import PendingConnection
from saleor_amazon_channel.core.host import ANONYMOUS, Requestor
from saleor_amazon_channel.errors import DomainError
from saleor_amazon_channel.outcomes import Outcome
from saleor_amazon_channel.stores.models import EventType
from tests.amazon_fixtures import CA, GB, MX, US
from tests.consent.helpers import event_types, events, make_store, reload

STAFF = Requestor(user_id=None, label="staff@example.com")
SELLER = "A1SELLERAAAAAA"
PARTICIPATIONS = [
    {
        "marketplaceId": US,
        "countryCode": "US",
        "storeName": "S",
        "isParticipating": True,
        "hasSuspendedListings": False,
    },
    {
        "marketplaceId": CA,
        "countryCode": "CA",
        "storeName": "S",
        "isParticipating": True,
        "hasSuspendedListings": False,
    },
    {
        "marketplaceId": MX,
        "countryCode": "MX",
        "storeName": "S",
        "isParticipating": False,
        "hasSuspendedListings": False,
    },
]


@pytest.fixture
def starter(staff_user):
    """The staff user who starts consents (only an authenticated requestor may)."""
    return Requestor(user_id=staff_user.pk, label=staff_user.email)


@pytest.fixture
def us(channel_usd):
    return make_store(channel_usd, US, name="Amazon US")


def connect(store, seller=SELLER, token="Atzr|refresh-1", participations=PARTICIPATIONS, **kwargs):
    return connections.complete_connection(store.pk, seller, token, participations, STAFF, **kwargs)


# -- pending connections ---------------------------------------------------------------


def test_a_pending_connection_is_consumed_once(us, starter):
    pending = connections.start_connection(us, starter)
    assert connections.consume_pending(pending.pk, pending.nonce).pk == pending.pk
    with pytest.raises(ConnectionRejected) as caught:
        connections.consume_pending(pending.pk, pending.nonce)
    assert caught.value.reason is Outcome.STATE_USED and caught.value.pending.store_id == us.pk


def test_a_pending_connection_lapses_after_ten_minutes(us, starter):
    pending = connections.start_connection(us, starter)
    later = timezone.now() + timedelta(minutes=10, seconds=1)
    assert connections.usable_pending(pending.pk, pending.nonce, now=later) is None
    with pytest.raises(ConnectionRejected) as caught:
        connections.consume_pending(pending.pk, pending.nonce, now=later)
    assert caught.value.reason is Outcome.STATE_EXPIRED
    assert PendingConnection.objects.get().consumed_at is None


def test_a_missing_pending_connection_means_the_store_is_gone(us, starter):
    pending = connections.start_connection(us, starter)
    us.delete()
    with pytest.raises(ConnectionRejected) as caught:
        connections.consume_pending(pending.pk, pending.nonce)
    assert caught.value.reason is Outcome.STORE_NOT_FOUND


def test_stale_pending_connections_are_purged(us, starter):
    old = connections.start_connection(us, starter)
    PendingConnection.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    fresh = connections.start_connection(us, starter)
    assert connections.purge_stale_pending() == 1
    assert list(PendingConnection.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_nobody_anonymous_gets_a_pending_connection(us):
    for requestor in (ANONYMOUS, Requestor(label="Amazon")):
        with pytest.raises(DomainError):
            connections.start_connection(us, requestor)
    assert not PendingConnection.objects.exists()


def test_pending_connections_are_limited_per_user(us, starter, make_staff):
    for _ in range(connections.MAX_PENDING_PER_REQUESTOR):
        connections.start_connection(us, starter)
    with pytest.raises(DomainError) as caught:
        connections.start_connection(us, starter)
    assert caught.value.code is Outcome.CONNECT_LIMIT_REACHED
    other = make_staff(email="other@example.com", permissions=("MANAGE_CHANNELS",))
    connections.start_connection(us, Requestor(user_id=other.pk, label=other.email))  # not someone else's quota
    # Older than the lifetime: no longer counted.
    PendingConnection.objects.filter(user_id=starter.user_id).update(
        created_at=timezone.now() - connections.PENDING_LIFETIME - timedelta(seconds=1))
    connections.start_connection(us, starter)


def test_the_starter_is_the_audited_requestor(us, starter):
    pending = connections.start_connection(us, starter)
    assert connections.requestor_of(pending) == Requestor(user_id=starter.user_id, label=starter.label)
    assert events(us)[-1].user_id == starter.user_id


# -- completing ------------------------------------------------------------------------


def test_connecting_links_the_store_and_keeps_the_participations(us):
    result = connect(us)
    assert result.connected and not result.renewed
    us = reload(us)
    assert us.authorization.selling_partner_id == SELLER and us.authorization.region == "NA"
    assert us.authorization.refresh_token == "Atzr|refresh-1"
    assert us.authorization.participations == PARTICIPATIONS
    assert us.authorization.last_checked_at is not None
    assert event_types(us) == [EventType.CONNECTED]
    assert "A1SELLERAAAAAA" in events(us)[0].message


def test_a_second_store_of_the_seller_renews_the_first(us, channel_usd):
    connect(us, token="Atzr|first")
    canada = make_store(channel_usd, CA, name="Amazon CA")
    connect(canada, token="Atzr|second")
    authorization = SellerAuthorization.objects.get()
    assert authorization.refresh_token == "Atzr|second"
    assert reload(us).authorization_id == reload(canada).authorization_id == authorization.pk
    assert event_types(us) == [EventType.CONNECTED, EventType.RENEWED]


def test_seller_mismatch_changes_nothing(us):
    connect(us, token="Atzr|a")
    before = SellerAuthorization.objects.get()
    with pytest.raises(ConnectionRejected) as caught:
        connect(us, seller="A2SELLERBBBBBB", token="Atzr|b")
    assert caught.value.reason is Outcome.SELLER_MISMATCH
    assert SellerAuthorization.objects.count() == 1
    assert SellerAuthorization.objects.get().encrypted_refresh_token == before.encrypted_refresh_token
    assert reload(us).authorization_id == before.pk


def test_one_seller_marketplace_feeds_one_store(us, channel_usd):
    connect(us)
    twin = make_store(channel_usd, US, name="Amazon US 2")
    with pytest.raises(ConnectionRejected) as caught:
        connect(twin, token="Atzr|twin")
    assert caught.value.reason is Outcome.SELLER_ALREADY_CONNECTED
    assert reload(twin).authorization_id is None
    assert SellerAuthorization.objects.get().refresh_token == "Atzr|refresh-1"


def test_two_sellers_may_sell_in_one_marketplace(us, channel_usd):
    connect(us)
    other = make_store(channel_usd, US, name="Amazon US of B")
    assert connect(other, seller="A2SELLERBBBBBB").connected
    assert SellerAuthorization.objects.count() == 2


def test_not_participating_and_no_sibling_discards_the_token(channel_usd):
    mexico = make_store(channel_usd, MX, name="Amazon MX")
    result = connect(mexico)
    assert result.reason is Outcome.MARKETPLACE_NOT_PARTICIPATING
    assert not SellerAuthorization.objects.exists()
    failure = events(mexico)[-1]
    assert failure.type == EventType.CONNECT_FAILED and failure.parameters == {
        "reason": "MARKETPLACE_NOT_PARTICIPATING"
    }


def test_a_marketplace_absent_from_the_answer_is_not_participating(channel_usd):
    uk = make_store(channel_usd, GB, name="Amazon UK")
    assert connect(uk).reason is Outcome.MARKETPLACE_NOT_PARTICIPATING


def test_not_participating_keeps_the_fresh_token_for_siblings(us, channel_usd):
    connect(us, token="Atzr|old")
    mexico = make_store(channel_usd, MX, name="Amazon MX")
    result = connect(mexico, token="Atzr|new")
    assert result.reason is Outcome.MARKETPLACE_NOT_PARTICIPATING
    assert SellerAuthorization.objects.get().refresh_token == "Atzr|new"
    assert reload(mexico).authorization_id is None
    assert event_types(us)[-1] == EventType.RENEWED


def test_a_linked_store_no_longer_participating_shows_an_error(us):
    connect(us)
    stopped = [dict(p, isParticipating=False) if p["marketplaceId"] == US else p for p in PARTICIPATIONS]
    result = connect(us, token="Atzr|again", participations=stopped)
    assert result.reason is Outcome.MARKETPLACE_NOT_PARTICIPATING
    us = reload(us)
    assert us.authorization.refresh_token == "Atzr|again"
    assert us.status().value == "error" and us.last_error


def test_reconnecting_clears_a_store_error(us):
    connect(us)
    us.__class__.objects.filter(pk=us.pk).update(last_error_code="x", last_error_message="y")
    assert connect(us).renewed
    assert reload(us).last_error == ""


def test_a_missing_store(us):
    pk = us.pk
    us.delete()
    with pytest.raises(ConnectionRejected) as caught:
        connections.complete_connection(pk, SELLER, "Atzr|x", PARTICIPATIONS, STAFF)
    assert caught.value.reason is Outcome.STORE_NOT_FOUND


def test_the_exchange_access_token_is_cached(us):
    from django.core.cache import cache

    from saleor_amazon_channel.authorizations import tokens

    result = connect(us, access_token="Atza|from-exchange", expires_in=3600)
    assert cache.get(tokens._key("access", result.authorization)) == "Atza|from-exchange"


def test_record_failure_for_a_deleted_store_writes_nothing(us):
    us_copy = reload(us)
    us.delete()
    connections.record_failure(us_copy, Outcome.CANCELLED, STAFF)
    from saleor_amazon_channel.stores.models import AmazonStoreEvent

    assert not AmazonStoreEvent.objects.filter(type=EventType.CONNECT_FAILED).exists()


# -- disconnecting -----------------------------------------------------------------------


def test_disconnect_deletes_an_unshared_authorization(us):
    connect(us)
    seller_id = reload(us).authorization.selling_partner_id
    connections.disconnect(reload(us), STAFF)
    assert reload(us).authorization_id is None
    assert not SellerAuthorization.objects.exists()
    event = events(us)[-1]
    assert event.type == EventType.DISCONNECTED and "Manage Your Apps" in event.message
    # The seller is named in the data: the dashboard words the event from it (the authorization is gone).
    assert event.parameters == {"token_deleted": True, "seller_id": seller_id, "region": "NA"}


def test_disconnect_keeps_a_shared_authorization(us, channel_usd):
    connect(us)
    canada = make_store(channel_usd, CA, name="Amazon CA")
    connect(canada)
    connections.disconnect(reload(us), STAFF)
    assert reload(canada).authorization_id == SellerAuthorization.objects.get().pk
    assert events(us)[-1].authorization_id == SellerAuthorization.objects.get().pk


def test_disconnect_a_store_that_is_not_connected(us):
    with pytest.raises(DomainError):
        connections.disconnect(us, STAFF)
    assert event_types(us) == []
