"""Twenty browsers return with the same state at once: exactly one connects."""

import threading

import pytest
from django.db import connection
from django.test import Client

from saleor_amazon_channel.authorizations.models import SellerAuthorization
from saleor_amazon_channel.stores.models import AmazonStore, EventType
from tests.amazon_fixtures import SELLER_A, US

from .helpers import callback_url_for, events, make_store, open_ours, result_of

PARALLEL = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_callbacks_with_one_state(staff_api, channel_usd, emulator, seller_browser):
    store = make_store(channel_usd, US, name="Amazon US")
    url = callback_url_for(staff_api, store, seller_browser, SELLER_A)
    barrier = threading.Barrier(PARALLEL)
    results, crashes = [], []

    def callback():
        try:
            barrier.wait()
            client = Client()  # the same browser: its cookies, one client per thread
            client.cookies.update(seller_browser.client.cookies)
            results.append(result_of(open_ours(client, url)))
        except Exception as exc:  # reported below
            crashes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=callback) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not crashes
    outcomes = sorted(r.get("reason", r["connectResult"]) for r in results)
    assert outcomes == ["STATE_USED"] * (PARALLEL - 1) + ["connected"]
    assert emulator.state.lwa_calls_by_grant["authorization_code"] == 1  # the code went to LWA once
    assert SellerAuthorization.objects.count() == 1
    assert AmazonStore.objects.get(pk=store.pk).authorization_id is not None
    assert len(events(store, EventType.CONNECTED)) == 1
    assert len(events(store, EventType.CONNECT_FAILED)) == PARALLEL - 1
