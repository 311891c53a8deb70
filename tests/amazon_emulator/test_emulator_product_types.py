"""Product Type Definitions API 2020-09-01: search, get with a schema link to a real JSON Schema."""

import base64
import hashlib

import requests
from selling_helpers import US, Api


def test_search_product_types(emulator):
    api = Api(emulator)
    response = api.call("GET", "/definitions/2020-09-01/productTypes", {"marketplaceIds": US, "keywords": "lamp"})

    assert response.status_code == 200 and response.headers["x-amzn-RateLimit-Limit"] == "5.0"
    body = response.json()
    assert body["productTypes"] == [{"name": "LAMP", "displayName": "Lamp", "marketplaceIds": [US]}]
    assert body["productTypeVersion"]
    everything = api.call("GET", "/definitions/2020-09-01/productTypes", {"marketplaceIds": US}).json()
    assert {"PRODUCT", "LUGGAGE"} <= {t["name"] for t in everything["productTypes"]}
    both = {"marketplaceIds": US, "keywords": "lamp", "itemName": "desk lamp"}
    assert api.call("GET", "/definitions/2020-09-01/productTypes", both).status_code == 400


def test_the_offer_only_definition_links_its_schema(emulator):
    api = Api(emulator)
    response = api.call("GET", "/definitions/2020-09-01/productTypes/LAMP", {
        "marketplaceIds": US, "requirements": "LISTING_OFFER_ONLY", "locale": "DEFAULT"})

    assert response.status_code == 200, response.text
    definition = response.json()
    assert definition["productType"] == "LAMP" and definition["displayName"] == "Lamp"
    assert definition["requirements"] == "LISTING_OFFER_ONLY" and definition["requirementsEnforced"] == "ENFORCED"
    assert definition["marketplaceIds"] == [US] and definition["locale"] == "en_US"
    assert definition["productTypeVersion"]["latest"] is True
    assert "purchasable_offer" in definition["propertyGroups"]["offer"]["propertyNames"]
    link = definition["schema"]["link"]
    assert link["verb"] == "GET"
    document = requests.get(link["resource"], timeout=5)  # no access token: a pre-signed link at Amazon
    assert base64.b64encode(hashlib.md5(document.content).digest()).decode() == definition["schema"]["checksum"]
    schema = document.json()
    assert schema["$schema"] == "https://schemas.amazon.com/selling-partners/definitions/product-types/meta-schema/v1"
    assert schema["required"] == ["condition_type", "merchant_suggested_asin", "purchasable_offer"]
    assert "new_new" in schema["properties"]["condition_type"]["items"]["properties"]["value"]["enum"]
    offer = schema["properties"]["purchasable_offer"]["items"]["properties"]
    assert offer["currency"]["enum"] == ["USD"]
    availability = schema["properties"]["fulfillment_availability"]["items"]["properties"]
    assert availability["quantity"] == {"title": "Quantity", "type": "integer", "minimum": 0}
    meta = requests.get(definition["metaSchema"]["link"]["resource"], timeout=5)
    assert meta.json()["$id"] == schema["$schema"]

    full = api.call("GET", "/definitions/2020-09-01/productTypes/LAMP", {"marketplaceIds": US}).json()
    assert full["requirements"] == "LISTING"
    assert "item_name" in requests.get(full["schema"]["link"]["resource"], timeout=5).json()["required"]


def test_unknown_product_types_and_bad_parameters(emulator):
    api = Api(emulator)
    assert api.call("GET", "/definitions/2020-09-01/productTypes/NOPE", {"marketplaceIds": US}).status_code == 404
    assert api.call("GET", "/definitions/2020-09-01/productTypes/LAMP").status_code == 400
    assert api.call("GET", "/definitions/2020-09-01/productTypes/LAMP",
                    {"marketplaceIds": US, "requirements": "EVERYTHING"}).status_code == 400
    assert api.call("GET", "/definitions/2020-09-01/productTypes/LAMP", {"marketplaceIds": US},
                    token=None).status_code == 403
