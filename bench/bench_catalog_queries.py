"""The slowest query the GraphQL endpoint accepts over 100,000 catalog match results of one store.

The results are written straight into the table (the match itself is bench_catalog.py's subject);
then the attacks of issue 16 and the heaviest shapes still inside every limit are sent through the
whole stack (Django test client → plugin route → limits → graphene → PostgreSQL): refused ones are
reported with their code, accepted ones with median and max time. The slowest accepted query is the
figure the issue asks for.

Usage: ``python bench/bench_catalog_queries.py [--results N]`` (default 100000).
"""

import argparse
import base64
import json
import os
import statistics
import time

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ca_amazon_channel_bench_queries")

from _setup import activate_plugin, setup_django  # noqa: E402

RUNS = 5
PAGE = """amazonCatalogMatches(storeId: $id, first: 100%s) { totalCount pageInfo { hasNextPage endCursor }
  edges { node { id variant { id sku name } identifierType identifier status reason asin asins title brand imageUrl
  productUrl errorCode checkedAt } } }"""


def populate(store, count: int):
    from django.db import connection

    from saleor_amazon_channel.catalog import planning

    mapping = planning.mapping_key(store)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE saleor_amazon_channel_catalogmatch")
        cursor.execute("TRUNCATE product_productvariant, product_product, product_producttype CASCADE")
        cursor.execute("INSERT INTO product_producttype (id, name) VALUES (1, 'Bench')")
        cursor.execute(
            "INSERT INTO product_product (id, product_type_id, name, slug) "
            "SELECT n, 1, 'Product ' || n, 'product-' || n FROM generate_series(1, %s) n", [count]
        )
        cursor.execute(
            "INSERT INTO product_productvariant (id, sku, name, product_id) "
            "SELECT n, 'SKU-' || n, '', n FROM generate_series(1, %s) n", [count]
        )
        statuses = ["MATCHED", "NO_MATCH", "MULTIPLE_MATCHES", "INVALID_IDENTIFIER", "ERROR"]
        cursor.execute(
            """
            INSERT INTO saleor_amazon_channel_catalogmatch
              (store_id, variant_id, mapping, sku, name, identifier, status, asin, asins, title, brand, image_url,
               error_code, checked_at, updated_at)
            SELECT %s, n, %s, 'SKU-' || n, 'Product ' || md5(n::text), lpad(n::text, 13, '4'),
                   (%s::text[])[1 + n %% 5], 'B0' || lpad(n::text, 8, '0'), '[]'::jsonb,
                   'Amazon title ' || md5((n * 7)::text), 'Brand ' || (n %% 500), '', '', now(), now()
            FROM generate_series(1, %s) n
            """,
            [store.pk, mapping, statuses, count],
        )
        cursor.execute("ANALYZE saleor_amazon_channel_catalogmatch")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", type=int, default=100_000)
    options = parser.parse_args()
    setup_django()
    activate_plugin()
    from django.test import Client

    from saleor_amazon_channel.core import ids
    from saleor_amazon_channel.core.urls import plugin_url
    from saleor_amazon_channel.graphql.core import limits
    from saleor_amazon_channel.graphql.core.pagination import statement_timeout_ms
    from saleor_amazon_channel.stores.models import AmazonStore
    from tests.standin.account.models import User
    from tests.standin.channel.models import Channel
    from tests.standin.tokens import create_access_token

    AmazonStore.objects.all().delete()
    channel, _ = Channel.objects.get_or_create(slug="bench", defaults={"name": "Bench", "currency_code": "USD"})
    store = AmazonStore.objects.create(
        name="Bench catalog", contact_email="b@example.com", channel=channel, marketplace_id="ATVPDKIKX0DER",
        product_id_type="EAN", product_id_source="variant_sku",
    )
    started = time.perf_counter()
    populate(store, options.results)
    print(f"{options.results:,} results written in {time.perf_counter() - started:.1f} s")
    user, _ = User.objects.get_or_create(email="bench@example.com", defaults={"permissions": ["MANAGE_CHANNELS"]})
    headers = {"HTTP_AUTHORIZATION": "Bearer " + create_access_token(user)}
    client = Client()
    store_id = ids.to_global_id("AmazonStore", store.pk)
    deep = base64.b64encode(f"arrayconnection:{options.results - 101}".encode()).decode()
    huge = base64.b64encode(f"arrayconnection:{2**63}".encode()).decode()

    def one(filter_=None, after=None):
        extra = ""
        if filter_ is not None:
            extra += f", filter: {filter_}"
        if after is not None:
            extra += f', after: "{after}"'
        return PAGE % extra

    def aliased(n, filter_=None, after=None):
        return "query($id: ID!) { " + " ".join(f"a{i}: " + one(filter_, after) for i in range(n)) + " }"

    cases = {
        "first page": aliased(1),
        "search, no match (full scan)": aliased(1, '{search: "zzzz-nothing"}'),
        "search, common word": aliased(1, '{search: "title"}'),
        "search + status filter": aliased(1, '{search: "Brand 42", status: [MATCHED, NO_MATCH]}'),
        "deep offset (last page)": aliased(1, None, deep),
        "deep offset + search": aliased(1, '{search: "a"}', deep),
        "4 aliased searches": aliased(4, '{search: "zzzz-nothing"}'),
        "5 aliased searches": aliased(5, '{search: "zzzz-nothing"}'),
        "20 aliased searches (issue 16)": aliased(20, '{search: "zzzz-nothing"}'),
        "2 aliased deep offsets + search": aliased(2, '{search: "a"}', deep),
        "4 aliased deep offsets": aliased(4, None, deep),
        "20 aliased first pages": aliased(20),
        "20 aliased deep offsets": aliased(20, None, deep),
        "after = 2^63 (issue 16)": aliased(1, None, huge),
        "search with NUL (issue 16)": aliased(1, '{search: "a\\u0000b"}'),
    }
    path = plugin_url("graphql/")
    print(f"statement timeout {statement_timeout_ms()} ms, max cost {limits.limit('AMAZON_CHANNEL_GRAPHQL_MAX_COST')}, "
          f"search cost {limits.limit('AMAZON_CHANNEL_GRAPHQL_SEARCH_COST')}; {RUNS} runs each")
    print(f"{'query':<34} {'answer':<22} {'median ms':>10} {'max ms':>8}")
    slowest = (0.0, "")
    for label, query in cases.items():
        body = json.dumps({"query": query, "variables": {"id": store_id}})
        samples, answer = [], ""
        for _ in range(RUNS):
            start = time.perf_counter()
            response = client.post(path, body, content_type="application/json", **headers)
            samples.append((time.perf_counter() - start) * 1000)
            data = response.json()
            codes = sorted({e["extensions"]["exception"]["code"] for e in data.get("errors", [])})
            answer = f"{response.status_code} " + (",".join(codes) if codes else "ok")
        accepted = answer == "200 ok"
        print(f"{label:<34} {answer:<22} {statistics.median(samples):>10.1f} {max(samples):>8.1f}")
        if accepted and max(samples) > slowest[0]:
            slowest = (max(samples), label)
    print(f"slowest accepted query: {slowest[1]} ({slowest[0]:.0f} ms)")


if __name__ == "__main__":
    main()
