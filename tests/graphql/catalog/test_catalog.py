"""The catalog match API: start, progress, results with filters, permissions, constant query counts."""

import base64

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_amazon_channel.catalog import planning, tasks
from saleor_amazon_channel.catalog.models import CatalogMatchRun
from saleor_amazon_channel.core import ids
from tests.catalog.helpers import bad_check_digit, ean_with

pytestmark = pytest.mark.django_db

START = """
mutation Start($storeId: ID!) {
  amazonCatalogMatchStart(storeId: $storeId) {
    catalogMatchRun { id status total done progress }
    errors { field code message }
  }
}
"""
PROGRESS = """
query Progress($id: ID!) {
  amazonStore(id: $id) {
    catalogMatchRun { status total done progress estimatedSecondsLeft amazonCalls lastError
      counts { total matched multipleMatches noMatch invalidIdentifier noIdentifier error pending } }
  }
}
"""
MATCHES = """
query Matches($storeId: ID!, $filter: AmazonCatalogMatchFilterInput, $first: Int, $after: String) {
  amazonCatalogMatches(storeId: $storeId, filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id variant { id sku name } identifierType identifier status reason asin asins title brand
                   imageUrl productUrl errorCode checkedAt } }
  }
}
"""
STORES = """
query { amazonStores(first: 50) { edges { node { name catalogMatchRun { status done counts { matched total } } } } } }
"""


def store_id(store):
    return ids.to_global_id("AmazonStore", store.pk)


@pytest.fixture
def catalog(ean_store, make_variant, emulator, django_capture_on_commit_callbacks):
    channel = ean_store.channel
    variants = {
        "matched": make_variant(channel, sku="LAMP-1", product_name="Desk lamp", variant_values={"ean": ean_with(1)}),
        "twice": make_variant(channel, sku="MUG-1", product_name="Mug", variant_values={"ean": ean_with(2)}),
        "unknown": make_variant(channel, sku="BAG-1", product_name="Bag", variant_values={"ean": ean_with(0)}),
        "invalid": make_variant(channel, sku="PEN-1", product_name="Pen",
                                variant_values={"ean": bad_check_digit(ean_with(1))}),
        "missing": make_variant(channel, sku="CUP-1", product_name="Cup"),
    }
    return ean_store, variants


def test_a_merchant_starts_a_match_and_reads_its_results(
    catalog, staff_api, host_celery, django_capture_on_commit_callbacks
):
    store, variants = catalog
    with django_capture_on_commit_callbacks(execute=True):  # the eager Celery task runs on commit
        started = staff_api.execute(START, {"storeId": store_id(store)})["data"]["amazonCatalogMatchStart"]
    assert started["errors"] == [] and started["catalogMatchRun"]["status"] == "PENDING"

    run = staff_api.execute(PROGRESS, {"id": store_id(store)})["data"]["amazonStore"]["catalogMatchRun"]
    assert run["status"] == "SUCCEEDED" and (run["total"], run["done"], run["progress"]) == (5, 5, 1.0)
    assert run["counts"] == {"total": 5, "matched": 1, "multipleMatches": 1, "noMatch": 1, "invalidIdentifier": 1,
                             "noIdentifier": 1, "error": 0, "pending": 0}
    assert run["amazonCalls"] == 1 and run["estimatedSecondsLeft"] is None

    nodes = [e["node"] for e in staff_api.execute(MATCHES, {"storeId": store_id(store), "first": 10})["data"][
        "amazonCatalogMatches"]["edges"]]
    by_sku = {n["variant"]["sku"]: n for n in nodes}
    lamp = by_sku["LAMP-1"]
    assert lamp["variant"]["id"] == ids.to_global_id("ProductVariant", variants["matched"].pk)
    assert lamp["status"] == "MATCHED" and lamp["productUrl"] == f"https://www.amazon.com/dp/{lamp['asin']}"
    assert lamp["title"] and lamp["imageUrl"] and lamp["identifierType"] == "EAN"
    assert len(by_sku["MUG-1"]["asins"]) == 2 and by_sku["MUG-1"]["asin"] is None
    assert "check digit" in by_sku["PEN-1"]["reason"]
    assert by_sku["CUP-1"]["status"] == "NO_IDENTIFIER" and by_sku["CUP-1"]["identifier"] is None
    assert [n["variant"]["name"] for n in nodes] == sorted(n["variant"]["name"] for n in nodes)


def test_filters_search_and_pages(catalog, staff_api):
    store, _ = catalog
    tasks.execute(tasks.start_run(store)[0].pk)

    def page(**variables):
        return staff_api.execute(MATCHES, {"storeId": store_id(store), **variables})["data"]["amazonCatalogMatches"]

    assert page(first=10, filter={"status": ["INVALID_IDENTIFIER", "NO_IDENTIFIER"]})["totalCount"] == 2
    assert [e["node"]["variant"]["sku"] for e in page(first=10, filter={"search": "lamp-1"})["edges"]] == ["LAMP-1"]
    first = page(first=2)
    assert first["totalCount"] == 5 and first["pageInfo"]["hasNextPage"]
    rest = page(first=10, after=first["pageInfo"]["endCursor"])
    assert len(rest["edges"]) == 3 and not rest["pageInfo"]["hasNextPage"]


def test_a_page_costs_the_same_queries_whatever_its_size(ean_store, make_variant, staff_api):
    for n in range(30):
        make_variant(ean_store.channel, sku=f"S-{n}", variant_values={"ean": "bad"})
    run = CatalogMatchRun.objects.create(store=ean_store)
    planning.plan(run.pk)

    def queries(first):
        with CaptureQueriesContext(connection) as captured:
            body = staff_api.execute(MATCHES, {"storeId": store_id(ean_store), "first": first})
        assert len(body["data"]["amazonCatalogMatches"]["edges"]) == first
        return len(captured)

    assert queries(2) == queries(30)


def test_store_lists_read_runs_and_counts_in_constant_queries(connect_store, staff_api, make_variant, emulator):
    from tests.connected_stores import CA, GB, SELLER_A, SELLER_B, SELLER_EU, US

    def add_store_with_a_run(seller, marketplace):
        store = connect_store(seller, marketplace)
        make_variant(store.channel, sku=f"V-{store.pk}")
        tasks.execute(tasks.start_run(store)[0].pk)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            body = staff_api.execute(STORES)
        assert all(e["node"]["catalogMatchRun"]["status"] == "SUCCEEDED" for e in body["data"]["amazonStores"]["edges"])
        return len(captured), len(body["data"]["amazonStores"]["edges"])

    add_store_with_a_run(SELLER_A, US)
    one, count = queries()
    for seller, marketplace in ((SELLER_A, CA), (SELLER_B, US), (SELLER_EU, GB)):
        add_store_with_a_run(seller, marketplace)
    assert queries() == (one, count + 3)


def test_refusals_come_back_as_errors_with_codes(ean_store, staff_api):
    ean_store.authorization = None
    ean_store.save()
    errors = staff_api.execute(START, {"storeId": store_id(ean_store)})["data"]["amazonCatalogMatchStart"]["errors"]
    assert errors == [{"field": "storeId", "code": "NOT_CONNECTED",
                       "message": "Connect the store to Amazon before matching its catalog."}]
    for bad in ("nope", base64.b64encode(b"ProductVariant:1").decode(), ids.to_global_id("AmazonStore", 999999)):
        errors = staff_api.execute(START, {"storeId": bad})["data"]["amazonCatalogMatchStart"]["errors"]
        assert errors[0]["field"] == "storeId" and errors[0]["code"] in ("INVALID", "NOT_FOUND")
    assert not CatalogMatchRun.objects.exists()


def test_bad_paging_and_search_are_graphql_errors_not_500s(ean_store, staff_api):
    for variables in (
        {"first": 101},
        {},
        {"first": 5, "after": "garbage"},
        {"first": 5, "filter": {"search": "x" * 300}},
    ):
        response = staff_api.post(MATCHES, {"storeId": store_id(ean_store), **variables})
        assert response.status_code == 200
        assert response.json()["errors"]


def test_every_operation_needs_manage_channels(ean_store, staff_api_without_permission):
    for query, variables in ((START, {"storeId": store_id(ean_store)}),
                             (MATCHES, {"storeId": store_id(ean_store), "first": 5})):
        body = staff_api_without_permission.execute(query, variables)
        assert "MANAGE_CHANNELS" in body["errors"][0]["message"]
    assert not CatalogMatchRun.objects.exists()


CANCEL = """
mutation Cancel($storeId: ID!) {
  amazonCatalogMatchCancel(storeId: $storeId) {
    catalogMatchRun { id status lastErrorCode }
    amazonStore { id }
    errors { field code message }
  }
}
"""


def test_a_merchant_cancels_the_running_match(catalog, staff_api):
    """Issue 15, bug 6: a running match could not be stopped."""
    store, _ = catalog
    run, _ = tasks.start_run(store)

    cancelled = staff_api.execute(CANCEL, {"storeId": store_id(store)})["data"]["amazonCatalogMatchCancel"]

    assert cancelled["errors"] == []
    assert cancelled["catalogMatchRun"] == {"id": ids.to_global_id("AmazonCatalogMatchRun", run.pk),
                                            "status": "FAILED", "lastErrorCode": "cancelled"}
    assert cancelled["amazonStore"]["id"] == store_id(store)
    assert tasks.execute(run.pk).finished and CatalogMatchRun.objects.get(pk=run.pk).amazon_calls == 0
    again = staff_api.execute(CANCEL, {"storeId": store_id(store)})["data"]["amazonCatalogMatchCancel"]
    assert again["errors"] == [{"field": "storeId", "code": "NOT_FOUND",
                                "message": "The store has no catalog match running."}]
    assert again["catalogMatchRun"] is None


def test_cancelling_needs_manage_channels_and_an_existing_store(ean_store, staff_api, staff_api_without_permission):
    run, _ = tasks.start_run(ean_store)
    body = staff_api_without_permission.execute(CANCEL, {"storeId": store_id(ean_store)})
    assert "MANAGE_CHANNELS" in body["errors"][0]["message"]
    assert CatalogMatchRun.objects.get(pk=run.pk).status == "PENDING"
    missing = ids.to_global_id("AmazonStore", 999999)
    errors = staff_api.execute(CANCEL, {"storeId": missing})["data"]["amazonCatalogMatchCancel"]["errors"]
    assert errors[0]["field"] == "storeId" and errors[0]["code"] == "NOT_FOUND"
