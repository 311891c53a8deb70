"""Control API for offers, listing settings, FATAL feeds, operation faults, usage plans and call counts."""

import requests
from emulator_helpers import SELLER_ID
from selling_helpers import US, Api, control, offer

from amazon_emulator import Emulator


def test_demo_seller_has_existing_offers_some_matching_some_third_party_one_fba(emulator):
    offers = control(emulator, "GET", "/offers", selling_partner_id=SELLER_ID).json()["offers"]

    skus = {o["sku"]: o for o in offers}
    assert sum(sku.startswith("DEMO-") for sku in skus) == 4
    assert sum(sku.startswith("AMZ-LEGACY-") for sku in skus) == 2
    fba = [o for o in offers if o["fulfillment_channel_code"] == "AMAZON_NA"]
    assert len(fba) == 1 and fba[0]["quantity"] == 40 and fba[0]["status"] == ["BUYABLE", "DISCOVERABLE"]
    assert all(o["marketplace_id"] == US and o["currency"] == "USD" and not o["pending"] for o in offers)
    assert control(emulator, "GET", "/listings-settings").json()["restricted_brands"] == ["umbrella"]
    # The demo offers are on items the catalog match finds for the demo shop's EANs.
    search = Api(emulator).call("GET", "/catalog/2022-04-01/items", {
        "marketplaceIds": US, "identifiersType": "ASIN", "identifiers": skus["DEMO-0001"]["asin"],
        "includedData": "summaries,productTypes"}).json()
    assert search["items"][0]["productTypes"][0]["productType"] == skus["DEMO-0001"]["product_type"]


def test_seed_and_read_offers_over_http():
    with Emulator() as emu:
        emu.add_seller("s@example.com", "pw", "A9SELLER", marketplaces={US: True})
        response = control(emu, "POST", "/offers", {"selling_partner_id": "A9SELLER", "marketplace_id": US, "offers": [
            {"sku": "A", "asin": "B0AAAAAAAA", "price": "10.00", "quantity": 2},
            {"sku": "B", "asin": "B0BBBBBBBB", "price": 7, "quantity": 9, "fulfillment_channel_code": "AMAZON_NA"},
        ]})
        assert response.status_code == 201, response.text
        offers = control(emu, "GET", "/offers", selling_partner_id="A9SELLER").json()["offers"]
        assert [(o["sku"], o["price"], o["quantity"], o["fulfillment_channel_code"]) for o in offers] == [
            ("A", "10.00", 2, "DEFAULT"), ("B", "7", 9, "AMAZON_NA")]
        assert control(emu, "POST", "/offers", {"selling_partner_id": "nobody", "marketplace_id": US,
                                                 "offers": []}).status_code == 400
        assert control(emu, "GET", "/offers").status_code == 400
        emu.reset()
        assert control(emu, "GET", "/offers", selling_partner_id="A9SELLER").json()["offers"] == []


def test_settings_usage_plans_and_calls(emulator):
    settings = control(emulator, "POST", "/listings-settings",
                       {"live_delay": 0, "restricted_brands": ["Acme"], "feed_delays": [0, 0]}).json()
    assert settings == {"live_delay": 0.0, "restricted_brands": ["acme"], "feed_delays": [0.0, 0.0],
                        "report_delays": [1.0, 1.0], "fatal_feeds": 0}
    assert control(emulator, "POST", "/listings-settings", {"live_delay": -1}).status_code == 400
    assert control(emulator, "POST", "/listings-settings", {"colour": "red"}).status_code == 400
    plan = control(emulator, "POST", "/usage-plans", {"operation": "getListingsItem", "rate": 100, "burst": 50})
    assert plan.json() == {"operation": "getListingsItem", "rate": 100.0, "burst": 50}
    assert control(emulator, "GET", "/usage-plans").json()["getListingsItem"] == {"rate": 100.0, "burst": 50}
    api = Api(emulator)
    statuses = {api.get("DEMO-0001").status_code for _ in range(20)}
    assert statuses == {200}
    assert api.get("DEMO-0001").headers["x-amzn-RateLimit-Limit"] == "100.0"
    calls = control(emulator, "GET", "/operation-calls").json()
    assert calls["calls"]["getListingsItem"] == 21 and calls["calls_by_seller"][SELLER_ID]["getListingsItem"] == 21
    # A plain-form post is refused, as for every control endpoint.
    assert requests.post(emulator.url + "/_emulator/listings-settings", data={"live_delay": "0"},
                         timeout=5).status_code == 415
    emulator.add_catalog_item("B0ACMEACME", "Acme thing", brand="Acme")
    assert api.put("ACME-1", offer("B0ACMEACME")).json()["issues"][0]["code"] == "APPROVAL_REQUIRED"


def test_offer_writes_count_the_versions_amazon_accepted_per_sku(emulator):
    api = Api(emulator)
    asin = control(emulator, "GET", "/offers", selling_partner_id=SELLER_ID).json()["offers"][0]["asin"]
    assert api.put("WRITES-1", offer(asin)).json()["status"] == "ACCEPTED"
    assert api.put("WRITES-1", offer(asin)).json()["status"] == "ACCEPTED"  # the same version sent twice shows
    assert api.put("WRITES-2", offer(asin, price=0)).status_code == 200
    assert api.put("WRITES-3", {}).json()["status"] == "INVALID"  # refused: not a version

    writes = control(emulator, "GET", "/offer-writes", selling_partner_id=SELLER_ID).json()["writes"]

    assert (writes.get("WRITES-1"), writes.get("WRITES-2"), writes.get("WRITES-3")) == (2, 1, None)
    assert control(emulator, "GET", "/offer-writes").status_code == 400
