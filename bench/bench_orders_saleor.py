"""`amazonOrders(first: 100)` (graphql/examples/orders-list.graphql: lines, Saleor order, shipments) against
Saleor's own `orders(first: 100)` (the Saleor Dashboard's OrderList query, 3.23), paired in one process of a real
Saleor 3.23 on its populated database (`populatedb`), through Saleor's URL routing, authentication and plugin
manager; the Amazon orders are imported through the plugin's own path (``sync.record`` then ``sync.apply``, the
Saleor adapter's ``create_order``: Saleor orders with stock allocated), so both lists read real Saleor orders.

Run with Saleor's interpreter from this repository (as bench_store_list_saleor.py):

    SALEOR_DB_TEMPLATE=<name>_tpl_<key>_populated \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ac_orders_bench_saleor_run \\
    $SALEOR_PYTHON bench/bench_orders_saleor.py

(scripts/saleor-db.sh populated <database> makes the template). The database named by DATABASE_URL is re-created
from the template on each run. Prints median and p95 of each query, their ratio, and the SQL query count of each
at two sizes of the page (constant: it must not grow with the orders listed).
"""

import json
import os
import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_RUNS", "40"))
ORDERS = int(os.environ.get("BENCH_AMAZON_ORDERS", "300"))
US = "ATVPDKIKX0DER"

AMAZON_ORDERS_QUERY = (ROOT / "graphql" / "examples" / "orders-list.graphql").read_text()
# The Saleor Dashboard's order list (OrderList query of dashboard 3.23, its Address fragment inlined).
ORDERS_QUERY = """query OrderList($first: Int, $after: String) {
  orders(first: $first, after: $after) {
    edges { node {
      __typename
      billingAddress { id city cityArea companyName country { code country } countryArea firstName lastName phone
        postalCode streetAddress1 streetAddress2 }
      channel { name id }
      created id number paymentStatus status
      subtotal { __typename net { __typename amount currency } }
      total { __typename gross { __typename amount currency } }
      userEmail chargeStatus
    } }
    pageInfo { hasPreviousPage hasNextPage startCursor endCursor }
  }
}"""


def recreate_database():
    from urllib.parse import urlsplit

    import psycopg

    url = urlsplit(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    assert name.startswith(("ac_", "ca_")), "a database of this bench's own (ac_…)"
    template = os.environ["SALEOR_DB_TEMPLATE"]
    with psycopg.connect(host=url.hostname, port=url.port or 5432, user=url.username or "postgres",
                         dbname="postgres", autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}"')
        conn.execute(f'create database "{name}" template "{template}"')


def percentiles(samples):
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def import_amazon_orders(store, n):
    """n Amazon orders (as the emulator renders Orders API v2026-01-01) recorded and applied by the plugin."""
    from saleor.product.models import ProductVariant
    from saleor.warehouse.models import Stock

    from amazon_emulator import Emulator
    from amazon_emulator.order_book import INCLUDED_DATA, render
    from saleor_amazon_channel.amazon import orders as amazon_orders
    from saleor_amazon_channel.orders import sync

    variants = list(ProductVariant.objects.filter(
        channel_listings__channel_id=store.channel_id, stocks__warehouse__channelwarehouse__channel_id=store.channel_id,
        sku__isnull=False).distinct().order_by("pk")[:40])
    Stock.objects.filter(product_variant__in=variants).update(quantity=100_000)
    emulator = Emulator(port=0)
    emulator.add_seller("bench-orders@example.com", "pw", "A1BENCHSALEOR", "NA", {US: True})
    created, refused = 0, 0
    for i in range(n):
        picked = [variants[(i * 7 + k) % len(variants)] for k in range(1 + i % 2)]
        placed = emulator.orders.create("A1BENCHSALEOR", [
            {"seller_sku": v.sku, "quantity": 1 + (i + k) % 2, "unit_price": f"{10 + i % 50}.99", "item_tax": "1.20"}
            for k, v in enumerate(picked)], marketplace_id=US, status="Unshipped", created_seconds_ago=3600 - i)
        book_order = emulator.state.order_book.orders[placed["order"]["orderId"]]
        order = amazon_orders.parse_order(render(book_order, set(INCLUDED_DATA), pii=True))
        row, _ = sync.record(store, order)
        if sync.apply(row.pk).action == "created":
            created += 1
        else:
            refused += 1
    return created, refused


def main():
    try:
        import saleor  # noqa: F401
    except ImportError:
        print("skipped: run it with Saleor's interpreter (see the module's docstring)")
        return
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_store_list_saleor import entry_point_shim

    sys.path.insert(0, entry_point_shim())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor.settings")
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-bench-secret-key")
    os.environ.setdefault("ALLOWED_HOSTS", "*")
    os.environ.setdefault("ALLOWED_CLIENT_HOSTS", "*")
    os.environ.setdefault("DEBUG", "False")
    os.environ.setdefault("HTTP_IP_FILTER_ENABLED", "False")
    if "RSA_PRIVATE_KEY" not in os.environ:  # Saleor signs its JWTs with it outside DEBUG
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        os.environ["RSA_PRIVATE_KEY"] = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
    recreate_database()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    assert "saleor_amazon_channel.plugin.AmazonChannelPlugin" in settings.PLUGINS
    call_command("migrate", "saleor_amazon_channel", verbosity=0)

    from contextlib import ExitStack
    from datetime import UTC, datetime

    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from saleor.account.models import User
    from saleor.channel.models import Channel
    from saleor.core.jwt import create_access_token
    from saleor.order.models import Order
    from saleor.plugins.models import PluginConfiguration

    from saleor_amazon_channel import PLUGIN_ID
    from saleor_amazon_channel.authorizations.models import SellerAuthorization
    from saleor_amazon_channel.core import ids
    from saleor_amazon_channel.core.urls import plugin_url
    from saleor_amazon_channel.orders.models import OrderSettings
    from saleor_amazon_channel.stores.models import AmazonStore
    from tests.fixtures import APPLICATION_ID, CLIENT_ID, CLIENT_SECRET

    PluginConfiguration.objects.update_or_create(
        identifier=PLUGIN_ID,
        defaults={"name": "Amazon", "active": True, "configuration": [
            {"name": "application_id", "value": APPLICATION_ID},
            {"name": "lwa_client_id", "value": CLIENT_ID},
            {"name": "lwa_client_secret", "value": CLIENT_SECRET},
            {"name": "draft_app", "value": False},
        ]},
    )
    channel = Channel.objects.get(slug="default-channel")
    authorization = SellerAuthorization(selling_partner_id="A1BENCHSALEOR", region="NA")
    authorization.renew("Atzr|bench-orders")
    authorization.save()
    store = AmazonStore.objects.create(
        name="Bench orders", contact_email="bench@example.com", channel=channel, marketplace_id=US,
        product_id_type="EAN", product_id_source="variant_sku", authorization=authorization)
    OrderSettings.objects.create(store=store, import_from=datetime(2020, 1, 1, tzinfo=UTC))
    import saleor.graphql.api  # noqa: F401 - loaded first, as Saleor's URL conf does (its order actions need it)

    saleor_before = Order.objects.count()
    started = time.perf_counter()
    created, refused = import_amazon_orders(store, ORDERS)
    imported_in = time.perf_counter() - started
    assert created >= 200, (created, refused)
    # populatedb's staff superuser: Saleor lists a staff user's orders through its groups' channels.
    user = User.objects.get(email="admin@example.com")
    headers = {"HTTP_AUTHORIZATION": "Bearer " + create_access_token(user)}
    store_id = ids.to_global_id("AmazonStore", store.pk)

    client = Client()

    def requests_for(first):
        return {
            f"orders(first: {first})": ("/graphql/", {"query": ORDERS_QUERY, "variables": {"first": first}}),
            f"amazonOrders(first: {first})": (plugin_url("graphql/"), {
                "query": AMAZON_ORDERS_QUERY, "variables": {"storeId": store_id, "first": first}}),
        }

    def post(path, payload):
        response = client.post(path, payload, content_type="application/json", **headers)
        data = response.json()
        assert response.status_code == 200 and not data.get("errors"), (path, response.content[:500])
        return data

    payloads = {label: (path, json.dumps(body)) for label, (path, body) in requests_for(100).items()}
    nodes = {}
    for label, (path, payload) in payloads.items():
        for _ in range(5):  # warm-up
            data = post(path, payload)
        nodes[label] = len(next(iter(data["data"].values()))["edges"])
    samples = {label: [] for label in payloads}
    for _ in range(RUNS):  # interleaved, so a busy machine slows both alike
        for label, (path, payload) in payloads.items():
            start = time.perf_counter()
            client.post(path, payload, content_type="application/json", **headers)
            samples[label].append((time.perf_counter() - start) * 1000)

    def count_queries(path, payload):
        with ExitStack() as stack:  # Saleor reads through its replica alias too
            captured = [stack.enter_context(CaptureQueriesContext(connections[alias])) for alias in connections]
            post(path, payload)
        queries = [q["sql"] for c in captured for q in c.captured_queries]
        if os.environ.get("BENCH_SHOW_SQL"):
            print(path, *queries, sep="\n  ")
        return len(queries)

    small = {label.replace("(first: 10)", "(first: 100)"): count_queries(path, json.dumps(body))
             for label, (path, body) in requests_for(10).items()}
    results = {label: (*percentiles(samples[label]), count_queries(path, payload), small[label], nodes[label])
               for label, (path, payload) in payloads.items()}
    print(f"Saleor 3.23 (populatedb: {saleor_before} orders) + {created} Amazon orders imported through the "
          f"Saleor adapter ({refused} refused) in {imported_in:.0f} s; {RUNS} runs each, interleaved, one process")
    print(f"{'query':<26} {'nodes':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'at first:10':>12}")
    for label, (median, p95, count, count_small, n) in results.items():
        print(f"{label:<26} {n:>6} {median:>10.1f} {p95:>8.1f} {count:>8} {count_small:>12}")
    ours, theirs = results["amazonOrders(first: 100)"], results["orders(first: 100)"]
    print(f"ratio amazonOrders / orders: {ours[0] / theirs[0]:.2f}x (median), {ours[1] / theirs[1]:.2f}x (p95)")


if __name__ == "__main__":
    main()
