"""Feeds API 2021-06-30 with JSON_LISTINGS_FEED: documents, processing states, the processing report, FATAL."""

import json

import pytest
import requests
from emulator_helpers import SELLER_ID
from selling_helpers import US, Api, control, offer

ASIN = "B0FEEDLAMP"
JSON_TYPE = "application/json; charset=UTF-8"


@pytest.fixture
def api(emulator):
    emulator.add_catalog_item(ASIN, "Acme Feed Lamp", brand="Acme")
    emulator.selling.configure(live_delay=0, feed_delays=[10, 10])
    return Api(emulator)


def feed_document(messages, seller=SELLER_ID, included=None) -> bytes:
    header = {"sellerId": seller, "version": "2.0", "issueLocale": "en_US"}
    if included:
        header["report"] = {"includedData": included, "apiVersion": "2021-08-01"}
    return json.dumps({"header": header, "messages": messages}).encode()


def submit(api, content: bytes, feed_type="JSON_LISTINGS_FEED") -> str:
    created = api.call("POST", "/feeds/2021-06-30/documents", json={"contentType": JSON_TYPE})
    assert created.status_code == 201, created.text
    assert created.headers["x-amzn-RateLimit-Limit"] == "0.5"
    document = created.json()
    upload = requests.put(document["url"], data=content, headers={"Content-Type": JSON_TYPE}, timeout=5)
    assert upload.status_code == 200, upload.text
    response = api.call("POST", "/feeds/2021-06-30/feeds", json={
        "feedType": feed_type, "marketplaceIds": [US], "inputFeedDocumentId": document["feedDocumentId"]})
    assert response.status_code == 202, response.text
    return response.json()["feedId"]


def result_of(api, feed: dict) -> dict:
    document = api.call("GET", f"/feeds/2021-06-30/documents/{feed['resultFeedDocumentId']}").json()
    return requests.get(document["url"], timeout=5).json()


def test_a_listings_feed_goes_through_its_states_and_reports_per_message(emulator, api):
    messages = [
        {"messageId": 1, "sku": "F-1", "operationType": "UPDATE", "productType": "PRODUCT",
         "requirements": "LISTING_OFFER_ONLY", "attributes": offer(ASIN)},
        {"messageId": 2, "sku": "F-2", "operationType": "UPDATE", "productType": "PRODUCT",
         "requirements": "LISTING_OFFER_ONLY", "attributes": offer(ASIN, condition=None)},
        {"messageId": 3, "sku": "DEMO-0001", "operationType": "PATCH", "productType": "PRODUCT", "patches": [
            {"op": "replace", "path": "/attributes/fulfillment_availability",
             "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 0}]}]},
        {"messageId": 4, "sku": "AMZ-LEGACY-002", "operationType": "DELETE"},
        {"messageId": 5, "sku": "F-3", "operationType": "PARTIAL_UPDATE", "productType": "PRODUCT",
         "attributes": offer(ASIN)},
    ]
    feed_id = submit(api, feed_document(messages, included=["summaries", "issues"]))

    feed = api.call("GET", f"/feeds/2021-06-30/feeds/{feed_id}")
    assert feed.headers["x-amzn-RateLimit-Limit"] == "2.0"
    assert feed.json()["processingStatus"] == "IN_QUEUE" and feed.json()["feedType"] == "JSON_LISTINGS_FEED"
    emulator.advance_clock(10)
    assert api.call("GET", f"/feeds/2021-06-30/feeds/{feed_id}").json()["processingStatus"] == "IN_PROGRESS"
    assert api.get("F-1").status_code == 404  # nothing applied before the feed is done
    emulator.advance_clock(10)
    feed = api.call("GET", f"/feeds/2021-06-30/feeds/{feed_id}").json()
    assert feed["processingStatus"] == "DONE" and feed["processingEndTime"] and feed["resultFeedDocumentId"]

    report = result_of(api, feed)
    assert report["header"] == {"sellerId": SELLER_ID, "version": "2.0", "feedId": feed_id,
                                "report": {"includedData": ["summaries", "issues"], "apiVersion": "2021-08-01"}}
    assert report["summary"]["messagesProcessed"] == 5 and report["summary"]["messagesAccepted"] == 3
    assert report["summary"]["messagesInvalid"] == 2 and report["summary"]["errors"] == 2
    by_message = {issue["messageId"]: issue for issue in report["issues"]}
    assert set(by_message) == {2, 5}  # F-3 does not exist, so it cannot be partially updated
    assert by_message[2]["code"] == "90220" and by_message[2]["attributeName"] == "condition_type"
    assert by_message[2]["sku"] == "F-2" and by_message[2]["severity"] == "ERROR"
    assert sorted(item["sku"] for item in report["items"]) == ["DEMO-0001", "F-1"]
    assert report["summary"]["itemSummary"] == {"items": 2, "errors": 0, "warnings": 0}
    # The same rules as the Listings Items API, and the same live delay (0 here).
    assert api.get("F-1").json()["summaries"][0]["status"] == ["BUYABLE", "DISCOVERABLE"]
    assert api.get("DEMO-0001").json()["summaries"][0]["status"] == ["DISCOVERABLE"]
    assert api.get("AMZ-LEGACY-002").status_code == 404


@pytest.mark.parametrize("content, feed_type", [
    (b"{not json", "JSON_LISTINGS_FEED"),
    (feed_document([], seller=SELLER_ID), "JSON_LISTINGS_FEED"),
    (feed_document([{"messageId": 1, "sku": "X", "operationType": "DELETE"}], seller="A3DEMOSELLEREU"),
     "JSON_LISTINGS_FEED"),
    (b"sku\tprice\nX\t1.00\n", "POST_FLAT_FILE_PRICEANDQUANTITYONLY_UPDATE_DATA"),
])
def test_malformed_feeds_and_retired_feed_types_end_fatal(emulator, api, content, feed_type):
    feed_id = submit(api, content, feed_type)
    emulator.advance_clock(20)

    feed = api.call("GET", f"/feeds/2021-06-30/feeds/{feed_id}").json()
    assert feed["processingStatus"] == "FATAL"
    report = result_of(api, feed)
    assert report["issues"][0]["severity"] == "ERROR" and report["summary"]["messagesProcessed"] == 0


def test_a_feed_ends_fatal_on_demand_and_applies_nothing(emulator, api):
    message = {"messageId": 1, "sku": "FATAL-1", "operationType": "UPDATE", "productType": "PRODUCT",
               "requirements": "LISTING_OFFER_ONLY", "attributes": offer(ASIN)}
    assert control(emulator, "POST", "/feeds/fatal", {"count": 1}).json()["fatal_feeds"] == 1
    first = submit(api, feed_document([message]))
    second = submit(api, feed_document([message]))
    third = submit(api, feed_document([message]))
    assert control(emulator, "POST", "/feeds/fatal", {"feed_id": third}).status_code == 200
    emulator.advance_clock(20)

    statuses = [api.call("GET", f"/feeds/2021-06-30/feeds/{f}").json()["processingStatus"]
                for f in (first, second, third)]
    assert statuses == ["FATAL", "DONE", "FATAL"]
    assert control(emulator, "POST", "/feeds/fatal", {"feed_id": third}).status_code == 400  # finished


def test_cancel_only_while_in_queue_and_list_feeds(emulator, api):
    message = {"messageId": 1, "sku": "C-1", "operationType": "DELETE"}
    queued = submit(api, feed_document([message]))
    assert api.call("DELETE", f"/feeds/2021-06-30/feeds/{queued}").status_code == 200
    started = submit(api, feed_document([message]))
    emulator.advance_clock(10)
    refused = api.call("DELETE", f"/feeds/2021-06-30/feeds/{started}")
    assert refused.status_code == 400 and refused.json()["errors"][0]["code"] == "InvalidInput"

    listed = api.call("GET", "/feeds/2021-06-30/feeds", {"feedTypes": "JSON_LISTINGS_FEED", "pageSize": 1})
    assert listed.status_code == 200 and listed.headers["x-amzn-RateLimit-Limit"] == "0.0222"
    body = listed.json()
    assert [f["feedId"] for f in body["feeds"]] == [started] and body["nextToken"]
    following = api.call("GET", "/feeds/2021-06-30/feeds", {"nextToken": body["nextToken"]}).json()
    assert [(f["feedId"], f["processingStatus"]) for f in following["feeds"]] == [(queued, "CANCELLED")]
    cancelled = api.call("GET", "/feeds/2021-06-30/feeds",
                         {"feedTypes": "JSON_LISTINGS_FEED", "processingStatuses": "CANCELLED"}).json()
    assert [f["feedId"] for f in cancelled["feeds"]] == [queued]
    assert api.call("GET", "/feeds/2021-06-30/feeds").status_code == 400  # feedTypes or nextToken


def test_document_urls_are_signed_typed_and_expire(emulator, api):
    document = api.call("POST", "/feeds/2021-06-30/documents", json={"contentType": JSON_TYPE}).json()
    wrong_type = requests.put(document["url"], data=b"{}", headers={"Content-Type": "text/plain"}, timeout=5)
    assert wrong_type.status_code == 403
    forged = requests.put(document["url"].replace("Signature=", "Signature=0"), data=b"{}",
                          headers={"Content-Type": JSON_TYPE}, timeout=5)
    assert forged.status_code == 403
    emulator.advance_clock(301)
    expired = requests.put(document["url"], data=b"{}", headers={"Content-Type": JSON_TYPE}, timeout=5)
    assert expired.status_code == 403
    bad = api.call("POST", "/feeds/2021-06-30/feeds", json={
        "feedType": "JSON_LISTINGS_FEED", "marketplaceIds": [US], "inputFeedDocumentId": "nope"})
    assert bad.status_code == 400


def test_create_feed_usage_plan_is_burst_15(emulator, api):
    content = feed_document([{"messageId": 1, "sku": "Q", "operationType": "DELETE"}])
    document = api.call("POST", "/feeds/2021-06-30/documents", json={"contentType": JSON_TYPE}).json()
    requests.put(document["url"], data=content, headers={"Content-Type": JSON_TYPE}, timeout=5)
    spec = {"feedType": "JSON_LISTINGS_FEED", "marketplaceIds": [US], "inputFeedDocumentId": document["feedDocumentId"]}

    statuses = [api.call("POST", "/feeds/2021-06-30/feeds", json=spec).status_code for _ in range(16)]

    assert statuses == [202] * 15 + [429]
    assert emulator.selling.counters()["throttled"] == {"createFeed": 1}
