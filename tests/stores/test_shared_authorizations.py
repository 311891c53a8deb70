"""Disconnecting and deleting a store decide about a shared authorization under its lock (issue 15, bug 8);
delete forgets the cached access token; the delete payload can still be read (issue 16); the pending-consent
limit holds under concurrency (issue 15, bug 11)."""

import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection, transaction

from saleor_amazon_channel.authorizations import tokens
from saleor_amazon_channel.authorizations.models import SellerAuthorization
from saleor_amazon_channel.consent import connections, state
from saleor_amazon_channel.consent.models import PendingConnection
from saleor_amazon_channel.core import ids
from saleor_amazon_channel.core.host import Requestor
from saleor_amazon_channel.errors import DomainError
from saleor_amazon_channel.stores import services
from saleor_amazon_channel.stores.models import AmazonStore
from tests.amazon_fixtures import CA
from tests.consent.helpers import make_store

REQUESTOR = Requestor(label="test")

DELETE = """
mutation Delete($id: ID!) {
  amazonStoreDelete(id: $id) { amazonStore { id name status sellingPartnerId authorizedAt lastError } errors { code } }
}
"""


def test_the_delete_payload_of_a_connected_store_reads_its_status_and_seller(staff_api, offline_store):
    store = offline_store()
    data = staff_api.execute(DELETE, {"id": ids.to_global_id("AmazonStore", store.pk)})
    assert "errors" not in data, data
    payload = data["data"]["amazonStoreDelete"]
    assert payload["errors"] == []
    assert payload["amazonStore"]["status"] == "NOT_CONNECTED"
    assert payload["amazonStore"]["sellingPartnerId"] is None
    assert not AmazonStore.objects.filter(pk=store.pk).exists()


def test_delete_forgets_the_cached_access_token(offline_store):
    store = offline_store()
    authorization = store.authorization
    tokens.remember_access_token(authorization, "Atza|cached", 3600)
    key = tokens._key("access", authorization)
    assert cache.get(key) == "Atza|cached"
    services.delete_store(store, REQUESTOR)
    assert not SellerAuthorization.objects.filter(pk=authorization.pk).exists()
    assert cache.get(key) is None


def _connect_concurrently(authorization, other_store, linked: threading.Event, errors: list):
    """What a concurrent connect of ``other_store`` does: lock the seller's authorization, link, commit a bit later."""
    try:
        with transaction.atomic():
            SellerAuthorization.objects.select_for_update().get(pk=authorization.pk)
            AmazonStore.objects.filter(pk=other_store.pk).update(authorization=authorization)
            linked.set()
            time.sleep(0.5)
    except Exception as error:  # reported by the test
        errors.append(repr(error))
        linked.set()
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action", ["disconnect", "delete"])
def test_a_concurrent_connect_keeps_the_authorization_alive(offline_store, channel_usd, action):
    store = offline_store()
    authorization = store.authorization
    other = make_store(channel_usd, CA, name="Amazon CA")
    linked, errors = threading.Event(), []
    thread = threading.Thread(target=_connect_concurrently, args=(authorization, other, linked, errors))
    thread.start()
    linked.wait(5)
    try:
        if action == "disconnect":
            connections.disconnect(store, REQUESTOR)
        else:
            services.delete_store(store, REQUESTOR)
    finally:
        thread.join()
    assert errors == []
    assert SellerAuthorization.objects.filter(pk=authorization.pk).exists()
    assert AmazonStore.objects.get(pk=other.pk).authorization_id == authorization.pk


@pytest.mark.django_db(transaction=True)
def test_the_pending_consent_limit_holds_under_concurrent_starts(staff_user, channel_usd, monkeypatch):
    store = make_store(channel_usd, name="Amazon US")
    requestor = Requestor(user_id=staff_user.pk, label=staff_user.email)
    for _ in range(connections.MAX_PENDING_PER_REQUESTOR - 1):
        connections.start_connection(store, requestor)
    counted = connections._recent_pending

    def slow_count(*args, **kwargs):
        queryset = counted(*args, **kwargs)
        count = queryset.count()
        time.sleep(0.3)  # widen the window between the count and the insert

        class Counted:
            def count(self):
                return count

        return Counted()

    monkeypatch.setattr(connections, "_recent_pending", slow_count)
    outcomes = []

    def start():
        try:
            connections.start_connection(store, requestor)
            outcomes.append("started")
        except DomainError as error:
            outcomes.append(error.code.value if hasattr(error.code, "value") else str(error.code))
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("started") == 1, outcomes
    assert PendingConnection.objects.count() == connections.MAX_PENDING_PER_REQUESTOR


def test_seller_ids_with_a_trailing_newline_are_not_seller_ids():
    assert state.is_seller_id("A1SELLERAAAAAA")
    assert not state.is_seller_id("A1SELLERAAAAAA\n")
