"""What a seller sells: offers, feeds, reports and documents, and the SP-API plumbing they share.

``SellingState`` is the memory of the Listings Items, Feeds, Reports and Product
Type Definitions APIs (listings.py, feeds.py, reports.py, product_types.py).  It
shares ``EmulatorState.lock`` and its clock, so ``advance_clock`` moves offers
live and feeds along too.  Everything asynchronous at Amazon (an ACCEPTED offer
going live, a feed or report being processed) is computed lazily from the clock
whenever something reads it: no background threads.

``SpApiModule`` is the common shape of those APIs' route modules: each operation
is authenticated with the LWA access token, counted per operation (injected
faults included, as the other counters), may meet an operation-specific
injected fault, and is metered against its own usage plan per
application-seller pair (429 ``QuotaExceeded`` past it); successful answers
carry ``x-amzn-RateLimit-Limit``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import secrets
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from .faults import Fault
from .ratelimit import TokenBucket
from .sp_api import UNAUTHORIZED_DETAILS, error, fault_response
from .state import EmulatorState, Seller
from .web import Request, Response, json_response

# Usage plans (rate in requests per second, burst), quoted from each operation's
# description in Amazon's models.
USAGE_PLANS: dict[str, tuple[float, int]] = {
    # listingsItems_2021-08-01.json
    "getListingsItem": (5.0, 10),
    "putListingsItem": (5.0, 10),
    "patchListingsItem": (5.0, 5),
    "deleteListingsItem": (5.0, 5),
    "searchListingsItems": (5.0, 5),
    # feeds_2021-06-30.json
    "createFeedDocument": (0.5, 15),
    "createFeed": (0.0083, 15),
    "getFeed": (2.0, 15),
    "getFeeds": (0.0222, 10),
    "cancelFeed": (2.0, 15),
    "getFeedDocument": (0.0222, 10),
    # reports_2021-06-30.json
    "createReport": (0.0167, 15),
    "getReport": (2.0, 15),
    "getReports": (0.0222, 10),
    "cancelReport": (0.0222, 10),
    "getReportDocument": (0.0167, 15),
    # definitionsProductTypes_2020-09-01.json
    "searchDefinitionsProductTypes": (5.0, 10),
    "getDefinitionsProductType": (5.0, 10),
}

DEFAULT_LIVE_DELAY = 2.0  # seconds from ACCEPTED to live
DEFAULT_PROCESSING_DELAYS = (1.0, 1.0)  # seconds IN_QUEUE, then IN_PROGRESS (feeds and reports)
DOCUMENT_URL_TTL = 5 * 60  # Amazon's pre-signed document URLs expire after five minutes


def iso(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def parse_iso(value: str) -> float | None:
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


def csv_param(query: dict, name: str) -> list[str]:
    return [value for value in (query.get(name) or "").split(",") if value]


def page_token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"offset": offset}).encode()).decode()


def read_page_token(token: str) -> int | None:
    try:
        return max(0, int(json.loads(base64.urlsafe_b64decode(token.encode()))["offset"]))
    except (ValueError, KeyError, TypeError):
        return None


@dataclass
class OfferVersion:
    """One accepted state of an offer's attributes, in effect from ``effective_at``."""

    attributes: dict
    effective_at: float
    issues: list[dict] = field(default_factory=list)  # found while processing, shown once in effect


@dataclass
class Offer:
    seller_id: str
    marketplace_id: str
    sku: str
    product_type: str
    asin: str
    item_name: str
    brand: str
    created_at: float
    updated_at: float
    versions: list[OfferVersion] = field(default_factory=list)  # oldest first; never empty
    fn_sku: str | None = None  # FBA offers
    fba_quantity: int = 0  # what Amazon's fulfilment centres hold, for FBA offers

    def version(self, now: float) -> OfferVersion | None:
        """The version in effect at ``now``; None while the first one is still being processed."""
        current = None
        for version in self.versions:
            if version.effective_at <= now:
                current = version
        return current

    def submit(self, attributes: dict, effective_at: float, issues: list[dict], now: float) -> None:
        live = self.version(now)
        self.versions = ([live] if live else []) + [OfferVersion(attributes, effective_at, issues)]
        self.updated_at = now

    def latest(self) -> OfferVersion:
        return self.versions[-1]


@dataclass
class Document:
    """A feed or report document as the pre-signed S3 URL serves it."""

    document_id: str
    seller_id: str
    content_type: str
    kind: str  # "feed-input", "feed-result", "report"
    created_at: float
    body: bytes | None = None
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(16))


@dataclass
class Job:
    """A feed or a report: IN_QUEUE, IN_PROGRESS, then DONE/FATAL (or CANCELLED while queued)."""

    job_id: str
    kind: str  # "feed" or "report"
    seller_id: str
    job_type: str  # feedType or reportType
    marketplace_ids: list[str]
    created_at: float
    starts_at: float
    ends_at: float
    input_document_id: str | None = None
    options: dict = field(default_factory=dict)
    fatal: bool = False
    cancelled: bool = False
    finished: bool = False
    result_document_id: str | None = None

    def status(self, now: float) -> str:
        if self.cancelled:
            return "CANCELLED"
        if now < self.starts_at:
            return "IN_QUEUE"
        if now < self.ends_at or not self.finished:
            return "IN_PROGRESS"
        return "FATAL" if self.fatal else "DONE"


class SellingState:
    def __init__(self, state: EmulatorState):
        self.state = state
        self.lock = state.lock
        self.processors: dict[str, Callable[[Job], None]] = {}  # job kind -> what finishing does
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.offers: dict[tuple[str, str, str], Offer] = {}  # (seller, marketplace, sku)
            self.documents: dict[str, Document] = {}
            self.jobs: dict[str, Job] = {}
            self.live_delay = DEFAULT_LIVE_DELAY
            self.feed_delays = DEFAULT_PROCESSING_DELAYS
            self.report_delays = DEFAULT_PROCESSING_DELAYS
            self.restricted_brands: set[str] = set()
            self.fatal_feeds = 0  # the next N feeds end FATAL
            self.plans: dict[str, tuple[float, int]] = dict(USAGE_PLANS)
            self.buckets: dict[tuple[str, str, str], TokenBucket] = {}
            self.operation_faults: deque[tuple[str, Fault]] = deque()
            self.calls: Counter[str] = Counter()  # operation -> requests
            self.calls_by_seller: dict[str, Counter[str]] = {}
            self.throttled: Counter[str] = Counter()  # operation -> 429s for its usage plan
            # (seller, sku) -> offer versions accepted (put, patch, feed message): what a sync sent twice shows here
            self.writes: Counter[tuple[str, str]] = Counter()

    def now(self) -> float:
        return self.state.now()

    # -- settings ----------------------------------------------------------------

    def configure(
        self,
        live_delay: float | None = None,
        restricted_brands: list[str] | None = None,
        feed_delays: list[float] | None = None,
        report_delays: list[float] | None = None,
    ) -> dict:
        with self.lock:
            if live_delay is not None:
                if float(live_delay) < 0:
                    raise ValueError("live_delay must not be negative")
                self.live_delay = float(live_delay)
            if restricted_brands is not None:
                if isinstance(restricted_brands, str) or not all(isinstance(b, str) for b in restricted_brands):
                    raise ValueError("restricted_brands must be a list of brand names")
                self.restricted_brands = {brand.strip().lower() for brand in restricted_brands}
            for name, value in (("feed_delays", feed_delays), ("report_delays", report_delays)):
                if value is not None:
                    queued, processing = (float(v) for v in value)
                    if queued < 0 or processing < 0:
                        raise ValueError(f"{name} must not be negative")
                    setattr(self, name, (queued, processing))
            return self.settings()

    def settings(self) -> dict:
        with self.lock:
            return {
                "live_delay": self.live_delay,
                "restricted_brands": sorted(self.restricted_brands),
                "feed_delays": list(self.feed_delays),
                "report_delays": list(self.report_delays),
                "fatal_feeds": self.fatal_feeds,
            }

    def set_usage_plan(self, operation: str, rate: float, burst: int) -> dict:
        if operation not in USAGE_PLANS:
            raise ValueError(f"unknown operation {operation!r}")
        if float(rate) <= 0 or int(burst) < 1:
            raise ValueError("rate must be positive and burst at least 1")
        with self.lock:
            self.plans[operation] = (float(rate), int(burst))
            for key in [key for key in self.buckets if key[2] == operation]:
                del self.buckets[key]
            return {"operation": operation, "rate": float(rate), "burst": int(burst)}

    def add_operation_fault(self, operation: str, **kwargs) -> Fault:
        if operation not in USAGE_PLANS:
            raise ValueError(f"unknown operation {operation!r}")
        if kwargs.get("status") is None and kwargs.get("error") is None and not kwargs.get("delay"):
            kwargs["status"] = 500
        fault = Fault("sp-api", kwargs.get("status"), kwargs.get("error"), float(kwargs.get("delay") or 0),
                      int(kwargs.get("count", 1)))
        with self.lock:
            self.operation_faults.append((operation, fault))
        return fault

    def take_operation_fault(self, operation: str) -> Fault | None:
        with self.lock:
            for entry in self.operation_faults:
                name, fault = entry
                if name == operation:
                    fault.count -= 1
                    if fault.count == 0:
                        self.operation_faults.remove(entry)
                    return fault
            return None

    # -- usage plans and counters ---------------------------------------------------

    def count(self, operation: str, seller_id: str | None) -> None:
        with self.lock:
            self.calls[operation] += 1
            if seller_id is not None:
                self.calls_by_seller.setdefault(seller_id, Counter())[operation] += 1

    def take_rate_token(self, application_id: str, seller_id: str, operation: str) -> bool:
        with self.lock:
            if self.state.rate_limit is None:
                return True
            key = (application_id, seller_id, operation)
            bucket = self.buckets.get(key)
            if bucket is None:
                bucket = self.buckets[key] = TokenBucket.full(*self.plans[operation], self.now())
            if bucket.take(self.now()):
                return True
            self.throttled[operation] += 1
            self.state.throttled[operation] += 1
            return False

    def counters(self) -> dict:
        with self.lock:
            return {
                "calls": dict(self.calls),
                "calls_by_seller": {seller: dict(c) for seller, c in self.calls_by_seller.items()},
                "throttled": dict(self.throttled),
                "usage_plans": {op: {"rate": r, "burst": b} for op, (r, b) in self.plans.items()},
            }

    # -- documents -------------------------------------------------------------------

    def new_document(self, seller_id: str, content_type: str, kind: str, body: bytes | None = None) -> Document:
        with self.lock:
            document = Document(str(uuid.uuid4()), seller_id, content_type, kind, self.now(), body)
            self.documents[document.document_id] = document
            return document

    def document_url(self, base_url: str, document: Document) -> str:
        expires = int(self.now() + DOCUMENT_URL_TTL)
        return (f"{base_url}/sp-api-documents/{document.document_id}?X-Amz-Expires={DOCUMENT_URL_TTL}"
                f"&X-Amz-Date={expires}&X-Amz-Signature={_signature(document, expires)}")

    def document_for_url(self, document_id: str, query: dict) -> Document | None:
        """The document a pre-signed URL names, if its signature holds and it has not expired."""
        with self.lock:
            document = self.documents.get(document_id)
            try:
                expires = int(query.get("X-Amz-Date", ""))
            except ValueError:
                return None
            if document is None or query.get("X-Amz-Signature") != _signature(document, expires):
                return None
            return document if self.now() <= expires else None

    # -- feeds and reports -------------------------------------------------------------

    def new_job(self, kind: str, seller_id: str, job_type: str, marketplace_ids: list[str], **extra) -> Job:
        with self.lock:
            queued, processing = self.feed_delays if kind == "feed" else self.report_delays
            now = self.now()
            job_id = str(50000 + len(self.jobs) + 1) + str(secrets.randbelow(10**6)).zfill(6)
            job = Job(job_id, kind, seller_id, job_type, marketplace_ids, now, now + queued,
                      now + queued + processing, **extra)
            if kind == "feed" and self.fatal_feeds > 0:
                self.fatal_feeds -= 1
                job.fatal = True
            self.jobs[job_id] = job
            return job

    def fail_feeds(self, count: int = 1, feed_id: str | None = None) -> dict:
        """Make the next ``count`` feeds end FATAL, or one feed not yet finished."""
        with self.lock:
            if feed_id is not None:
                job = self.jobs.get(feed_id)
                if job is None or job.kind != "feed":
                    raise ValueError(f"no feed {feed_id}")
                if job.finished or job.cancelled:
                    raise ValueError(f"feed {feed_id} has already finished")
                job.fatal = True
            elif int(count) < 1:
                raise ValueError("count must be at least 1")
            else:
                self.fatal_feeds += int(count)
            return self.settings()

    def tick(self) -> None:
        """Finish every feed and report whose processing time has passed, oldest first."""
        with self.lock:
            now = self.now()
            due = [job for job in self.jobs.values() if not job.finished and not job.cancelled and job.ends_at <= now]
            for job in sorted(due, key=lambda j: j.ends_at):
                job.finished = True
                self.processors[job.kind](job)

    def jobs_of(self, kind: str, seller_id: str) -> list[Job]:
        with self.lock:
            return [job for job in self.jobs.values() if job.kind == kind and job.seller_id == seller_id]

    # -- offers ----------------------------------------------------------------------

    def offers_of(self, seller_id: str, marketplace_id: str | None = None) -> list[Offer]:
        with self.lock:
            return [
                offer for (seller, marketplace, _), offer in self.offers.items()
                if seller == seller_id and marketplace_id in (None, marketplace)
            ]


def _signature(document: Document, expires: int) -> str:
    return hashlib.sha256(f"{document.secret}:{document.document_id}:{expires}".encode()).hexdigest()


# -- the route modules' common shape ------------------------------------------------------


@dataclass
class Operation:
    name: str
    method: str
    pattern: str
    handler: Callable  # handler(request, seller, **path_params) -> Response


class SpApiModule:
    """Base of the Listings, Feeds, Reports and Product Type Definitions route modules."""

    def __init__(self, selling: SellingState, base_url: Callable[[], str]):
        self.selling = selling
        self.state = selling.state
        self.base_url = base_url
        self._compiled: list[tuple[Operation, re.Pattern]] = []

    def operations(self) -> list[Operation]:
        raise NotImplementedError

    def routes(self):
        self._compiled = [(op, re.compile(op.pattern)) for op in self.operations()]
        return [(op.method, op.pattern, self._serve(op)) for op, _ in self._compiled]

    def _operation_of(self, request: Request) -> Operation | None:
        for op, pattern in self._compiled:
            if op.method == request.method and pattern.fullmatch(request.path):
                return op
        return None

    def count(self, request: Request) -> None:
        """Count calls per seller whose token they carry and per operation (faults included)."""
        op = self._operation_of(request)
        with self.state.lock:
            owner = self.state.token_owner(request.headers.get("x-amz-access-token", ""))
            if owner is not None:
                self.state.sp_api_calls[owner.selling_partner_id] += 1
            if op is not None:
                self.selling.count(op.name, owner.selling_partner_id if owner else None)

    def _serve(self, op: Operation):
        def handler(request: Request, **params) -> Response:
            fault = self.selling.take_operation_fault(op.name)
            if fault is not None:
                if fault.delay:
                    time.sleep(fault.delay)
                if fault.fails:
                    return fault_response(fault)
            token = request.headers.get("x-amz-access-token", "")
            with self.state.lock:
                authorization = self.state.valid_access_token(token)
                seller = authorization and self.state.sellers.get(authorization.selling_partner_id)
                if seller is None:
                    return error("Unauthorized", details=UNAUTHORIZED_DETAILS)
                if not self.selling.take_rate_token(authorization.application_id, seller.selling_partner_id, op.name):
                    return error("QuotaExceeded")
                self.selling.tick()
                response = op.handler(request, seller, **params)
            if response.status < 400 or response.status == 404:
                response.headers.append(("x-amzn-RateLimit-Limit", str(self.selling.plans[op.name][0])))
            return response

        return handler


def ok(status: int, payload) -> Response:
    return json_response(status, payload, [("x-amzn-RequestId", str(uuid.uuid4()))])


def invalid(details: str) -> Response:
    return error("InvalidInput", details=details)


def check_marketplaces(seller: Seller, marketplace_ids: list[str], most: int | None = 1) -> str | None:
    """A problem with ``marketplaceIds`` (required; ``most`` values at most), or None."""
    if not marketplace_ids:
        return "marketplaceIds is required."
    if most is not None and len(marketplace_ids) > most:
        return f"marketplaceIds accepts at most {most} value{'s' if most > 1 else ''} for this operation."
    for marketplace_id in marketplace_ids:
        if marketplace_id not in seller.marketplaces:
            return f"The seller is not registered in marketplace {marketplace_id}."
    return None
