"""HTTP helpers for the Listings Items, Feeds, Reports and Product Type Definitions tests."""

from __future__ import annotations

import requests
from emulator_helpers import SELLER_ID, Browser, connect

from amazon_emulator.catalog import seeded_count

US = "ATVPDKIKX0DER"
ITEMS = f"/listings/2021-08-01/items/{SELLER_ID}"


def token_of(emu) -> str:
    with Browser(emu.url) as browser:
        return connect(browser)["access_token"]


class Api:
    """What a client of SP-API does, with one seller's access token."""

    def __init__(self, emu, token: str | None = None):
        self.emu = emu
        self.token = token or token_of(emu)

    def call(self, method: str, path: str, params=None, json=None, token=...) -> requests.Response:
        headers = {} if token is None else {"x-amz-access-token": self.token if token is ... else token}
        return requests.request(method, self.emu.url + path, params=params, json=json, headers=headers, timeout=5)

    def put(self, sku: str, attributes: dict, product_type: str = "PRODUCT", **params) -> requests.Response:
        body = {"productType": product_type, "requirements": "LISTING_OFFER_ONLY", "attributes": attributes}
        return self.call("PUT", f"{ITEMS}/{sku}", {"marketplaceIds": US, **params}, body)

    def patch(self, sku: str, patches: list, **params) -> requests.Response:
        return self.call("PATCH", f"{ITEMS}/{sku}", {"marketplaceIds": US, **params},
                         {"productType": "PRODUCT", "patches": patches})

    def get(self, sku: str, included="summaries,attributes,issues,offers,fulfillmentAvailability,procurement"):
        return self.call("GET", f"{ITEMS}/{sku}", {"marketplaceIds": US, "includedData": included})

    def delete(self, sku: str) -> requests.Response:
        return self.call("DELETE", f"{ITEMS}/{sku}", {"marketplaceIds": US})

    def search(self, **params) -> requests.Response:
        return self.call("GET", ITEMS, {"marketplaceIds": US, **params})


def offer(asin: str | None, price="19.99", quantity=12, condition="new_new", currency="USD", lead_time=2,
          channel="DEFAULT") -> dict:
    attributes = {
        "condition_type": [{"value": condition, "marketplace_id": US}],
        "purchasable_offer": [{"marketplace_id": US, "currency": currency,
                               "our_price": [{"schedule": [{"value_with_tax": price}]}]}],
        "fulfillment_availability": [{"fulfillment_channel_code": channel, "quantity": quantity,
                                      "lead_time_to_ship_max_days": lead_time}],
    }
    if asin:
        attributes["merchant_suggested_asin"] = [{"value": asin, "marketplace_id": US}]
    if condition is None:
        del attributes["condition_type"]
    if price is None:
        del attributes["purchasable_offer"]
    return attributes


def unknown_asin() -> str:
    n = 0
    while seeded_count("ASIN", f"B0ZZZZ{n:04d}") != 0:
        n += 1
    return f"B0ZZZZ{n:04d}"


def control(emu, method: str, path: str, body=None, **params) -> requests.Response:
    return requests.request(method, emu.url + "/_emulator" + path, json=body, params=params, timeout=5)
