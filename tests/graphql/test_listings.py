"""The listings API: settings, listings with filters and pages, merchant actions, sync start and progress,
permissions, constant query counts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_amazon_channel.catalog.models import CatalogMatch
from saleor_amazon_channel.core import ids
from saleor_amazon_channel.listings import sync
from saleor_amazon_channel.listings.models import Listing, ListingSettings, ListingSync
from tests.listings.helpers import amazon_offers, match_catalog, sync_to_end

pytestmark = pytest.mark.django_db

def store_id(store):
    return ids.to_global_id("AmazonStore", store.pk)


def listing_id(listing):
    return ids.to_global_id("AmazonListing", listing.pk)


LISTINGS = """
query Listings($storeId: ID!, $filter: AmazonListingFilterInput, $first: Int, $after: String) {
  amazonListings(storeId: $storeId, filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id variantId name sellerSku asin state reasonCode reason inProgress fulfillmentChannel
      desired { price currency quantity handlingTime condition } onAmazon { price quantity }
      hasOverride overrides { price quantity } applied issues { code severity message attributeNames } } }
  }
}
"""
SETTINGS = """
mutation Update($storeId: ID!, $input: AmazonListingSettingsInput!) {
  amazonListingSettingsUpdate(storeId: $storeId, input: $input) {
    listingSettings { autoList handlingTime condition warehouses { id name } maxQuantity outOfStockThreshold
                      untrackedQuantity importThirdParty }
    errors { field code message }
  }
}
"""
START = """
mutation Start($storeId: ID!) {
  amazonListingSyncStart(storeId: $storeId) { listingSync { id status phase } errors { field code message } }
}
"""
PROGRESS = """
query Progress($id: ID!) {
  amazonStore(id: $id) {
    listingSync { status phase progress sent accepted rejected amazonCalls lastError
      counts { incomplete readyToList active inactive ended error thirdParty overrides pending } }
  }
}
"""
ACTION = """
mutation Act($storeId: ID!, $ids: [ID!]!) {
  amazonListingsEnd(storeId: $storeId, ids: $ids) { listings { id state } errors { field code message } }
}
"""
OVERRIDE = """
mutation Override($storeId: ID!, $ids: [ID!]!, $input: AmazonListingOverridesInput!) {
  amazonListingsOverrideSet(storeId: $storeId, ids: $ids, input: $input) {
    listings { id hasOverride desired { price quantity } applied } errors { field code message }
  }
}
"""
CLEAR = """
mutation Clear($storeId: ID!, $ids: [ID!]!) {
  amazonListingsOverrideClear(storeId: $storeId, ids: $ids) {
    listings { hasOverride desired { price } } errors { code }
  }
}
"""
ASSIGN = """
mutation Assign($storeId: ID!, $ids: [ID!]!, $asin: String!) {
  amazonListingsAssignAsin(storeId: $storeId, ids: $ids, asin: $asin) {
    listings { asin state reasonCode } errors { field code message }
  }
}
"""


def test_a_merchant_lists_follows_the_sync_and_reads_listings(
    selling, staff_api, host_celery, django_capture_on_commit_callbacks, make_warehouse
):
    selling.variant(quantity=4, sku="GQL-1", product_name="Lamp")
    selling.variant(matches=2, sku="GQL-2", product_name="Mug")
    match_catalog(selling.store)
    other = make_warehouse(selling.store.channel, name="Back room")
    updated = staff_api.execute(SETTINGS, {"storeId": store_id(selling.store), "input": {
        "handlingTime": 3, "warehouses": [ids.to_global_id("Warehouse", str(selling.warehouse.pk))],
        "maxQuantity": 3}})["data"]["amazonListingSettingsUpdate"]
    assert updated["errors"] == []
    assert updated["listingSettings"]["handlingTime"] == 3 and updated["listingSettings"]["maxQuantity"] == 3
    assert [w["name"] for w in updated["listingSettings"]["warehouses"]] == [selling.warehouse.name]
    assert other.name != selling.warehouse.name

    started = staff_api.execute(START, {"storeId": store_id(selling.store)})["data"]["amazonListingSyncStart"]
    assert started["errors"] == [] and started["listingSync"]["status"] in ("PENDING", "RUNNING")
    run = ListingSync.objects.get(store=selling.store)
    while not sync.execute(run.pk).finished:
        pass

    progress = staff_api.execute(PROGRESS, {"id": store_id(selling.store)})["data"]["amazonStore"]["listingSync"]
    assert progress["status"] == "SUCCEEDED" and progress["progress"] == 1.0
    assert progress["counts"]["active"] == 1 and progress["counts"]["incomplete"] == 1
    assert progress["accepted"] == 1 and progress["amazonCalls"] >= 3

    body = staff_api.execute(LISTINGS, {"storeId": store_id(selling.store), "first": 10})["data"]["amazonListings"]
    by_sku = {e["node"]["sellerSku"]: e["node"] for e in body["edges"]}
    lamp = by_sku["GQL-1"]
    assert lamp["state"] == "ACTIVE" and lamp["fulfillmentChannel"] == "DEFAULT"
    assert lamp["desired"] == {"price": "10.00", "currency": "USD", "quantity": 3, "handlingTime": 3,
                               "condition": "new_new"}
    assert lamp["onAmazon"] == {"price": "10.00", "quantity": 3}
    mug = by_sku["GQL-2"]
    assert (mug["state"], mug["reasonCode"]) == ("INCOMPLETE", "MULTIPLE_MATCHES") and "pick its ASIN" in mug["reason"]
    assert amazon_offers(selling.emu)["GQL-1"][1] == 3


def test_filters_overrides_end_and_assign_asin(selling, staff_api):
    active = selling.variant(quantity=5, sku="F-1", product_name="Alpha")
    twice = selling.variant(matches=2, sku="F-2", product_name="Beta")
    match_catalog(selling.store)
    sync_to_end(selling.store)
    listing = Listing.objects.get(variant_id=active.pk)
    multiple = Listing.objects.get(variant_id=twice.pk)
    sid = store_id(selling.store)

    def page(**variables):
        return staff_api.execute(LISTINGS, {"storeId": sid, "first": 10, **variables})["data"]["amazonListings"]

    assert page(filter={"state": ["INCOMPLETE"]})["totalCount"] == 1
    assert [e["node"]["sellerSku"] for e in page(filter={"search": "f-1"})["edges"]] == ["F-1"]

    overridden = staff_api.execute(OVERRIDE, {"storeId": sid, "ids": [listing_id(listing)],
                                              "input": {"price": "12.5", "quantity": 50}})["data"]
    node = overridden["amazonListingsOverrideSet"]["listings"][0]
    assert node["hasOverride"] and node["desired"] == {"price": "12.50", "quantity": 5}  # never above stock
    assert node["applied"] == ["override:price", "override:quantity"]
    assert page(filter={"hasOverride": True})["totalCount"] == 1
    sync_to_end(selling.store)
    assert amazon_offers(selling.emu)["F-1"][0] == Decimal("12.50")
    cleared = staff_api.execute(CLEAR, {"storeId": sid, "ids": [listing_id(listing)]})["data"]
    assert cleared["amazonListingsOverrideClear"]["listings"][0] == {"hasOverride": False,
                                                                   "desired": {"price": "10.00"}}

    ended = staff_api.execute(ACTION, {"storeId": sid, "ids": [listing_id(listing)]})["data"]["amazonListingsEnd"]
    assert ended["errors"] == [] and ended["listings"][0]["state"] == "ENDED"
    sync_to_end(selling.store)
    assert "F-1" not in amazon_offers(selling.emu)

    asin = CatalogMatch.objects.get(variant_id=twice.pk).asins[1]
    assigned = staff_api.execute(ASSIGN, {"storeId": sid, "ids": [listing_id(multiple)], "asin": asin})["data"]
    assert assigned["amazonListingsAssignAsin"]["errors"] == []
    assert assigned["amazonListingsAssignAsin"]["listings"][0]["asin"] == asin
    sync_to_end(selling.store)  # the product type of the chosen ASIN is looked up, then the offer listed
    multiple.refresh_from_db()
    assert (multiple.state, multiple.asin) == ("ACTIVE", asin)
    assert amazon_offers(selling.emu)["F-2"][2] == ["BUYABLE", "DISCOVERABLE"]


def test_a_page_costs_the_same_queries_whatever_its_size(selling, staff_api):
    for n in range(30):
        selling.variant(sku=f"Q-{n}", matches=0)
    sync.scan(selling.store)

    def queries(first):
        with CaptureQueriesContext(connection) as captured:
            body = staff_api.execute(LISTINGS, {"storeId": store_id(selling.store), "first": first})
        assert len(body["data"]["amazonListings"]["edges"]) == first
        return len(captured)

    assert queries(2) == queries(30)


def test_refusals_and_permissions(selling, staff_api, staff_api_without_permission):
    sid = store_id(selling.store)
    bad = staff_api.execute(SETTINGS, {"storeId": sid, "input": {"handlingTime": 99}})["data"]
    assert bad["amazonListingSettingsUpdate"]["errors"][0]["code"] == "INVALID"
    bad = staff_api.execute(ASSIGN, {"storeId": sid, "ids": [ids.to_global_id("AmazonListing", 99999)],
                                     "asin": "B000000001"})["data"]["amazonListingsAssignAsin"]
    assert bad["errors"][0]["code"] == "NOT_FOUND"
    selling.store.authorization = None
    selling.store.save()
    errors = staff_api.execute(START, {"storeId": sid})["data"]["amazonListingSyncStart"]["errors"]
    assert errors[0]["code"] == "NOT_CONNECTED"
    for query, variables in ((START, {"storeId": sid}), (LISTINGS, {"storeId": sid, "first": 5}),
                             (SETTINGS, {"storeId": sid, "input": {"autoList": False}})):
        body = staff_api_without_permission.execute(query, variables)
        assert "MANAGE_CHANNELS" in body["errors"][0]["message"]
    assert not ListingSettings.objects.filter(auto_list=False).exists()


ONE = """
query One($id: ID!) {
  amazonListing(id: $id) { id sellerSku state desired { price quantity handlingTime } }
}
"""


def test_one_listing_by_id_and_forged_or_foreign_ids_give_null(selling, staff_api, staff_api_without_permission):
    selling.variant(quantity=3, sku="ONE-1")
    match_catalog(selling.store)
    sync.scan(selling.store)
    listing = Listing.objects.get(store=selling.store, seller_sku="ONE-1")

    found = staff_api.execute(ONE, {"id": listing_id(listing)})

    assert "errors" not in found
    assert found["data"]["amazonListing"] == {
        "id": listing_id(listing), "sellerSku": "ONE-1", "state": listing.state,
        "desired": {"price": str(listing.desired_price), "quantity": 3, "handlingTime": 2}}
    for forged in (ids.to_global_id("AmazonListing", 999999), ids.to_global_id("AmazonStore", listing.pk),
                   "not-a-global-id", "QW1hem9uTGlzdGluZzphYmM=", "x" * 5000):
        body = staff_api.execute(ONE, {"id": forged})
        assert body["data"] == {"amazonListing": None} and "errors" not in body, forged
    denied = staff_api_without_permission.execute(ONE, {"id": listing_id(listing)})
    assert denied["data"] == {"amazonListing": None} and "MANAGE_CHANNELS" in denied["errors"][0]["message"]
