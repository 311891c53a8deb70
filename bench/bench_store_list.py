"""Latency of `amazonStores(first: 100)` with the dashboard's fields at 10, 100 and 1,000 stores.

Through the whole stack (Django test client → plugin route → auth → graphene →
PostgreSQL), on the stand-in host. Prints median and p95 over repeated runs and
the SQL query count, which must not grow with the number of stores.
"""

import json
import time

from _setup import percentiles, setup_django
from bench_store_list_saleor import STORES_QUERY

# The dashboard extension's store list (dashboard-extension/src/lib/api.ts STORES_QUERY).
QUERY = STORES_QUERY
RUNS = 40


def main():
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from saleor_amazon_channel import PLUGIN_ID
    from saleor_amazon_channel.authorizations.models import SellerAuthorization
    from saleor_amazon_channel.core.urls import plugin_url
    from saleor_amazon_channel.stores.models import AmazonStore, AmazonStoreEvent
    from tests.standin.account.models import User
    from tests.standin.channel.models import Channel
    from tests.standin.plugins.models import PluginConfiguration
    from tests.standin.tokens import create_access_token

    AmazonStoreEvent.objects.all().delete()
    AmazonStore.objects.all().delete()
    SellerAuthorization.objects.all().delete()
    PluginConfiguration.objects.update_or_create(identifier=PLUGIN_ID, defaults={"name": "Amazon", "active": True})
    channel, _ = Channel.objects.get_or_create(slug="bench", defaults={"name": "Bench", "currency_code": "USD"})
    user, _ = User.objects.get_or_create(email="bench@example.com", defaults={"permissions": ["MANAGE_CHANNELS"]})
    headers = {"HTTP_AUTHORIZATION": "Bearer " + create_access_token(user)}
    client = Client()
    body = json.dumps({"query": QUERY, "variables": {"first": 100}})

    print(f"amazonStores(first: 100), {RUNS} runs each, stand-in host on PostgreSQL")
    print(f"{'stores':>7} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    existing = 0
    for total in (10, 100, 1000):
        new = [
            AmazonStore(
                name=f"Bench store {i:05d}", contact_email=f"b{i}@example.com", channel=channel,
                marketplace_id="ATVPDKIKX0DER", product_id_type="EAN", product_id_source="variant_sku",
            )
            for i in range(existing, total)
        ]
        AmazonStore.objects.bulk_create(new)
        AmazonStoreEvent.objects.bulk_create(
            AmazonStoreEvent(store=s, store_name=s.name, type="created", actor="bench") for s in new for _ in range(3)
        )
        existing = total
        path = plugin_url("graphql/")
        for _ in range(3):  # warm-up
            client.post(path, body, content_type="application/json", **headers)
        samples = []
        for _ in range(RUNS):
            start = time.perf_counter()
            response = client.post(path, body, content_type="application/json", **headers)
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200 and "errors" not in response.json(), response.content[:300]
        with CaptureQueriesContext(connection) as queries:
            client.post(path, body, content_type="application/json", **headers)
        median, p95 = percentiles(samples)
        print(f"{total:>7} {median:>10.1f} {p95:>8.1f} {len(queries.captured_queries):>8}")


if __name__ == "__main__":
    main()
