"""Feeds API v2021-06-30 with JSON_LISTINGS_FEED.

Follows feeds_2021-06-30.json: createFeedDocument (a pre-signed-like URL on the
emulator to PUT the content to, documents.py), createFeed (202 ``feedId``),
getFeed, getFeeds, cancelFeed (only while IN_QUEUE), getFeedDocument, each with
its usage plan.  A feed is IN_QUEUE for ``feed_delays[0]`` seconds, IN_PROGRESS
for ``feed_delays[1]``, then DONE with a processing report
(listings-feed-processing-report-schema-v2.json: ``header``, ``issues`` per
``messageId``, ``summary``, and ``items`` when the feed's header asks for
``report.includedData``).  Messages (listings-feed-schema-v2.json: UPDATE,
PARTIAL_UPDATE, PATCH, DELETE) go through the same ``OfferBook`` rules as the
Listings Items API.  FATAL: a document that is missing, not JSON or not a v2
listings feed, another feed type (Amazon retired the legacy listings feeds), or
on demand (``SellingState.fail_feeds``); nothing of a FATAL feed is applied.
"""

from __future__ import annotations

import base64
import json

from .listings import OfferBook
from .offer_rules import issue, item_view
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

FEEDS_PATH = "/feeds/2021-06-30/feeds"
FEED_PATH = r"/feeds/2021-06-30/feeds/(?P<feed_id>[0-9]+)"
DOCUMENTS_PATH = "/feeds/2021-06-30/documents"
DOCUMENT_PATH = r"/feeds/2021-06-30/documents/(?P<document_id>[^/]+)"
LISTINGS_FEED = "JSON_LISTINGS_FEED"
MAX_MESSAGES = 25000
OPERATION_TYPES = ("UPDATE", "PARTIAL_UPDATE", "PATCH", "DELETE")
STATUSES = ("CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE")
RETENTION = 90 * 86400
GET_INCLUDED = ("summaries", "attributes", "issues", "offers", "fulfillmentAvailability", "procurement",
                "relationships", "productTypes")


class Feeds(SpApiModule):
    def __init__(self, selling: SellingState, base_url, book: OfferBook):
        super().__init__(selling, base_url)
        self.book = book
        selling.processors["feed"] = self.process

    def operations(self):
        return [
            Operation("createFeedDocument", "POST", DOCUMENTS_PATH, self.create_document),
            Operation("getFeedDocument", "GET", DOCUMENT_PATH, self.get_document),
            Operation("createFeed", "POST", FEEDS_PATH, self.create),
            Operation("getFeeds", "GET", FEEDS_PATH, self.list),
            Operation("getFeed", "GET", FEED_PATH, self.get),
            Operation("cancelFeed", "DELETE", FEED_PATH, self.cancel),
        ]

    # -- documents -----------------------------------------------------------------------

    def create_document(self, request: Request, seller: Seller) -> Response:
        body, problem = _json_body(request)
        if problem:
            return problem
        content_type = body.get("contentType")
        if not isinstance(content_type, str) or not content_type.strip():
            return invalid("contentType is required.")
        document = self.selling.new_document(seller.selling_partner_id, content_type, "feed-input")
        return ok(201, {"feedDocumentId": document.document_id,
                        "url": self.selling.document_url(self.base_url(), document)})

    def get_document(self, request: Request, seller: Seller, document_id: str) -> Response:
        document = self.selling.documents.get(document_id)
        if document is None or document.seller_id != seller.selling_partner_id or document.kind == "report":
            return error("NotFound", details=f"Feed document {document_id} not found.")
        return ok(200, {"feedDocumentId": document_id, "url": self.selling.document_url(self.base_url(), document)})

    # -- feeds ---------------------------------------------------------------------------

    def create(self, request: Request, seller: Seller) -> Response:
        body, problem = _json_body(request)
        if problem:
            return problem
        feed_type, marketplaces = body.get("feedType"), body.get("marketplaceIds")
        document_id = body.get("inputFeedDocumentId")
        if not isinstance(feed_type, str) or not feed_type:
            return invalid("feedType is required.")
        if not isinstance(marketplaces, list) or not all(isinstance(m, str) for m in marketplaces):
            return invalid("marketplaceIds is required and must be an array of strings.")
        problem_text = check_marketplaces(seller, marketplaces, most=25)
        if problem_text:
            return invalid(problem_text)
        document = self.selling.documents.get(document_id) if isinstance(document_id, str) else None
        if document is None or document.seller_id != seller.selling_partner_id or document.kind != "feed-input":
            return invalid("inputFeedDocumentId does not name a feed document of this seller.")
        options = body.get("feedOptions") or {}
        if not isinstance(options, dict):
            return invalid("feedOptions must be an object.")
        job = self.selling.new_job("feed", seller.selling_partner_id, feed_type, list(marketplaces),
                                   input_document_id=document_id, options=options)
        return ok(202, {"feedId": job.job_id})

    def get(self, request: Request, seller: Seller, feed_id: str) -> Response:
        job = self.selling.jobs.get(feed_id)
        if job is None or job.kind != "feed" or job.seller_id != seller.selling_partner_id:
            return error("NotFound", details=f"Feed {feed_id} not found.")
        return ok(200, feed_view(job, self.selling.now()))

    def list(self, request: Request, seller: Seller) -> Response:
        query = dict(request.query)
        if query.get("nextToken"):
            try:
                query = json.loads(base64.urlsafe_b64decode(query["nextToken"].encode()))
            except (ValueError, TypeError):
                return invalid("nextToken is not valid.")
        elif not query.get("feedTypes"):
            return invalid("feedTypes or nextToken is required.")
        now = self.selling.now()
        feed_types = csv_param(query, "feedTypes")
        statuses = csv_param(query, "processingStatuses")
        marketplaces = csv_param(query, "marketplaceIds")
        if any(s not in STATUSES for s in statuses):
            return invalid("processingStatuses accepts " + ", ".join(STATUSES) + ".")
        try:
            page_size = int(query.get("pageSize") or 10)
            offset = int(query.get("offset") or 0)
        except ValueError:
            return invalid("pageSize must be a number.")
        if not 1 <= page_size <= 100:
            return invalid("pageSize must be between 1 and 100.")
        since = parse_iso(query["createdSince"]) if query.get("createdSince") else now - RETENTION
        until = parse_iso(query["createdUntil"]) if query.get("createdUntil") else now
        if since is None or until is None:
            return invalid("createdSince and createdUntil must be ISO 8601 date-times.")
        found = [
            job for job in self.selling.jobs_of("feed", seller.selling_partner_id)
            if job.job_type in feed_types and since <= job.created_at <= until
            and (not statuses or job.status(now) in statuses)
            and (not marketplaces or set(marketplaces) & set(job.marketplace_ids))
        ]
        found.sort(key=lambda job: job.created_at, reverse=True)
        body: dict = {"feeds": [feed_view(job, now) for job in found[offset:offset + page_size]]}
        if offset + page_size < len(found):
            following = {**query, "offset": offset + page_size}
            following.pop("nextToken", None)
            body["nextToken"] = base64.urlsafe_b64encode(json.dumps(following).encode()).decode()
        return ok(200, body)

    def cancel(self, request: Request, seller: Seller, feed_id: str) -> Response:
        job = self.selling.jobs.get(feed_id)
        if job is None or job.kind != "feed" or job.seller_id != seller.selling_partner_id:
            return error("NotFound", details=f"Feed {feed_id} not found.")
        if job.status(self.selling.now()) != "IN_QUEUE":
            return invalid(f"Feed {feed_id} can only be cancelled while IN_QUEUE.")
        job.cancelled = True
        return ok(200, {})

    # -- processing (SellingState.tick, under the lock) -----------------------------------------

    def process(self, job: Job) -> None:
        document = self.selling.documents.get(job.input_document_id or "")
        report: dict = {"header": {"sellerId": job.seller_id, "version": "2.0", "feedId": job.job_id}}
        feed, why = _read_feed(job, document.body if document else None)
        if job.fatal or why:
            job.fatal = True
            report["issues"] = [{"code": "FATAL", "severity": "ERROR",
                                 "message": why or "The feed could not be processed; submit it again."}]
            report["summary"] = {"errors": 1, "warnings": 0, "messagesProcessed": 0, "messagesAccepted": 0,
                                 "messagesInvalid": 0}
        else:
            self._apply(job, feed, report)
        result = self.selling.new_document(job.seller_id, "application/json", "feed-result",
                                           json.dumps(report, indent=2).encode())
        job.result_document_id = result.document_id

    def _apply(self, job: Job, feed: dict, report: dict) -> None:
        included = ((feed["header"].get("report") or {}).get("includedData")) or []
        if included:
            report["header"]["report"] = {"includedData": included, "apiVersion": "2021-08-01"}
        issues: list[dict] = []
        accepted = invalid_count = 0
        touched: list[tuple[str, str]] = []
        for message in feed["messages"]:
            found = self._apply_message(job, message)
            issues += found
            if any(i["severity"] == "ERROR" for i in found):
                invalid_count += 1
            else:
                accepted += 1
                if message.get("operationType") != "DELETE":
                    touched += [(m, message["sku"]) for m in job.marketplace_ids]
        report["issues"] = issues
        report["summary"] = {
            "errors": sum(i["severity"] == "ERROR" for i in issues),
            "warnings": sum(i["severity"] == "WARNING" for i in issues),
            "messagesProcessed": len(feed["messages"]),
            "messagesAccepted": accepted,
            "messagesInvalid": invalid_count,
        }
        if included:
            now = self.selling.now()
            items = []
            for marketplace_id, sku in touched:
                offer = self.selling.offers.get((job.seller_id, marketplace_id, sku))
                if offer is not None:
                    items.append(item_view(offer, now, [d for d in included if d in GET_INCLUDED],
                                           f"{self.base_url()}/images/I/{offer.asin}.svg"))
            report["items"] = items
            issue_counts = [i for item in items for i in item.get("issues", [])]
            report["summary"]["itemSummary"] = {
                "items": len(items),
                "errors": sum(i["severity"] == "ERROR" for i in issue_counts),
                "warnings": sum(i["severity"] == "WARNING" for i in issue_counts),
            }

    def _apply_message(self, job: Job, message) -> list[dict]:
        """The message's issues, in the processing report's shape (one per issue and marketplace)."""
        marketplace_id = job.marketplace_ids[0]
        message_id = message.get("messageId") if isinstance(message, dict) else None
        sku = message.get("sku") if isinstance(message, dict) else None
        op = message.get("operationType") if isinstance(message, dict) else None
        problem = None
        if not isinstance(message_id, int) or isinstance(message_id, bool) or message_id < 1:
            problem = "messageId is required and must be a whole number from 1."
        elif not isinstance(sku, str) or not sku:
            problem = "sku is required."
        elif op not in OPERATION_TYPES:
            problem = "operationType must be one of " + ", ".join(OPERATION_TYPES) + "."
        elif op != "DELETE" and not isinstance(message.get("productType"), str):
            problem = f"{op} messages require a productType."
        elif op in ("UPDATE", "PARTIAL_UPDATE") and not isinstance(message.get("attributes"), dict):
            problem = f"{op} messages require attributes."
        elif op == "PATCH" and not isinstance(message.get("patches"), list):
            problem = "PATCH messages require patches."
        if problem:
            return [_report_issue(message_id, sku, issue("4000001", problem, None, ["INVALID_ATTRIBUTE"],
                                                         marketplace_id))]
        found: list[dict] = []
        for marketplace in job.marketplace_ids:
            found += self._apply_in(job.seller_id, marketplace, message)
        return [_report_issue(message_id, sku, i) for i in _unique(found)]

    def _apply_in(self, seller_id: str, marketplace_id: str, message: dict) -> list[dict]:
        sku, op = message["sku"], message["operationType"]
        if op == "DELETE":
            if self.book.delete(seller_id, marketplace_id, sku):
                return []
            return [issue("4000002", f"The SKU '{sku}' does not exist in marketplace {marketplace_id}.", None,
                          ["INVALID_ATTRIBUTE"], marketplace_id)]
        if op == "UPDATE":
            return self.book.put(seller_id, marketplace_id, sku, message["productType"],
                                 message.get("requirements", "LISTING"), message["attributes"], False)[1]
        if op == "PARTIAL_UPDATE":
            patches = [{"op": "replace", "path": f"/attributes/{name}", "value": value}
                       for name, value in message["attributes"].items()]
            return self.book.patch(seller_id, marketplace_id, sku, message["productType"], patches, False)[1]
        return self.book.patch(seller_id, marketplace_id, sku, message["productType"], message["patches"], False)[1]


def feed_view(job: Job, now: float) -> dict:
    status = job.status(now)
    view = {"feedId": job.job_id, "feedType": job.job_type, "marketplaceIds": job.marketplace_ids,
            "createdTime": iso(job.created_at), "processingStatus": status}
    if status in ("IN_PROGRESS", "DONE", "FATAL"):
        view["processingStartTime"] = iso(job.starts_at)
    if status in ("DONE", "FATAL"):
        view["processingEndTime"] = iso(job.ends_at)
        if job.result_document_id:
            view["resultFeedDocumentId"] = job.result_document_id
    return view


def _json_body(request: Request) -> tuple[dict, Response | None]:
    if request.content_type != "application/json":
        return {}, error("InvalidInput", 415, "The request's Content-Type must be application/json.")
    try:
        body = request.json()
    except ValueError:
        return {}, invalid("The request body is not valid JSON.")
    if not isinstance(body, dict):
        return {}, invalid("The request body must be a JSON object.")
    return body, None


def _read_feed(job: Job, content: bytes | None) -> tuple[dict, str | None]:
    """The feed document, or why the feed is FATAL."""
    if job.job_type != LISTINGS_FEED:
        return {}, f"Feed type {job.job_type} is not supported; listings data goes in {LISTINGS_FEED} feeds."
    if content is None:
        return {}, "The input feed document was never uploaded."
    try:
        feed = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}, "The feed document is not valid JSON."
    header = feed.get("header") if isinstance(feed, dict) else None
    if not isinstance(header, dict) or header.get("version") != "2.0":
        return {}, "The feed document needs a header with version 2.0."
    if header.get("sellerId") != job.seller_id:
        return {}, "The header's sellerId is not the seller who submitted the feed."
    messages = feed.get("messages")
    if not isinstance(messages, list) or not 1 <= len(messages) <= MAX_MESSAGES:
        return {}, f"The feed document needs 1 to {MAX_MESSAGES} messages."
    return feed, None


def _report_issue(message_id, sku, found: dict) -> dict:
    entry = {"messageId": message_id, "sku": sku, "code": found["code"], "severity": found["severity"],
             "message": found["message"]}
    if found.get("attributeNames"):
        entry["attributeName"] = found["attributeNames"][0]
    return {key: value for key, value in entry.items() if value is not None}


def _unique(issues: list[dict]) -> list[dict]:
    seen, result = set(), []
    for found in issues:
        key = (found["code"], found["message"])
        if key not in seen:
            seen.add(key)
            result.append(found)
    return result
