"""`amazonStores(first: 100)` with the dashboard's fields at 1,000 stores, against Saleor's own
`products(first: 100)` (the Dashboard's product list fields), in one process of a real Saleor 3.23 on its
populated database (`populatedb`), through Saleor's URL routing, authentication and plugin manager.

Run with Saleor's interpreter from this repository; the plugin need not be installed in Saleor's
environment (a temporary entry point is made for it, so Saleor discovers it as it would a wheel):

    SALEOR_DB_TEMPLATE=saleor_populated \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ca_saleor_bench \\
    /work/saleor-acc/venv/bin/python bench/bench_store_list_saleor.py

The database named by DATABASE_URL is re-created from the template on each run. Prints median and p95
of each query and their ratio, and the SQL query count of each (which must not grow with the stores).
"""

import json
import os
import pathlib
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_RUNS", "40"))
STORES = 1000

STORE_FIELDS = """
  id name contactEmail isActive created updatedAt status
  sellingPartnerId authorizedAt authorizationExpiresAt lastCheckedAt lastError lastErrorCode
  connectionPendingSince lastFailure { type date reason message }
  channel { id name slug currencyCode }
  marketplace { id countryCode countryName region sellerCentralUrl currencyCode domain }
  productIdentifier { type source attribute }"""
# dashboard-extension/src/lib/api.ts STORES_QUERY
STORES_QUERY = (
    "query AmazonStores($first: Int, $after: String) { amazonStores(first: $first, after: $after) { totalCount "
    "pageInfo { hasNextPage endCursor } edges { node { " + STORE_FIELDS
    + " catalogMatchRun { status counts { matched total } } } } } }"
)
# The Saleor Dashboard's product list (ProductList query, 3.23), its default columns.
PRODUCTS_QUERY = """query ProductList($first: Int, $channel: String) {
  products(first: $first, channel: $channel) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { node {
      id name slug updatedAt created
      thumbnail { url alt }
      productType { id name hasVariants }
      category { id name }
      channelListings { id isPublished publishedAt isAvailableForPurchase availableForPurchaseAt visibleInListings
        channel { id name slug currencyCode } }
      pricing { priceRange { start { gross { amount currency } } stop { gross { amount currency } } } }
    } }
  }
}"""


def entry_point_shim() -> str:
    """A dist-info declaring the plugin's saleor.plugins entry point, as its wheel does."""
    directory = tempfile.mkdtemp(prefix="ca-saleor-bench-")
    info = pathlib.Path(directory, "saleor_amazon_channel-0.0.0.dist-info")
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: saleor-amazon-channel\nVersion: 0.0.0\n")
    (info / "entry_points.txt").write_text(
        "[saleor.plugins]\nsaleor_amazon_channel = saleor_amazon_channel.plugin:AmazonChannelPlugin\n"
    )
    return directory


def recreate_database():
    from urllib.parse import urlsplit

    import psycopg

    url = urlsplit(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    assert name.startswith("ca_"), "a database of this bench's own (ca_…)"
    template = os.environ.get("SALEOR_DB_TEMPLATE", "saleor_populated")
    with psycopg.connect(host=url.hostname, port=url.port or 5432, user=url.username or "postgres",
                         dbname="postgres", autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}"')
        conn.execute(f'create database "{name}" template "{template}"')


def percentiles(samples):
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main():
    try:
        import saleor  # noqa: F401
    except ImportError:
        print("skipped: run it with Saleor's interpreter (see the module's docstring)")
        return
    sys.path.insert(0, str(ROOT))
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

    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from saleor.account.models import User
    from saleor.channel.models import Channel
    from saleor.core.jwt import create_access_token
    from saleor.permission.models import Permission
    from saleor.plugins.models import PluginConfiguration

    from saleor_amazon_channel import PLUGIN_ID
    from saleor_amazon_channel.authorizations.models import SellerAuthorization
    from saleor_amazon_channel.core.urls import plugin_url
    from saleor_amazon_channel.stores.models import AmazonStore, AmazonStoreEvent
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
    user, _ = User.objects.get_or_create(email="bench@example.com", defaults={"is_staff": True, "is_active": True})
    user.user_permissions.set(Permission.objects.filter(codename__in=["manage_channels", "manage_products"]))
    headers = {"HTTP_AUTHORIZATION": "Bearer " + create_access_token(user)}

    # 1,000 stores: a third connected (one authorization per 10 stores of a seller), each with 3 events.
    authorizations = []
    for i in range(STORES // 30):
        authorization = SellerAuthorization(selling_partner_id=f"A{i:05d}BENCH", region="NA")
        authorization.renew(f"Atzr|bench-{i}")
        authorizations.append(authorization)
    SellerAuthorization.objects.bulk_create(authorizations)
    marketplaces = ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8", "A2Q3Y263D00KWC"]
    stores = [
        AmazonStore(
            name=f"Bench store {i:05d}", contact_email=f"b{i}@example.com", channel=channel,
            marketplace_id=marketplaces[i % 4], product_id_type="EAN", product_id_source="variant_sku",
            authorization=authorizations[i // 40] if i % 3 == 0 and i // 40 < len(authorizations) else None,
        )
        for i in range(STORES)
    ]
    seen = set()
    for store in stores:  # one store per seller and marketplace
        key = (store.authorization_id if store.authorization else None, store.marketplace_id)
        if store.authorization is not None and key in seen:
            store.authorization = None
        seen.add(key)
    AmazonStore.objects.bulk_create(stores)
    AmazonStoreEvent.objects.bulk_create(
        AmazonStoreEvent(store=s, store_name=s.name, type=t, actor="bench")
        for s in stores for t in ("created", "connected", "checked")
    )

    client = Client()
    requests = {
        "products(first: 100)": ("/graphql/", {"query": PRODUCTS_QUERY,
                                               "variables": {"first": 100, "channel": "default-channel"}}),
        "amazonStores(first: 100)": (plugin_url("graphql/"), {"query": STORES_QUERY, "variables": {"first": 100}}),
    }
    payloads = {label: (path, json.dumps(body)) for label, (path, body) in requests.items()}
    nodes = {}
    for label, (path, payload) in payloads.items():
        for _ in range(5):  # warm-up
            response = client.post(path, payload, content_type="application/json", **headers)
            data = response.json()
            assert response.status_code == 200 and not data.get("errors"), (label, response.content[:500])
        nodes[label] = len(next(iter(data["data"].values()))["edges"])
    # Interleaved, so a busy machine slows both alike.
    samples = {label: [] for label in payloads}
    for _ in range(RUNS):
        for label, (path, payload) in payloads.items():
            start = time.perf_counter()
            client.post(path, payload, content_type="application/json", **headers)
            samples[label].append((time.perf_counter() - start) * 1000)
    results = {}
    for label, (path, payload) in payloads.items():
        with ExitStack() as stack:  # Saleor reads through its replica alias too
            captured = [stack.enter_context(CaptureQueriesContext(connections[alias])) for alias in connections]
            client.post(path, payload, content_type="application/json", **headers)
        queries = [q["sql"] for c in captured for q in c.captured_queries]
        if os.environ.get("BENCH_SHOW_SQL"):
            print(label, *queries, sep="\n  ")
        results[label] = (*percentiles(samples[label]), len(queries), nodes[label])

    print(f"Saleor 3.23 (populatedb) + {STORES} Amazon stores, {RUNS} runs each, one process")
    print(f"{'query':<26} {'nodes':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, (median, p95, count, nodes) in results.items():
        print(f"{label:<26} {nodes:>6} {median:>10.1f} {p95:>8.1f} {count:>8}")
    ours, theirs = results["amazonStores(first: 100)"], results["products(first: 100)"]
    print(f"ratio amazonStores / products: {ours[0] / theirs[0]:.2f}x (median); "
          f"per node {(ours[0] / ours[3]) / (theirs[0] / theirs[3]):.2f}x")


if __name__ == "__main__":
    main()
