"""The Reports API 2021-06-30 for GET_MERCHANT_LISTINGS_ALL_DATA: what the seller already sells.

createReport 0.0167/s burst 15, getReport 2/s burst 15, getReportDocument 0.0167/s burst 15.
The document is Amazon's tab-separated All Listings Report (Cp1252).
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from saleor_amazon_channel.amazon import documents, endpoints
from saleor_amazon_channel.amazon.http import AmazonHttp
from saleor_amazon_channel.amazon.sp_api import call
from saleor_amazon_channel.core.marketplaces import Marketplace

REPORTS_PATH = "/reports/2021-06-30"
MERCHANT_LISTINGS = "GET_MERCHANT_LISTINGS_ALL_DATA"
PLANS = {"createReport": (0.0167, 15), "getReport": (2.0, 15), "getReportDocument": (0.0167, 15)}
FINISHED = ("DONE", "FATAL", "CANCELLED")


@dataclass(frozen=True)
class ReportStatus:
    report_id: str
    status: str
    document_id: str = ""


@dataclass(frozen=True)
class ExistingOffer:
    sku: str
    asin: str
    price: Decimal | None
    quantity: int | None
    fulfillment_channel: str
    active: bool
    name: str = ""


def create(http: AmazonHttp, token: str, marketplace: Marketplace) -> str:
    url = endpoints.sp_api_url(marketplace.region) + REPORTS_PATH + "/reports"
    answer, _ = call(http, "POST", url, token, {"reportType": MERCHANT_LISTINGS, "marketplaceIds": [marketplace.id]},
                     api="Reports API")
    return str(answer.get("reportId") or "")


def get(http: AmazonHttp, token: str, marketplace: Marketplace, report_id: str) -> ReportStatus:
    url = f"{endpoints.sp_api_url(marketplace.region)}{REPORTS_PATH}/reports/{report_id}"
    answer, _ = call(http, "GET", url, token, api="Reports API")
    return ReportStatus(report_id, str(answer.get("processingStatus") or ""), str(answer.get("reportDocumentId") or ""))


def offers(http: AmazonHttp, token: str, marketplace: Marketplace, document_id: str) -> list[ExistingOffer]:
    url = f"{endpoints.sp_api_url(marketplace.region)}{REPORTS_PATH}/documents/{document_id}"
    answer, _ = call(http, "GET", url, token, api="Reports API")
    content = documents.download(http, str(answer.get("url") or ""), answer.get("compressionAlgorithm"))
    return parse(content.decode("cp1252", errors="replace"))


def parse(text: str) -> list[ExistingOffer]:
    result = []
    for row in csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE):
        sku = (row.get("seller-sku") or "").strip()
        if not sku:
            continue
        try:
            price: Decimal | None = Decimal((row.get("price") or "").strip())
        except InvalidOperation:
            price = None
        quantity_text = (row.get("quantity") or "").strip()
        result.append(ExistingOffer(
            sku=sku[:40],
            asin=(row.get("asin1") or "").strip()[:10],
            price=price,
            quantity=int(quantity_text) if quantity_text.isdigit() else None,
            fulfillment_channel=(row.get("fulfillment-channel") or "DEFAULT").strip()[:32] or "DEFAULT",
            active=(row.get("status") or "").strip().lower() == "active",
            name=(row.get("item-name") or "").strip()[:512],
        ))
    return result
