"""The Feeds API 2021-06-30 for JSON_LISTINGS_FEED: document, upload, createFeed, getFeed, result document.

Usage plans (feeds_2021-06-30.json): createFeedDocument 0.5/s burst 15, createFeed 0.0083/s burst 15,
getFeed 2/s burst 15, getFeedDocument 0.0222/s burst 10. Messages follow listings-feed-schema-v2
(at most 25,000 a feed).
"""

import json
from dataclasses import dataclass, field
from typing import Any

from saleor_amazon_channel.amazon import documents, endpoints
from saleor_amazon_channel.amazon.http import AmazonHttp
from saleor_amazon_channel.amazon.sp_api import call, clean_issues
from saleor_amazon_channel.core.marketplaces import Marketplace

FEEDS_PATH = "/feeds/2021-06-30"
FEED_TYPE = "JSON_LISTINGS_FEED"
CONTENT_TYPE = "application/json; charset=UTF-8"
MAX_MESSAGES = 25_000
PLANS = {"createFeedDocument": (0.5, 15), "createFeed": (0.0083, 15), "getFeed": (2.0, 15),
         "getFeedDocument": (0.0222, 10)}
DONE, FATAL, CANCELLED = "DONE", "FATAL", "CANCELLED"
FINISHED = (DONE, FATAL, CANCELLED)


@dataclass
class FeedStatus:
    feed_id: str
    status: str
    result_document_id: str = ""


@dataclass
class ProcessingReport:
    # messageId -> the issues of that message with severity ERROR
    errors: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    messages_processed: int = 0


def feed_document(seller_id: str, messages: list[dict[str, Any]]) -> bytes:
    if len(messages) > MAX_MESSAGES:
        raise ValueError(f"a JSON_LISTINGS_FEED takes at most {MAX_MESSAGES} messages")
    body = {"header": {"sellerId": seller_id, "version": "2.0", "issueLocale": "en_US"}, "messages": messages}
    return json.dumps(body, separators=(",", ":")).encode()


def submit(http: AmazonHttp, token: str, marketplace: Marketplace, content: bytes) -> str:
    """Create the document, upload it, create the feed: the feed's ID."""
    base = endpoints.sp_api_url(marketplace.region) + FEEDS_PATH
    answer, _ = call(http, "POST", base + "/documents", token, {"contentType": CONTENT_TYPE}, api="Feeds API")
    document_id, url = str(answer.get("feedDocumentId") or ""), str(answer.get("url") or "")
    documents.upload(http, url, content, CONTENT_TYPE)
    answer, _ = call(http, "POST", base + "/feeds", token,
                     {"feedType": FEED_TYPE, "marketplaceIds": [marketplace.id], "inputFeedDocumentId": document_id},
                     api="Feeds API")
    return str(answer.get("feedId") or "")


def get_feed(http: AmazonHttp, token: str, marketplace: Marketplace, feed_id: str) -> FeedStatus:
    url = f"{endpoints.sp_api_url(marketplace.region)}{FEEDS_PATH}/feeds/{feed_id}"
    answer, _ = call(http, "GET", url, token, api="Feeds API")
    return FeedStatus(feed_id, str(answer.get("processingStatus") or ""),
                      str(answer.get("resultFeedDocumentId") or ""))


def processing_report(http: AmazonHttp, token: str, marketplace: Marketplace, document_id: str) -> ProcessingReport:
    url = f"{endpoints.sp_api_url(marketplace.region)}{FEEDS_PATH}/documents/{document_id}"
    answer, _ = call(http, "GET", url, token, api="Feeds API")
    content = documents.download(http, str(answer.get("url") or ""), answer.get("compressionAlgorithm"))
    try:
        body = json.loads(content)
    except (ValueError, RecursionError):
        body = {}
    report = ProcessingReport()
    summary = body.get("summary") if isinstance(body, dict) else None
    if isinstance(summary, dict) and isinstance(summary.get("messagesProcessed"), int):
        report.messages_processed = summary["messagesProcessed"]
    for issue in clean_issues(body.get("issues") if isinstance(body, dict) else None, limit=None):
        if issue["severity"] == "ERROR" and "messageId" in issue:
            report.errors.setdefault(issue["messageId"], []).append(issue)
    return report
