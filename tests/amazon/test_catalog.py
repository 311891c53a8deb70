"""The Catalog Items client: request shape, answers attributed to identifiers, hostile answers."""

from urllib.parse import parse_qs, urlsplit

import pytest

from saleor_amazon_channel.amazon import catalog
from saleor_amazon_channel.core.marketplaces import BY_ID

US = BY_ID["ATVPDKIKX0DER"]


def item(asin, identifiers=(), title="Lamp", brand="Acme", images=None, marketplace="ATVPDKIKX0DER"):
    return {
        "asin": asin,
        "summaries": [{"marketplaceId": marketplace, "itemName": title, "brand": brand}],
        "identifiers": [{"marketplaceId": marketplace, "identifiers": [
            {"identifierType": kind, "identifier": value} for kind, value in identifiers
        ]}],
        "images": [{"marketplaceId": marketplace, "images": images or [
            {"variant": "PT01", "link": "https://m.media-amazon.com/images/I/pt01.jpg", "height": 500, "width": 500},
            {"variant": "MAIN", "link": "https://m.media-amazon.com/images/I/main.jpg", "height": 500, "width": 500},
        ]}],
    }


def test_the_request_follows_the_operation(settings):
    settings.AMAZON_CHANNEL_SP_API_URL = "https://sp.example"
    url = catalog.search_url(US, "SKU", ["A-1", "B-2"], "A1SELLER", page_token="next")
    parts = urlsplit(url)
    assert parts.path == "/catalog/2022-04-01/items"
    assert {k: v[0] for k, v in parse_qs(parts.query).items()} == {
        "identifiers": "A-1,B-2", "identifiersType": "SKU", "marketplaceIds": "ATVPDKIKX0DER",
        "includedData": "summaries,identifiers,images,productTypes",
        "pageSize": "20", "sellerId": "A1SELLER", "pageToken": "next",
    }
    assert "sellerId" not in catalog.search_url(US, "EAN", ["4006381333931"], "A1SELLER")
    with pytest.raises(ValueError):
        catalog.search_url(US, "EAN", ["1"] * 21, None)


def test_items_are_attributed_through_any_spelling_of_the_identifier():
    items = [
        catalog.parse_item(item("B000000001", [("UPC", "885909950805"), ("EAN", "0885909950805")]), US.id),
        catalog.parse_item(item("B000000002", [("EAN", "4006381333931")]), US.id),
        catalog.parse_item(item("B000000003", [("GTIN", "04006381333931")]), US.id),
    ]
    found = catalog.attribute("EAN", ["0885909950805", "4006381333931", "96385074"], items)
    assert [i.asin for i in found["0885909950805"]] == ["B000000001"]
    assert [i.asin for i in found["4006381333931"]] == ["B000000002", "B000000003"]
    assert found["96385074"] == []
    first = items[0]
    assert (first.title, first.brand, first.image_url) == ("Lamp", "Acme", "https://m.media-amazon.com/images/I/main.jpg")


def test_hostile_or_malformed_items_are_dropped_or_defused():
    assert catalog.parse_item({"asin": "../../evil"}, US.id) is None
    assert catalog.parse_item({"asin": "B0000000011"}, US.id) is None
    assert catalog.parse_item("not an object", US.id) is None
    odd = catalog.parse_item(
        {"asin": "B000000009", "summaries": "x", "identifiers": [{"identifiers": [{"identifier": None}]}],
         "images": [{"images": [{"variant": "MAIN", "link": "javascript:alert(1)"}]}]},
        US.id,
    )
    assert odd.asin == "B000000009" and odd.image_url == "" and odd.title == ""
    long_title = catalog.parse_item(item("B000000008", title="x" * 5000), US.id)
    assert len(long_title.title) == 500
