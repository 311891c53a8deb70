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

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor.settings")

from _setup import paired, print_paired, setup_saleor  # noqa: E402

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


def main():
    if not setup_saleor():
        return

    from saleor.account.models import User
    from saleor.channel.models import Channel
    from saleor.core.jwt import create_access_token
    from saleor.permission.models import Permission

    from saleor_amazon_channel.authorizations.models import SellerAuthorization
    from saleor_amazon_channel.core.urls import plugin_url
    from saleor_amazon_channel.stores.models import AmazonStore, AmazonStoreEvent

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

    def requests_at(first):
        return {
            f"products(first: {first})": ("/graphql/", {"query": PRODUCTS_QUERY,
                                                       "variables": {"first": first, "channel": "default-channel"}}),
            f"amazonStores(first: {first})": (plugin_url("graphql/"), {"query": STORES_QUERY,
                                                                      "variables": {"first": first}}),
        }

    results = paired(headers, requests_at, RUNS)
    print(f"Saleor 3.23 (populatedb) + {STORES} Amazon stores, {RUNS} runs each, interleaved, one process")
    print_paired(results, "amazonStores(first: 100)", "products(first: 100)")


if __name__ == "__main__":
    main()
