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

import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor.settings")

from _setup import ROOT, paired, print_paired, saleor_bench_store, saleor_staff_headers, setup_saleor  # noqa: E402

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
    if not setup_saleor():
        return

    from datetime import UTC, datetime

    from saleor.order.models import Order

    from saleor_amazon_channel.core import ids
    from saleor_amazon_channel.core.urls import plugin_url
    from saleor_amazon_channel.orders.models import OrderSettings

    store = saleor_bench_store("Bench orders", "A1BENCHSALEOR", US)
    OrderSettings.objects.create(store=store, import_from=datetime(2020, 1, 1, tzinfo=UTC))
    import saleor.graphql.api  # noqa: F401 - loaded first, as Saleor's URL conf does (its order actions need it)

    saleor_before = Order.objects.count()
    started = time.perf_counter()
    created, refused = import_amazon_orders(store, ORDERS)
    imported_in = time.perf_counter() - started
    assert created >= 200, (created, refused)
    headers = saleor_staff_headers()
    store_id = ids.to_global_id("AmazonStore", store.pk)

    def requests_at(first):
        return {
            f"orders(first: {first})": ("/graphql/", {"query": ORDERS_QUERY, "variables": {"first": first}}),
            f"amazonOrders(first: {first})": (plugin_url("graphql/"), {
                "query": AMAZON_ORDERS_QUERY, "variables": {"storeId": store_id, "first": first}}),
        }

    results = paired(headers, requests_at, RUNS)
    print(f"Saleor 3.23 (populatedb: {saleor_before} orders) + {created} Amazon orders imported through the "
          f"Saleor adapter ({refused} refused) in {imported_in:.0f} s; {RUNS} runs each, interleaved, one process")
    print_paired(results, "amazonOrders(first: 100)", "orders(first: 100)")


if __name__ == "__main__":
    main()
