"""Reports API 2021-06-30: GET_MERCHANT_LISTINGS_ALL_DATA reflects the seller's current offers."""

import requests
from emulator_helpers import SELLER_ID
from selling_helpers import US, Api, offer

from amazon_emulator.reports import COLUMNS

HEADER = ("item-name\titem-description\tlisting-id\tseller-sku\tprice\tquantity\topen-date\timage-url\t"
          "item-is-marketplace\tproduct-id-type\tzshop-shipping-fee\titem-note\titem-condition\tzshop-category1\t"
          "zshop-browse-path\tzshop-storefront-feature\tasin1\tasin2\tasin3\twill-ship-internationally\t"
          "expedited-shipping\tzshop-boldface\tproduct-id\tbid-for-featured-placement\tadd-delete\t"
          "pending-quantity\tfulfillment-channel\tmerchant-shipping-group\tstatus")


def create(api, report_type="GET_MERCHANT_LISTINGS_ALL_DATA", marketplaces=(US,)):
    return api.call("POST", "/reports/2021-06-30/reports",
                    json={"reportType": report_type, "marketplaceIds": list(marketplaces)})


def test_the_merchant_listings_report_is_amazons_flat_file_of_current_offers(emulator):
    emulator.add_catalog_item("B0REPORT01", "Acme\tReport Lamp", brand="Acme")
    emulator.selling.configure(live_delay=0, report_delays=[5, 5])
    api = Api(emulator)
    api.put("NEW-1", offer("B0REPORT01", price="12.00", quantity=0))

    response = create(api)
    assert response.status_code == 202 and response.headers["x-amzn-RateLimit-Limit"] == "0.0167"
    report_id = response.json()["reportId"]
    assert api.call("GET", f"/reports/2021-06-30/reports/{report_id}").json()["processingStatus"] == "IN_QUEUE"
    emulator.advance_clock(5)
    assert api.call("GET", f"/reports/2021-06-30/reports/{report_id}").json()["processingStatus"] == "IN_PROGRESS"
    emulator.advance_clock(5)
    report = api.call("GET", f"/reports/2021-06-30/reports/{report_id}")
    assert report.headers["x-amzn-RateLimit-Limit"] == "2.0"
    report = report.json()
    assert report["processingStatus"] == "DONE" and report["reportType"] == "GET_MERCHANT_LISTINGS_ALL_DATA"
    assert report["marketplaceIds"] == [US] and report["processingEndTime"]

    document = api.call("GET", f"/reports/2021-06-30/documents/{report['reportDocumentId']}")
    assert document.headers["x-amzn-RateLimit-Limit"] == "0.0167"
    assert document.json()["reportDocumentId"] == report["reportDocumentId"]
    content = requests.get(document.json()["url"], timeout=5)
    assert content.headers["Content-Type"] == "text/plain;charset=Cp1252"
    lines = content.content.decode("cp1252").splitlines()
    assert lines[0] == HEADER and len(COLUMNS) == 29
    rows = {row["seller-sku"]: row for row in (dict(zip(COLUMNS, line.split("\t"), strict=True))
                                                 for line in lines[1:])}
    assert set(rows) == {o.sku for o in emulator.selling.offers_of(SELLER_ID, US)}
    new = rows["NEW-1"]
    assert (new["item-name"], new["price"], new["quantity"], new["asin1"], new["product-id"]) == (
        "Acme Report Lamp", "12.00", "0", "B0REPORT01", "B0REPORT01")
    assert (new["product-id-type"], new["item-condition"], new["fulfillment-channel"], new["status"]) == (
        "1", "11", "DEFAULT", "Inactive")
    fba = [row for row in rows.values() if row["fulfillment-channel"] == "AMAZON_NA"]
    assert len(fba) == 1 and fba[0]["quantity"] == "" and fba[0]["status"] == "Active"
    assert rows["AMZ-LEGACY-001"]["status"] == "Active" and rows["AMZ-LEGACY-001"]["price"] == "9.99"


def test_reports_refuse_what_the_emulator_does_not_make_and_can_be_listed_and_cancelled(emulator):
    emulator.selling.configure(report_delays=[5, 5])
    api = Api(emulator)
    assert create(api, "GET_FLAT_FILE_OPEN_LISTINGS_DATA").status_code == 400
    assert create(api, marketplaces=("A1PA6795UKMFR9",)).status_code == 400
    report_id = create(api).json()["reportId"]

    assert api.call("DELETE", f"/reports/2021-06-30/reports/{report_id}").status_code == 200
    listed = api.call("GET", "/reports/2021-06-30/reports",
                      {"reportTypes": "GET_MERCHANT_LISTINGS_ALL_DATA"}).json()["reports"]
    assert [(r["reportId"], r["processingStatus"]) for r in listed] == [(report_id, "CANCELLED")]
    assert api.call("GET", "/reports/2021-06-30/reports/999").status_code == 404
    assert api.call("GET", "/reports/2021-06-30/documents/nope").status_code == 404


def test_create_report_usage_plan(emulator):
    api = Api(emulator)
    statuses = [create(api).status_code for _ in range(16)]
    assert statuses == [202] * 15 + [429]
