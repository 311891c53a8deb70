"""Catalog Items API (searchCatalogItems): parameters, answers, seeded catalog, usage plan, faults."""

import requests
from emulator_helpers import SELLER_ID, Browser, connect

from amazon_emulator import Emulator
from amazon_emulator.catalog import seeded_count

PATH = "/catalog/2022-04-01/items"
US = "ATVPDKIKX0DER"


def ean13(n):
    body = f"{500000000000 + n:012d}"
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(reversed(body), start=1))
    return body + str((10 - total % 10) % 10)


def eans(matches, how_many):
    found, n = [], 0
    while len(found) < how_many:
        n += 1
        if seeded_count("EAN", ean13(n)) == matches:
            found.append(ean13(n))
    return found


def search(emu, token, **params):
    query = {"marketplaceIds": US, "includedData": "summaries,identifiers,images", **params}
    return requests.get(emu.url + PATH, params=query, headers={"x-amz-access-token": token}, timeout=5)


def token_of(emu):
    with Browser(emu.url) as browser:
        return connect(browser)["access_token"]


def test_items_follow_amazons_model_for_known_identifiers(emulator):
    token = token_of(emulator)
    one, two, none = eans(1, 1)[0], eans(2, 1)[0], eans(0, 1)[0]

    response = search(emulator, token, identifiers=f"{one},{two},{none}", identifiersType="EAN", pageSize=20)

    assert response.status_code == 200, response.text
    assert response.headers["x-amzn-RateLimit-Limit"] == "2.0" and response.headers["x-amzn-RequestId"]
    body = response.json()
    assert body["numberOfResults"] == 3 and len(body["items"]) == 3
    item = body["items"][0]
    assert set(item) == {"asin", "summaries", "identifiers", "images"}
    assert item["summaries"][0]["marketplaceId"] == US and item["summaries"][0]["itemName"]
    spelled = {i["identifierType"]: i["identifier"] for i in item["identifiers"][0]["identifiers"]}
    assert spelled["EAN"] == one and spelled["GTIN"] == "0" + one
    assert requests.get(item["images"][0]["images"][0]["link"], timeout=5).headers["Content-Type"] == "image/svg+xml"
    # The same answer every time: the catalog is seeded from the identifier.
    emulator.advance_clock(1)
    assert search(emulator, token, identifiers=one, identifiersType="EAN").json()["items"][0]["asin"] == item["asin"]


def test_pages_of_results_and_included_data(emulator):
    token = token_of(emulator)
    values = eans(1, 12)
    first = search(emulator, token, identifiers=",".join(values), identifiersType="EAN", includedData="summaries")
    body = first.json()
    assert body["numberOfResults"] == 12 and len(body["items"]) == 10  # default page size
    assert set(body["items"][0]) == {"asin", "summaries"}
    emulator.advance_clock(1)
    rest = search(emulator, token, identifiers=",".join(values), identifiersType="EAN",
                  pageToken=body["pagination"]["nextToken"]).json()
    assert len(rest["items"]) == 2 and "nextToken" not in rest.get("pagination", {})


def test_bad_parameters_are_invalid_input(emulator):
    token = token_of(emulator)
    cases = [
        {"identifiers": ",".join(eans(1, 21)), "identifiersType": "EAN"},  # more than 20
        {"identifiers": "x"},  # identifiersType missing
        {"identifiers": "x", "identifiersType": "BARCODE"},
        {"identifiers": "SKU-1", "identifiersType": "SKU"},  # sellerId missing
        {"identifiers": "x", "identifiersType": "EAN", "keywords": "lamp"},
        {"identifiers": "x", "identifiersType": "EAN", "marketplaceIds": "A1PA6795UKMFR9"},  # not the seller's
        {"identifiers": "x", "identifiersType": "EAN", "includedData": "everything"},
        {"identifiers": "x", "identifiersType": "EAN", "pageSize": "50"},
        {"identifiers": "x", "identifiersType": "EAN", "pageToken": "garbage"},
    ]
    for params in cases:
        emulator.advance_clock(1)  # within the usage plan
        response = search(emulator, token, **params)
        assert response.status_code == 400, params
        assert response.json()["errors"][0]["code"] == "InvalidInput"
    assert search(emulator, "Atza|forged", identifiers="x", identifiersType="EAN").status_code == 403


def test_skus_are_searched_for_the_authorized_seller(emulator):
    token = token_of(emulator)
    skus = [f"SKU-{n}" for n in range(40) if seeded_count("SKU", f"SKU-{n}", SELLER_ID)][:3]
    body = search(emulator, token, identifiers=",".join(skus), identifiersType="SKU", sellerId=SELLER_ID).json()
    assert {i["identifiers"][0]["identifiers"][0]["identifier"] for i in body["items"]} == set(skus)
    emulator.advance_clock(1)
    assert search(emulator, token, identifiers="SKU-1", identifiersType="SKU", sellerId="AOTHER").status_code == 400


def test_items_added_through_the_control_api_come_first(emulator):
    token = token_of(emulator)
    value = eans(0, 1)[0]
    response = requests.post(emulator.url + "/_emulator/catalog", json={
        "asin": "B0DEMO0001", "title": "Demo lamp", "brand": "Acme", "identifiers": {"EAN": [value]},
    }, timeout=5)
    assert response.status_code == 201
    # Found through another spelling of the same GTIN.
    items = search(emulator, token, identifiers="0" + value, identifiersType="GTIN").json()["items"]
    assert [(i["asin"], i["summaries"][0]["itemName"]) for i in items] == [("B0DEMO0001", "Demo lamp")]


def test_items_added_with_a_product_type_carry_it_and_two_on_one_sku_are_a_multiple_match(emulator):
    token = token_of(emulator)
    for asin in ("B0WALK0001", "B0WALK0002"):
        response = requests.post(emulator.url + "/_emulator/catalog", json={
            "asin": asin, "title": "Sneaker", "brand": "Acme", "identifiers": {"SKU": ["918223582"]},
            "product_type": "PRODUCT",
        }, timeout=5)
        assert response.status_code == 201
    body = search(emulator, token, identifiers="918223582", identifiersType="SKU", sellerId=SELLER_ID,
                  includedData="summaries,productTypes").json()
    assert [i["asin"] for i in body["items"]] == ["B0WALK0001", "B0WALK0002"]
    assert {i["productTypes"][0]["productType"] for i in body["items"]} == {"PRODUCT"}
    assert {i["productTypes"][0]["marketplaceId"] for i in body["items"]} == {"ATVPDKIKX0DER"}
    refused = requests.post(emulator.url + "/_emulator/catalog", json={
        "asin": "B0WALK0003", "title": "Sneaker", "product_type": "NOT_A_TYPE"}, timeout=5)
    assert refused.status_code == 400


def test_the_usage_plan_is_two_per_second_burst_two_per_seller():
    with Emulator() as emu:
        emu.seed_demo()
        from emulator_helpers import PLAIN_APP

        emu.register_app(**PLAIN_APP)
        token = token_of(emu)
        statuses = [search(emu, token, identifiers=ean13(1), identifiersType="EAN").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        assert emu.state.throttled["catalog"] == 1
        emu.advance_clock(0.5)
        assert search(emu, token, identifiers=ean13(1), identifiersType="EAN").status_code == 200


def test_the_limit_can_be_lifted_and_faults_injected():
    with Emulator(rate_limit=False) as emu:
        emu.seed_demo()
        from emulator_helpers import PLAIN_APP

        emu.register_app(**PLAIN_APP)
        token = token_of(emu)
        assert all(
            search(emu, token, identifiers=ean13(1), identifiersType="EAN").status_code == 200 for _ in range(10)
        )
        emu.inject_fault("sp-api", status=503)
        failed = search(emu, token, identifiers=ean13(1), identifiersType="EAN")
        assert failed.status_code == 503 and failed.json()["errors"][0]["code"] == "ServiceUnavailable"
        assert emu.state.catalog_calls[SELLER_ID] == 11
