"""Reports API v2021-06-30: the merchant listings report (GET_MERCHANT_LISTINGS_ALL_DATA).

Follows reports_2021-06-30.json: createReport (202 ``reportId``), getReport,
getReports, cancelReport (only while IN_QUEUE), getReportDocument, each with its
usage plan.  A report is IN_QUEUE for ``report_delays[0]`` seconds, IN_PROGRESS
for ``report_delays[1]``, then DONE; its document is a snapshot of the seller's
offers in the report's marketplace at that moment, as Amazon's tab-separated
"All Listings Report" flat file (header below; Cp1252 text, as Amazon's NA/EU
flat files).  Other report types are refused with InvalidInput.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid

from . import offer_rules
from .selling import (
    Job,
    Operation,
    SellingState,
    SpApiModule,
    check_marketplaces,
    csv_param,
    invalid,
    iso,
    ok,
    parse_iso,
)
from .sp_api import error
from .state import Seller
from .web import Request, Response

REPORTS_PATH = "/reports/2021-06-30/reports"
REPORT_PATH = r"/reports/2021-06-30/reports/(?P<report_id>[0-9]+)"
DOCUMENT_PATH = r"/reports/2021-06-30/documents/(?P<document_id>[^/]+)"
MERCHANT_LISTINGS = "GET_MERCHANT_LISTINGS_ALL_DATA"
REPORT_TYPES = (MERCHANT_LISTINGS,)
STATUSES = ("CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE")
RETENTION = 90 * 86400
CONTENT_TYPE = "text/plain;charset=Cp1252"
COLUMNS = (
    "item-name", "item-description", "listing-id", "seller-sku", "price", "quantity", "open-date", "image-url",
    "item-is-marketplace", "product-id-type", "zshop-shipping-fee", "item-note", "item-condition",
    "zshop-category1", "zshop-browse-path", "zshop-storefront-feature", "asin1", "asin2", "asin3",
    "will-ship-internationally", "expedited-shipping", "zshop-boldface", "product-id",
    "bid-for-featured-placement", "add-delete", "pending-quantity", "fulfillment-channel",
    "merchant-shipping-group", "status",
)
# item-condition codes of Amazon's flat files
CONDITION_CODES = {
    "used_like_new": "1", "used_very_good": "2", "used_good": "3", "used_acceptable": "4",
    "collectible_like_new": "5", "collectible_very_good": "6", "collectible_good": "7",
    "collectible_acceptable": "8", "refurbished_refurbished": "10", "new_new": "11", "new_open_box": "11",
    "new_oem": "11", "club_club": "11",
}
PRODUCT_ID_TYPE_ASIN = "1"


class Reports(SpApiModule):
    def __init__(self, selling: SellingState, base_url):
        super().__init__(selling, base_url)
        selling.processors["report"] = self.process

    def operations(self):
        return [
            Operation("createReport", "POST", REPORTS_PATH, self.create),
            Operation("getReports", "GET", REPORTS_PATH, self.list),
            Operation("getReport", "GET", REPORT_PATH, self.get),
            Operation("cancelReport", "DELETE", REPORT_PATH, self.cancel),
            Operation("getReportDocument", "GET", DOCUMENT_PATH, self.get_document),
        ]

    def create(self, request: Request, seller: Seller) -> Response:
        if request.content_type != "application/json":
            return error("InvalidInput", 415, "The request's Content-Type must be application/json.")
        try:
            body = request.json()
        except ValueError:
            return invalid("The request body is not valid JSON.")
        if not isinstance(body, dict):
            return invalid("The request body must be a JSON object.")
        report_type, marketplaces = body.get("reportType"), body.get("marketplaceIds")
        if report_type not in REPORT_TYPES:
            return invalid(f"Report type {report_type!r} is not supported by the emulator "
                           f"(it serves {', '.join(REPORT_TYPES)}).")
        if not isinstance(marketplaces, list) or not all(isinstance(m, str) for m in marketplaces):
            return invalid("marketplaceIds is required and must be an array of strings.")
        problem = check_marketplaces(seller, marketplaces)
        if problem:
            return invalid(problem)
        job = self.selling.new_job("report", seller.selling_partner_id, report_type, list(marketplaces),
                                   options=body.get("reportOptions") or {})
        return ok(202, {"reportId": job.job_id})

    def _job(self, seller: Seller, report_id: str) -> Job | None:
        job = self.selling.jobs.get(report_id)
        if job is None or job.kind != "report" or job.seller_id != seller.selling_partner_id:
            return None
        return job

    def get(self, request: Request, seller: Seller, report_id: str) -> Response:
        job = self._job(seller, report_id)
        if job is None:
            return error("NotFound", details=f"Report {report_id} not found.")
        return ok(200, report_view(job, self.selling.now()))

    def list(self, request: Request, seller: Seller) -> Response:
        query = dict(request.query)
        if query.get("nextToken"):
            try:
                query = json.loads(base64.urlsafe_b64decode(query["nextToken"].encode()))
            except (ValueError, TypeError):
                return invalid("nextToken is not valid.")
        elif not query.get("reportTypes"):
            return invalid("reportTypes or nextToken is required.")
        now = self.selling.now()
        types, statuses = csv_param(query, "reportTypes"), csv_param(query, "processingStatuses")
        marketplaces = csv_param(query, "marketplaceIds")
        try:
            page_size, offset = int(query.get("pageSize") or 10), int(query.get("offset") or 0)
        except ValueError:
            return invalid("pageSize must be a number.")
        if not 1 <= page_size <= 100 or any(s not in STATUSES for s in statuses):
            return invalid("pageSize must be between 1 and 100; processingStatuses one of " + ", ".join(STATUSES))
        since = parse_iso(query["createdSince"]) if query.get("createdSince") else now - RETENTION
        until = parse_iso(query["createdUntil"]) if query.get("createdUntil") else now
        if since is None or until is None:
            return invalid("createdSince and createdUntil must be ISO 8601 date-times.")
        found = sorted(
            (job for job in self.selling.jobs_of("report", seller.selling_partner_id)
             if job.job_type in types and since <= job.created_at <= until
             and (not statuses or job.status(now) in statuses)
             and (not marketplaces or set(marketplaces) & set(job.marketplace_ids))),
            key=lambda job: job.created_at, reverse=True)
        body: dict = {"reports": [report_view(job, now) for job in found[offset:offset + page_size]]}
        if offset + page_size < len(found):
            following = {**query, "offset": offset + page_size}
            following.pop("nextToken", None)
            body["nextToken"] = base64.urlsafe_b64encode(json.dumps(following).encode()).decode()
        return ok(200, body)

    def cancel(self, request: Request, seller: Seller, report_id: str) -> Response:
        job = self._job(seller, report_id)
        if job is None:
            return error("NotFound", details=f"Report {report_id} not found.")
        if job.status(self.selling.now()) != "IN_QUEUE":
            return invalid(f"Report {report_id} can only be cancelled while IN_QUEUE.")
        job.cancelled = True
        return ok(200, {})

    def get_document(self, request: Request, seller: Seller, document_id: str) -> Response:
        document = self.selling.documents.get(document_id)
        if document is None or document.seller_id != seller.selling_partner_id or document.kind != "report":
            return error("NotFound", details=f"Report document {document_id} not found.")
        return ok(200, {"reportDocumentId": document_id,
                        "url": self.selling.document_url(self.base_url(), document)})

    # -- processing (SellingState.tick, under the lock) -------------------------------------

    def process(self, job: Job) -> None:
        content = merchant_listings(self.selling, job.seller_id, job.marketplace_ids[0])
        document = self.selling.new_document(job.seller_id, CONTENT_TYPE, "report",
                                             content.encode("cp1252", "replace"))
        job.result_document_id = document.document_id


def merchant_listings(selling: SellingState, seller_id: str, marketplace_id: str) -> str:
    """The All Listings Report of a seller's offers in one marketplace, as of now."""
    now = selling.now()
    lines = ["\t".join(COLUMNS)]
    for offer in sorted(selling.offers_of(seller_id, marketplace_id), key=lambda o: o.created_at):
        facts = offer_rules.offer_facts(offer, now)
        fba = facts["fulfillment_channel_code"].startswith("AMAZON_")
        row = dict.fromkeys(COLUMNS, "")
        row.update({
            "item-name": _clean(offer.item_name),
            "listing-id": _listing_id(offer.created_at, offer.sku),
            "seller-sku": offer.sku,
            "price": facts["price"] or "",
            "quantity": "" if fba else str(facts["quantity"]),
            "open-date": dt.datetime.fromtimestamp(offer.created_at, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
            "item-is-marketplace": "y",
            "product-id-type": PRODUCT_ID_TYPE_ASIN,
            "item-condition": CONDITION_CODES.get(facts["condition_type"] or "", ""),
            "asin1": offer.asin,
            "product-id": offer.asin,
            "pending-quantity": "0",
            "fulfillment-channel": facts["fulfillment_channel_code"],
            "merchant-shipping-group": "" if fba else "Migrated Template",
            "status": "Active" if "BUYABLE" in facts["status"] else "Inactive",
        })
        lines.append("\t".join(row[column] for column in COLUMNS))
    return "\n".join(lines) + "\n"


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def _listing_id(created_at: float, sku: str) -> str:
    day = dt.datetime.fromtimestamp(created_at, dt.UTC).strftime("%m%d")
    return day + uuid.uuid5(uuid.NAMESPACE_OID, sku).hex[:7].upper()


def report_view(job: Job, now: float) -> dict:
    status = job.status(now)
    view = {"reportId": job.job_id, "reportType": job.job_type, "marketplaceIds": job.marketplace_ids,
            "createdTime": iso(job.created_at), "processingStatus": status}
    if status in ("IN_PROGRESS", "DONE", "FATAL"):
        view["processingStartTime"] = iso(job.starts_at)
    if status in ("DONE", "FATAL"):
        view["processingEndTime"] = iso(job.ends_at)
        if job.result_document_id:
            view["reportDocumentId"] = job.result_document_id
    return view
