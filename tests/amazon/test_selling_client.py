"""The selling clients' parsing: Amazon's issues made fit to store, the merchant listings report, offer bodies."""

from decimal import Decimal

from saleor_amazon_channel.amazon import listings, reports
from saleor_amazon_channel.amazon.sp_api import clean_issues
from saleor_amazon_channel.core.marketplaces import MARKETPLACES

US = next(m for m in MARKETPLACES if m.id == "ATVPDKIKX0DER")


def test_issues_keep_known_fields_and_lose_what_postgresql_refuses():
    raw = [{"code": "90220", "severity": "ERROR", "message": "bad\x00 value\u200b here", "attributeNames": ["x"],
            "enforcements": {"huge": "x" * 10_000}}, "not an issue", {"code": 7, "attributeName": "condition_type"}]
    assert clean_issues(raw) == [
        {"code": "90220", "severity": "ERROR", "message": "bad value here", "attributeNames": ["x"]},
        {"code": "", "severity": "", "message": "", "attributeNames": ["condition_type"]},
    ]
    assert len(clean_issues([{"code": "1"}] * 80)) == 50 and len(clean_issues([{"code": "1"}] * 80, limit=None)) == 80


def test_the_merchant_listings_report_is_read_by_column_name():
    text = "item-name\tseller-sku\tprice\tquantity\tasin1\tfulfillment-channel\tstatus\n" \
           "Lamp\tSKU-1\t18.50\t5\tB000000001\tDEFAULT\tActive\n" \
           "Mug\tSKU-2\t9\t\tB000000002\tAMAZON_NA\tInactive\n\t\t\t\t\t\t\n"
    assert reports.parse(text) == [
        reports.ExistingOffer("SKU-1", "B000000001", Decimal("18.50"), 5, "DEFAULT", True, "Lamp"),
        reports.ExistingOffer("SKU-2", "B000000002", Decimal("9"), None, "AMAZON_NA", False, "Mug"),
    ]


def test_an_offer_body_sends_the_price_as_a_decimal_string_and_omits_an_unknown_handling_time():
    offer = listings.Offer(price=Decimal("19.9"), currency="USD", quantity=3, handling_time=None,
                           condition="new_new", asin="B000000001")
    attributes = listings.offer_attributes(offer, US)
    assert attributes["purchasable_offer"][0]["our_price"][0]["schedule"][0]["value_with_tax"] == "19.90"
    assert attributes["fulfillment_availability"] == [{"fulfillment_channel_code": "DEFAULT", "quantity": 3}]
    assert attributes["merchant_suggested_asin"][0]["value"] == "B000000001"
    patches = listings.offer_patches(listings.Offer(Decimal(5), "USD", 0, 2, "new_new"), US)
    assert [p["path"] for p in patches] == ["/attributes/purchasable_offer", "/attributes/fulfillment_availability"]
    assert patches[1]["value"][0]["lead_time_to_ship_max_days"] == 2
