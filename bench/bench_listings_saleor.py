"""`amazonListings(first: 100)` (the extension's listings query, dashboard-extension/src/listings/listings.ts) against
Saleor's own `productVariants(first: 100)` (a variant list with what a listing row shows of a variant: its
product and thumbnail, price and cost in the channel, stocks; not ``pricing``, whose discount computation would
make Saleor's side slower), paired in one process of a real Saleor 3.23 on its populated database
(`populatedb`), through Saleor's URL routing, authentication and plugin manager.

The listings are made by the plugin's own scan through the Saleor adapter (every variant of the default channel),
with catalog matches for all of them; then two thirds are on Amazon (Active, a tenth with Amazon's issues), some have
overrides, and ``BENCH_THIRD_PARTY`` (2,000) third-party offers fill the store beyond the variants.

Run with Saleor's interpreter from this repository (as bench_orders_saleor.py):

    SALEOR_DB_TEMPLATE=<name>_tpl_<key>_populated \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ac_listings_bench_saleor_run \\
    $SALEOR_PYTHON bench/bench_listings_saleor.py

The database named by DATABASE_URL is re-created from the template on each run. Prints median and p95 of each
query, their ratio, and the SQL query count of each at two sizes of the page (constant: it must not grow with the
listings shown).
"""

import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor.settings")

from _setup import ROOT, paired, print_paired, saleor_bench_store, saleor_staff_headers, setup_saleor  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "40"))
THIRD_PARTY = int(os.environ.get("BENCH_THIRD_PARTY", "2000"))
US = "ATVPDKIKX0DER"


def extension_query() -> str:
    """LISTINGS_QUERY of the extension, its template literals filled in."""
    import re

    source = (ROOT / "dashboard-extension" / "src" / "listings" / "listings.ts").read_text()
    constants = dict(re.findall(r"const (\w+) = `([^`]*)`;", source))
    query = constants["LISTINGS_QUERY"]
    for _ in range(3):
        query = re.sub(r"\$\{(\w+)\}", lambda m: constants[m.group(1)], query)
    return query


VARIANTS_QUERY = """query ProductVariants($first: Int, $after: String, $channel: String) {
  productVariants(first: $first, after: $after, channel: $channel) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id name sku trackInventory quantityLimitPerCustomer updatedAt
      product { id name thumbnail { url alt } productType { id name } }
      channelListings { channel { id slug currencyCode } price { amount currency } costPrice { amount currency } }
      stocks { warehouse { id name } quantity quantityAllocated }
    } }
  }
}"""


def populate(store):
    from decimal import Decimal

    from django.utils import timezone

    from saleor_amazon_channel.catalog.models import CatalogMatch
    from saleor_amazon_channel.catalog.planning import mapping_key
    from saleor_amazon_channel.listings import sync
    from saleor_amazon_channel.listings.models import Listing, ListingSettings, ListingState

    ListingSettings.objects.create(store=store, auto_list=False)
    first = sync.scan(store)
    variant_ids = list(Listing.objects.filter(store=store).order_by("variant_id").values_list("variant_id", flat=True))
    CatalogMatch.objects.bulk_create([
        CatalogMatch(store=store, variant_id=pk, mapping=mapping_key(store), status="MATCHED", asin=f"B{pk:09d}",
                     asins=[f"B{pk:09d}"], product_type="PRODUCT", name=f"Amazon item {pk}")
        for pk in variant_ids
    ])
    sync.scan(store)
    now = timezone.now()
    listings = list(Listing.objects.filter(store=store).order_by("variant_id"))
    for n, listing in enumerate(listings):
        if n % 3 == 2:
            continue  # stays Ready to list
        listing.on_amazon = True
        listing.accepted_price = listing.amazon_price = listing.desired_price
        listing.accepted_quantity = listing.amazon_quantity = listing.desired_quantity
        listing.accepted_handling_time, listing.amazon_status = 2, ["BUYABLE", "DISCOVERABLE"]
        listing.state, listing.checked_at, listing.accepted_version = ListingState.ACTIVE, now, listing.desired_version
        if n % 10 == 0:
            listing.state = ListingState.ERROR
            listing.issues = [{"code": "90220", "severity": "ERROR", "message": "The price is too low.",
                               "attributeNames": ["purchasable_offer"]}]
        if n % 7 == 0:
            listing.override_price = Decimal("9.99")
    Listing.objects.bulk_update(listings, ["on_amazon", "accepted_price", "amazon_price", "accepted_quantity",
                                           "amazon_quantity", "accepted_handling_time", "amazon_status", "state",
                                           "checked_at", "accepted_version", "issues", "override_price"])
    Listing.objects.bulk_create([
        Listing(store=store, seller_sku=f"OTHER-{n:05d}", asin=f"B9{n:08d}", name=f"Third party {n}",
                state=ListingState.THIRD_PARTY, on_amazon=True, adopted=True, amazon_status=["BUYABLE"],
                amazon_price=Decimal("12.00"), amazon_quantity=3, accepted_price=Decimal("12.00"),
                accepted_quantity=3, checked_at=now, created_at=now, updated_at=now)
        for n in range(THIRD_PARTY)
    ], batch_size=1000)
    return first.scanned, Listing.objects.filter(store=store).count()


def main():
    if not setup_saleor():
        return

    from saleor_amazon_channel.core import ids
    from saleor_amazon_channel.core.urls import plugin_url

    store = saleor_bench_store("Bench listings", "A1BENCHLISTINGS", US)
    channel = store.channel
    started = time.perf_counter()
    variants, listings = populate(store)
    made_in = time.perf_counter() - started
    headers = saleor_staff_headers()
    store_id = ids.to_global_id("AmazonStore", store.pk)
    listings_query = extension_query()

    def requests_at(first):
        return {
            f"productVariants(first: {first})": ("/graphql/", {
                "query": VARIANTS_QUERY, "variables": {"first": first, "channel": channel.slug}}),
            f"amazonListings(first: {first})": (plugin_url("graphql/"), {
                "query": listings_query, "variables": {"storeId": store_id, "first": first}}),
        }

    results = paired(headers, requests_at, RUNS)
    print(f"Saleor 3.23 (populatedb: {variants} variants in {channel.slug}) + {listings} listings of one store "
          f"(the channel's variants scanned through the Saleor adapter, {THIRD_PARTY} third-party offers) made in "
          f"{made_in:.0f} s; {RUNS} runs each, interleaved, one process")
    print_paired(results, "amazonListings(first: 100)", "productVariants(first: 100)")


if __name__ == "__main__":
    main()
