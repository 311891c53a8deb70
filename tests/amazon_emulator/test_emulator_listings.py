"""Listings Items API 2021-08-01: put, get, patch, delete, search; issues, live delay, usage plans, faults."""

import pytest
from emulator_helpers import PLAIN_APP, SELLER_ID
from selling_helpers import US, Api, control, offer, unknown_asin

from amazon_emulator import Emulator
from amazon_emulator.selling import page_token

ASIN = "B0TESTLAMP"


@pytest.fixture
def api(emulator):
    emulator.add_catalog_item(ASIN, "Acme Desk Lamp", brand="Acme")
    emulator.add_catalog_item("B0RESTRICT", "Umbrella Lamp", brand="Umbrella")
    return Api(emulator)


def test_an_accepted_offer_goes_live_after_the_delay(emulator, api):
    emulator.selling.configure(live_delay=2)
    response = api.put("SKU-1", offer(ASIN), includedData="issues,identifiers")

    assert response.status_code == 200, response.text
    assert response.headers["x-amzn-RateLimit-Limit"] == "5.0" and response.headers["x-amzn-RequestId"]
    body = response.json()
    assert body["status"] == "ACCEPTED" and body["sku"] == "SKU-1" and body["submissionId"]
    assert body["issues"] == [] and body["identifiers"] == [{"marketplaceId": US, "asin": ASIN}]
    # ACCEPTED is not live.
    item = api.get("SKU-1").json()
    assert item["summaries"][0]["status"] == [] and item["offers"] == [] and item["fulfillmentAvailability"] == []
    assert item["attributes"]["condition_type"][0]["value"] == "new_new"

    emulator.advance_clock(2)
    item = api.get("SKU-1").json()
    summary = item["summaries"][0]
    assert summary["status"] == ["BUYABLE", "DISCOVERABLE"]
    assert (summary["asin"], summary["itemName"], summary["productType"], summary["conditionType"]) == (
        ASIN, "Acme Desk Lamp", "PRODUCT", "new_new")
    assert summary["marketplaceId"] == US and summary["createdDate"].endswith("Z") and summary["mainImage"]["link"]
    assert item["offers"] == [{"marketplaceId": US, "offerType": "B2C",
                               "price": {"currencyCode": "USD", "amount": "19.99"}}]
    assert item["fulfillmentAvailability"] == [{"fulfillmentChannelCode": "DEFAULT", "quantity": 12}]
    assert item["issues"] == [] and item["procurement"] == []
    assert set(api.get("SKU-1", included="summaries").json()) == {"sku", "summaries"}


@pytest.mark.parametrize("attributes, code, attribute, category", [
    (offer(ASIN, condition=None), "90220", "condition_type", "MISSING_ATTRIBUTE"),
    (offer(ASIN, condition="shiny"), "4000001", "condition_type", "INVALID_ATTRIBUTE"),
    (offer(ASIN, price=None), "90220", "purchasable_offer", "MISSING_PRICE"),
    (offer(ASIN, currency="EUR"), "4000001", "purchasable_offer.currency", "INVALID_PRICE"),
    (offer(ASIN, quantity=-1), "4000001", "fulfillment_availability.quantity", "INVALID_ATTRIBUTE"),
    (offer(None), "90220", "merchant_suggested_asin", "MISSING_ATTRIBUTE"),
    (offer(unknown_asin()), "ASIN_NOT_FOUND", "merchant_suggested_asin", "INVALID_ATTRIBUTE"),
    (offer("B0RESTRICT"), "APPROVAL_REQUIRED", "merchant_suggested_asin", "QUALIFICATION_REQUIRED"),
])
def test_bad_offers_are_invalid_with_issues(emulator, api, attributes, code, attribute, category):
    emulator.selling.configure(restricted_brands=["umbrella"], live_delay=0)
    body = api.put("SKU-BAD", attributes).json()

    assert body["status"] == "INVALID"
    found = [i for i in body["issues"] if i["code"] == code]
    assert found, body["issues"]
    assert found[0]["severity"] == "ERROR" and found[0]["attributeNames"] == [attribute]
    assert found[0]["categories"] == [category] and found[0]["message"] and found[0]["marketplaceIds"] == [US]
    assert api.get("SKU-BAD").status_code == 404  # nothing was created


def test_price_zero_is_accepted_then_suppressed_and_quantity_zero_is_not_buyable(emulator, api):
    emulator.selling.configure(live_delay=0)
    assert api.put("ZERO-PRICE", offer(ASIN, price="0")).json()["status"] == "ACCEPTED"
    assert api.put("ZERO-QTY", offer(ASIN, quantity=0)).json()["status"] == "ACCEPTED"

    item = api.get("ZERO-PRICE").json()
    assert item["summaries"][0]["status"] == []
    assert item["issues"][0]["categories"] == ["INVALID_PRICE"]
    assert item["issues"][0]["enforcements"]["actions"] == [{"action": "LISTING_SUPPRESSED"}]
    assert api.get("ZERO-QTY").json()["summaries"][0]["status"] == ["DISCOVERABLE"]


def test_validation_preview_changes_nothing(emulator, api):
    good = api.put("PREVIEW", offer(ASIN), mode="VALIDATION_PREVIEW").json()
    bad = api.put("PREVIEW", offer(ASIN, condition=None), mode="VALIDATION_PREVIEW").json()

    assert good["status"] == "VALID" and bad["status"] == "INVALID"
    free = api.put("PREVIEW", offer(ASIN, price="0"), mode="VALIDATION_PREVIEW").json()
    assert free["status"] == "INVALID" and free["issues"][0]["categories"] == ["INVALID_PRICE"]
    assert api.get("PREVIEW").status_code == 404
    assert api.put("PREVIEW", offer(ASIN), mode="LIVE").status_code == 400


def test_patches_replace_and_delete_attributes_and_go_live_after_the_delay(emulator, api):
    emulator.selling.configure(live_delay=0)
    api.put("SKU-P", offer(ASIN))
    emulator.selling.configure(live_delay=5)

    response = api.patch("SKU-P", [
        {"op": "replace", "path": "/attributes/purchasable_offer", "value": [
            {"marketplace_id": US, "currency": "USD", "our_price": [{"schedule": [{"value_with_tax": "17.50"}]}]}]},
        {"op": "replace", "path": "/attributes/fulfillment_availability", "value": [
            {"fulfillment_channel_code": "DEFAULT", "quantity": 3}]},
    ])

    assert response.status_code == 200 and response.json()["status"] == "ACCEPTED"
    assert response.headers["x-amzn-RateLimit-Limit"] == "5.0"
    item = api.get("SKU-P").json()
    assert item["offers"][0]["price"]["amount"] == "19.99"  # still the old price
    offers = control(emulator, "GET", "/offers", selling_partner_id=SELLER_ID, marketplace_id=US).json()["offers"]
    facts = next(o for o in offers if o["sku"] == "SKU-P")
    assert facts["pending"] and facts["pending_price"] == "17.50" and facts["price"] == "19.99"
    emulator.advance_clock(5)
    item = api.get("SKU-P").json()
    assert item["offers"][0]["price"]["amount"] == "17.50"
    assert item["fulfillmentAvailability"] == [{"fulfillmentChannelCode": "DEFAULT", "quantity": 3}]

    emulator.selling.configure(live_delay=0)
    deleted = api.patch("SKU-P", [{"op": "delete", "path": "/attributes/condition_type"}]).json()
    assert deleted["status"] == "INVALID" and deleted["issues"][0]["code"] == "90220"
    nested = api.patch("SKU-P", [{"op": "replace", "path": "/attributes/purchasable_offer/0/currency",
                                  "value": ["USD"]}]).json()
    assert nested["status"] == "INVALID" and "top-level" in nested["issues"][0]["message"]
    missing = api.patch("NO-SUCH-SKU", [{"op": "delete", "path": "/attributes/condition_type"}]).json()
    assert missing["status"] == "INVALID"
    preview = api.patch("SKU-P", [{"op": "replace", "path": "/attributes/fulfillment_availability",
                                   "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 0}]}],
                        mode="VALIDATION_PREVIEW").json()
    assert preview["status"] == "VALID" and api.get("SKU-P").json()["fulfillmentAvailability"][0]["quantity"] == 3


def test_delete_removes_the_listing(emulator, api):
    emulator.selling.configure(live_delay=0)
    api.put("SKU-D", offer(ASIN))

    response = api.delete("SKU-D")

    assert response.status_code == 200 and response.json()["status"] == "ACCEPTED"
    assert api.get("SKU-D").status_code == 404
    assert api.delete("SKU-D").json()["status"] == "INVALID"


def test_requests_need_the_sellers_valid_token_and_their_own_seller_id(emulator, api):
    assert api.get("SKU-1").status_code == 404
    assert api.call("GET", f"/listings/2021-08-01/items/{SELLER_ID}/SKU-1", {"marketplaceIds": US},
                    token=None).status_code == 403
    assert api.call("GET", f"/listings/2021-08-01/items/{SELLER_ID}/SKU-1", {"marketplaceIds": US},
                    token="Atza|forged").status_code == 403
    other = api.call("GET", "/listings/2021-08-01/items/A3DEMOSELLEREU/SKU-1", {"marketplaceIds": US})
    assert other.status_code == 403
    assert api.call("GET", f"/listings/2021-08-01/items/{SELLER_ID}/SKU-1").status_code == 400  # no marketplace
    not_theirs = api.call("GET", f"/listings/2021-08-01/items/{SELLER_ID}/SKU-1", {"marketplaceIds": "A1PA6795UKMFR9"})
    assert not_theirs.status_code == 400 and not_theirs.json()["errors"][0]["code"] == "InvalidInput"


def test_search_filters_and_pages(emulator, api):
    emulator.selling.configure(live_delay=0)
    for n in range(3):
        api.put(f"S-{n}", offer(ASIN, quantity=n))
    emulator.advance_clock(1)

    page = api.search(pageSize=2, sortBy="sku", sortOrder="ASC", includedData="summaries,offers").json()
    skus = [item["sku"] for item in page["items"]]
    assert page["numberOfResults"] == 9  # the demo seller's 6 seeded offers and these 3
    assert len(skus) == 2 and "nextToken" in page["pagination"]
    assert set(page["items"][0]) == {"sku", "summaries", "offers"}
    emulator.advance_clock(1)
    buyable = api.search(withStatus="BUYABLE", identifiers="S-0,S-1,S-2", identifiersType="SKU").json()
    assert sorted(i["sku"] for i in buyable["items"]) == ["S-1", "S-2"]
    emulator.advance_clock(1)
    assert api.search(identifiers="S-0").status_code == 400


def test_search_stops_at_1000_results():
    with Emulator(rate_limit=False) as emu:
        emu.seed_demo()
        emu.register_app(**PLAIN_APP)
        api = Api(emu)
        offers = [{"sku": f"BULK-{n:05d}", "asin": ASIN, "price": "5.00", "quantity": 1} for n in range(1050)]
        emu.add_catalog_item(ASIN, "Acme Desk Lamp", brand="Acme")
        assert control(emu, "POST", "/offers", {"selling_partner_id": SELLER_ID, "marketplace_id": US,
                                                 "offers": offers}).status_code == 201

        seen, token, pages = [], None, 0
        while True:
            params = {"pageSize": 20, **({"pageToken": token} if token else {})}
            body = api.search(**params).json()
            pages += 1
            seen += [item["sku"] for item in body["items"]]
            assert body["numberOfResults"] == 1056
            token = body.get("pagination", {}).get("nextToken")
            if token is None:
                break
        assert len(seen) == 1000 and len(set(seen)) == 1000 and pages == 50
        beyond = api.search(pageSize=20, pageToken=page_token(1000))
        assert beyond.status_code == 400


def test_usage_plans_refuse_past_the_burst(emulator, api):
    emulator.selling.configure(live_delay=0)
    api.put("SKU-R", offer(ASIN))
    patch = [{"op": "replace", "path": "/attributes/fulfillment_availability",
              "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 1}]}]

    statuses = [api.patch("SKU-R", patch).status_code for _ in range(8)]  # patchListingsItem: 5 rps, burst 5

    assert statuses[:5] == [200] * 5 and 429 in statuses[5:]
    refused = api.patch("SKU-R", patch)
    assert refused.status_code == 429 and refused.json()["errors"][0]["code"] == "QuotaExceeded"
    assert api.get("SKU-R").status_code == 200  # another operation, another plan
    emulator.advance_clock(1)
    assert api.patch("SKU-R", patch).status_code == 200
    calls = control(emulator, "GET", "/operation-calls").json()
    assert calls["throttled"]["patchListingsItem"] >= 2 and calls["calls"]["patchListingsItem"] == 10
    assert calls["calls_by_seller"][SELLER_ID]["putListingsItem"] == 1
    assert calls["usage_plans"]["patchListingsItem"] == {"rate": 5.0, "burst": 5}


def test_faults_for_one_operation_or_for_all_of_sp_api(emulator, api):
    emulator.selling.configure(live_delay=0)
    assert control(emulator, "POST", "/operation-faults", {"operation": "getListingsItem", "status": 503,
                                                            "count": 2}).status_code == 201
    api.put("SKU-F", offer(ASIN))

    assert [api.get("SKU-F").status_code for _ in range(3)] == [503, 503, 200]
    emulator.inject_fault("sp-api", status=429)
    assert api.put("SKU-F", offer(ASIN)).status_code == 429
    assert api.put("SKU-F", offer(ASIN)).status_code == 200
    assert control(emulator, "POST", "/operation-faults", {"operation": "nope"}).status_code == 400
