import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_amazon_channel.core.host import SYSTEM
from saleor_amazon_channel.core.ids import to_global_id
from saleor_amazon_channel.stores import audit
from saleor_amazon_channel.stores.models import AmazonStore, EventType

pytestmark = pytest.mark.django_db

LIST = """
query List($first: Int, $after: String, $filter: AmazonStoreFilterInput) {
  amazonStores(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id name contactEmail isActive created updatedAt status sellingPartnerId authorizationExpiresAt lastError
      channel { id name slug currencyCode }
      marketplace { id countryCode countryName region sellerCentralUrl currencyCode domain }
      productIdentifier { type source attribute }
      participations { isParticipating }
      events(first: 5) { type date actor message }
    } }
  }
}
"""


def make_stores(count, channel, marketplace_id="ATVPDKIKX0DER"):
    stores = AmazonStore.objects.bulk_create(
        AmazonStore(
            name=f"Store {i:04d}",
            contact_email=f"s{i}@example.com",
            channel=channel,
            marketplace_id=marketplace_id,
            product_id_type="EAN",
            product_id_source="variant_sku",
        )
        for i in range(count)
    )
    for store in stores:
        audit.record(store, EventType.CREATED, SYSTEM, "created")
    return stores


def count_queries(api, variables):
    with CaptureQueriesContext(connection) as context:
        body = api.execute(LIST, variables)
    assert "errors" not in body, body
    return len(context.captured_queries), body


def test_list_runs_constant_queries(staff_api, channel_usd):
    make_stores(1, channel_usd)
    one, body = count_queries(staff_api, {"first": 100})
    assert body["data"]["amazonStores"]["totalCount"] == 1
    AmazonStore.objects.all().delete()
    make_stores(100, channel_usd)
    hundred, body = count_queries(staff_api, {"first": 100})
    assert len(body["data"]["amazonStores"]["edges"]) == 100
    assert all(len(edge["node"]["events"]) == 1 for edge in body["data"]["amazonStores"]["edges"])
    assert one == hundred


def test_pagination_and_filters(staff_api, channel_usd, make_channel):
    make_stores(5, channel_usd)
    other = make_channel(slug="uk")
    AmazonStore.objects.create(
        name="UK shop", contact_email="uk@example.com", channel=other, marketplace_id="A1F83G8C2ARO7P",
        product_id_type="EAN", product_id_source="variant_sku",
    )
    page = staff_api.execute(LIST, {"first": 2})["data"]["amazonStores"]
    assert page["totalCount"] == 6 and page["pageInfo"]["hasNextPage"]
    names = [e["node"]["name"] for e in page["edges"]]
    after = staff_api.execute(LIST, {"first": 2, "after": page["pageInfo"]["endCursor"]})["data"]["amazonStores"]
    assert names == ["Store 0000", "Store 0001"]
    assert [e["node"]["name"] for e in after["edges"]] == ["Store 0002", "Store 0003"]

    def names_for(filter):
        body = staff_api.execute(LIST, {"first": 100, "filter": filter})
        return [e["node"]["name"] for e in body["data"]["amazonStores"]["edges"]]

    assert names_for({"channel": to_global_id("Channel", other.pk)}) == ["UK shop"]
    assert names_for({"marketplace": "GB"}) == ["UK shop"]
    assert names_for({"marketplace": "UK"}) == ["UK shop"]
    assert names_for({"search": "0003"}) == ["Store 0003"]
    assert names_for({"search": "uk@example"}) == ["UK shop"]
    body = staff_api.execute(LIST, {"first": 5, "filter": {"marketplace": "Narnia"}})
    assert "marketplace" in body["errors"][0]["message"]
    body = staff_api.execute(LIST, {"first": 5, "filter": {"channel": "bogus"}})
    assert "channel" in body["errors"][0]["message"]


def test_single_store_and_marketplaces(staff_api, channel_usd):
    (store,) = make_stores(1, channel_usd)
    body = staff_api.execute(
        "query($id: ID!) { amazonStore(id: $id) { name channel { id } } amazonMarketplaces { id countryCode } }",
        {"id": to_global_id("AmazonStore", store.pk)},
    )
    assert body["data"]["amazonStore"]["channel"]["id"] == to_global_id("Channel", channel_usd.pk)
    codes = [m["countryCode"] for m in body["data"]["amazonMarketplaces"]]
    assert codes[:4] == ["US", "CA", "MX", "GB"] and len(codes) == 23
    missing = staff_api.execute('{ amazonStore(id: "bogus") { name } }')
    assert missing["data"]["amazonStore"] is None
