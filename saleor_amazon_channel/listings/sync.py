"""The listings sync engine: scan Saleor, import the seller's existing offers, send, read back.

A run (:class:`ListingSync`, one active per store) moves through phases, each resumable:

- **scan**: reads the channel through the host in keyset batches (a constant number of queries per
  batch), computes each variant's desired offer (:mod:`.offers`, rules included) and stores it with
  ``desired_version`` bumped only when it changed, and the operation it needs against what Amazon
  last accepted (put a new offer, patch, delete, nothing);
- **import** (a store's first run): the merchant listings report; offers are adopted by seller SKU,
  then by ASIN (the variant takes the existing SKU: never a second offer), the rest are third party;
- **send**: listings are claimed with ``FOR UPDATE SKIP LOCKED`` and a lease, decreases and ends
  first, and sent one by one paced per seller and operation, or as one JSON_LISTINGS_FEED when that gets
  them ACCEPTED sooner (:mod:`.choice`: the backlog's seconds at the operations' paced rates against the
  store's recent feeds' turnaround); a feed's listings are held by it, so no patch is sent for them
  meanwhile. A claim whose lease ran out with its version
  already sent (a killed worker) is read back first and re-sent only if Amazon does not have it;
- **verify**: accepted offers are read back (getListingsItem) until live or with issues.
"""

import logging
import statistics
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, PositiveSmallIntegerField, Q, Value, When
from django.utils import timezone

from saleor_amazon_channel.amazon import catalog as amazon_catalog
from saleor_amazon_channel.amazon import errors
from saleor_amazon_channel.amazon import feeds as amazon_feeds
from saleor_amazon_channel.amazon import listings as amazon_listings
from saleor_amazon_channel.amazon import product_types as amazon_product_types
from saleor_amazon_channel.amazon import reports as amazon_reports
from saleor_amazon_channel.amazon.http import AmazonHttp, backoff
from saleor_amazon_channel.authorizations import tokens
from saleor_amazon_channel.authorizations.models import ConnectionStatus
from saleor_amazon_channel.catalog import pacing
from saleor_amazon_channel.catalog.models import CatalogMatch, MatchStatus
from saleor_amazon_channel.catalog.planning import mapping_key
from saleor_amazon_channel.core.host import OfferVariant, get_host
from saleor_amazon_channel.listings import bulk, choice, offers
from saleor_amazon_channel.listings.models import (
    ACTIVE_SYNC_STATUSES,
    MERCHANT_FULFILLED,
    Listing,
    ListingFeed,
    ListingSettings,
    ListingState,
    ListingStoreState,
    ListingSync,
    Operation,
    ProductTypeRequirements,
    SyncStatus,
)
from saleor_amazon_channel.outcomes import Outcome
from saleor_amazon_channel.stores.models import AmazonStore

logger = logging.getLogger(__name__)

READ_BATCH = 500
CLAIM_SIZE = 10
MAX_ATTEMPTS = 6
BACKOFF_BASE = 0.5
BACKOFF_MAX = 20.0
DEFAULT_LEASE = 120.0
# A feed's turnaround (createFeed to its results) before the store has one of its own: Amazon's are minutes to
# hours, lately about half an hour even for a tiny feed (selling-partner-api-models #5151, #657).
DEFAULT_FEED_TURNAROUND = 1800.0
FEED_HISTORY = 5  # the store's last DONE feeds whose median turnaround is expected of the next one
FEED_HISTORY_AGE = timedelta(days=7)
OPERATION_NAMES = {Operation.PUT: "putListingsItem", Operation.PATCH: "patchListingsItem",
                   Operation.DELETE: "deleteListingsItem"}
OPERATION_PLANS = {Operation.PUT: "put", Operation.PATCH: "patch", Operation.DELETE: "delete"}
DEFAULT_VERIFY_DELAY = 5.0
VERIFY_ATTEMPTS = 6
PTD_MAX_AGE = timedelta(days=7)
STALLED_AFTER = timedelta(minutes=15)
# The offer attributes the plugin sends; a product type requiring another one cannot be listed by it.
SENT_ATTRIBUTES = frozenset(("condition_type", "merchant_suggested_asin", "purchasable_offer",
                             "fulfillment_availability"))
PROBLEM_OF_MATCH: dict[str | None, Outcome] = {
    None: Outcome.NO_CATALOG_MATCH,
    MatchStatus.NO_MATCH: Outcome.NO_CATALOG_MATCH,
    MatchStatus.ERROR: Outcome.NO_CATALOG_MATCH,
    MatchStatus.MULTIPLE_MATCHES: Outcome.MULTIPLE_MATCHES,
    MatchStatus.NO_IDENTIFIER: Outcome.NO_IDENTIFIER,
    MatchStatus.INVALID_IDENTIFIER: Outcome.NO_IDENTIFIER,
}


def lease() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "AMAZON_CHANNEL_LISTINGS_LEASE", DEFAULT_LEASE)))


def default_feed_turnaround() -> float:
    return float(getattr(settings, "AMAZON_CHANNEL_LISTINGS_FEED_TURNAROUND", DEFAULT_FEED_TURNAROUND))


def feed_turnaround(store_id: int, now: datetime | None = None) -> float:
    """Seconds a feed of this store is expected to take from its creation to its results: the median of its
    last DONE feeds of the past week, else ``AMAZON_CHANNEL_LISTINGS_FEED_TURNAROUND``."""
    now = now or timezone.now()
    recent = [
        (finished - created).total_seconds()
        for created, finished in ListingFeed.objects.filter(
            store_id=store_id, status=amazon_feeds.DONE, finished_at__isnull=False,
            created_at__gte=now - FEED_HISTORY_AGE,
        ).order_by("-finished_at").values_list("created_at", "finished_at")[:FEED_HISTORY]
        if finished is not None
    ]
    if not recent:
        return default_feed_turnaround()
    return max(0.0, statistics.median(recent))


def verify_delay() -> float:
    return float(getattr(settings, "AMAZON_CHANNEL_LISTINGS_VERIFY_DELAY", DEFAULT_VERIFY_DELAY))


def listing_settings(store: AmazonStore) -> ListingSettings:
    found, _ = ListingSettings.objects.get_or_create(store=store)
    return found


def offer_settings(store: AmazonStore, stored: ListingSettings) -> offers.OfferSettings:
    return offers.OfferSettings(
        marketplace_currency=store.marketplace.currency_code,
        handling_time=stored.handling_time,
        condition=stored.condition,
        condition_attribute=stored.condition_attribute,
        out_of_stock_threshold=stored.out_of_stock_threshold,
        max_quantity=stored.max_quantity,
        untracked_quantity=stored.untracked_quantity,
    )


def generated_sku(variant_id: int) -> str:
    return f"SALEOR-{variant_id}"


# --- Desired state ------------------------------------------------------------------------------------------


def _values(listing: Listing) -> tuple[Any, ...]:
    return (listing.desired_price, listing.desired_currency, listing.desired_quantity,
            listing.desired_handling_time, listing.desired_condition, listing.desired_operation)


def _accepted_matches(listing: Listing) -> bool:
    return (listing.accepted_price == listing.desired_price and listing.accepted_quantity == listing.desired_quantity
            and listing.accepted_handling_time == listing.desired_handling_time)


def has_errors(listing: Listing) -> bool:
    return any(isinstance(issue, dict) and issue.get("severity") == "ERROR" for issue in listing.issues or [])


def amazon_state(listing: Listing) -> ListingState:
    """The tab of an offer that is on Amazon, from what Amazon last said."""
    if has_errors(listing):
        return ListingState.ERROR
    if "BUYABLE" in (listing.amazon_status or []):
        return ListingState.ACTIVE
    return ListingState.INACTIVE


def decide(listing: Listing, offer: offers.DesiredOffer | None, problem: Outcome | None, auto_list: bool,
           requirements_problem: Outcome | None = None) -> bool:
    """Set the listing's desired offer, operation, priority and state; True when anything changed.

    ``offer`` None: the variant left the channel or was deleted (the offer gets quantity 0, or is
    deleted when the variant is gone).
    """
    before = (_values(listing), listing.state, listing.state_reason, listing.priority, tuple(listing.desired_notes))
    if listing.state == ListingState.THIRD_PARTY and listing.variant_id is None:
        return False
    operation, state, reason = Operation.NONE, listing.state, ""
    fba = listing.fulfillment_channel != MERCHANT_FULFILLED
    if offer is not None:
        listing.desired_price, listing.desired_currency = offer.price, offer.currency
        listing.desired_quantity, listing.desired_handling_time = offer.quantity, offer.handling_time
        listing.desired_condition, listing.desired_notes = offer.condition, list(offer.notes)
    if listing.ended or (offer is None and listing.variant_id is None):
        operation = Operation.DELETE if listing.on_amazon and not fba else Operation.NONE
        state, reason = ListingState.ENDED, ("" if listing.ended else Outcome.NOT_IN_CHANNEL.value)
    elif offer is None:
        listing.desired_quantity = 0
        if listing.on_amazon and not fba and listing.accepted_quantity != 0:
            operation = Operation.PATCH
        state, reason = (amazon_state(listing) if listing.on_amazon else ListingState.INCOMPLETE,
                         Outcome.NOT_IN_CHANNEL.value)
    elif fba:
        state = amazon_state(listing)  # Amazon's stock: shown, never overwritten
    elif not offer.eligible:
        # Excluded by rules: never listed; an offer already on Amazon is kept at quantity 0 (not deleted).
        state, reason = ListingState.INELIGIBLE, Outcome.EXCLUDED_BY_RULES.value
        if listing.on_amazon and problem is None and not _accepted_matches(listing):
            operation = Operation.PATCH
    elif problem is not None:
        state, reason = ListingState.INCOMPLETE, problem.value
    elif not listing.on_amazon:
        if requirements_problem is not None:
            state, reason = ListingState.INCOMPLETE, requirements_problem.value
        elif auto_list or listing.list_requested:
            operation, state = Operation.PUT, ListingState.READY_TO_LIST
        else:
            state = ListingState.READY_TO_LIST
    else:
        state = amazon_state(listing)
        if not _accepted_matches(listing):
            operation = Operation.PATCH
    listing.desired_operation = operation
    if operation == Operation.DELETE or (
        operation == Operation.PATCH and (listing.desired_quantity or 0) < (listing.accepted_quantity or 0)
    ):
        listing.priority = 0
    else:
        listing.priority = 2 if operation == Operation.PUT else 1
    listing.state, listing.state_reason = state, reason
    changed_offer = _values(listing) != before[0]
    if changed_offer and operation != Operation.NONE:
        listing.desired_version += 1
    elif operation == Operation.PUT and has_errors(listing) and listing.accepted_version >= listing.desired_version:
        listing.state = ListingState.ERROR  # Amazon refused this very offer: it waits for a change
    return (_values(listing), listing.state, listing.state_reason, listing.priority,
            tuple(listing.desired_notes)) != before


# --- Scan ---------------------------------------------------------------------------------------------------


@dataclass
class ScanResult:
    scanned: int = 0
    changed: int = 0


UPDATE_FIELDS = [
    "seller_sku", "sku_generated", "asin", "product_type", "name", "state", "state_reason", "desired_price",
    "desired_currency", "desired_quantity", "desired_handling_time", "desired_condition", "desired_notes",
    "desired_operation", "desired_version", "priority", "updated_at",
]


def _requirements_problems(store: AmazonStore, product_types: set[str], known: dict[str, Outcome | None]) -> None:
    """Fill ``known`` for ``product_types`` from the cached definitions (one query)."""
    missing = product_types - set(known)
    if not missing:
        return
    cached = dict(ProductTypeRequirements.objects.filter(
        product_type__in=missing, marketplace_id=store.marketplace_id
    ).values_list("product_type", "required"))
    for product_type in missing:
        if not product_type:
            known[product_type] = Outcome.NO_PRODUCT_TYPE
        elif set(cached.get(product_type) or []) - SENT_ATTRIBUTES:
            known[product_type] = Outcome.MISSING_REQUIRED_ATTRIBUTE
        else:
            known[product_type] = None


def scan(store: AmazonStore, *, variant_ids: Sequence[int] | None = None, now: datetime | None = None) -> ScanResult:
    """Recompute desired offers of the store's channel (or of ``variant_ids``); a constant number of
    queries per batch of ``READ_BATCH`` variants, plus one per product type whose requirements are read."""
    now = now or timezone.now()
    host = get_host()
    stored = listing_settings(store)
    settings_snapshot = offer_settings(store, stored)
    mapping = mapping_key(store)
    result = ScanResult()
    after = 0
    requirements: dict[str, Outcome | None] = {}
    if store.channel_id is not None:
        while True:
            variants = host.offer_variants(
                store.channel_id, warehouse_ids=stored.warehouse_ids or None,
                attribute_slug=stored.condition_attribute or None, variant_ids=variant_ids, after=after,
                limit=READ_BATCH, country_code=store.marketplace.country_code,
            )
            if not variants:
                break
            ids = [v.variant_id for v in variants]
            with transaction.atomic():
                result.changed += _scan_batch(store, stored, settings_snapshot, mapping, variants, requirements, now)
                _unlisted(store, stored, after, ids[-1], ids, variant_ids, now, result)
            result.scanned += len(variants)
            after = ids[-1]
    with transaction.atomic():
        _unlisted(store, stored, after, None, [], variant_ids, now, result)
    return result


def _scan_batch(
    store: AmazonStore,
    stored: ListingSettings,
    settings_snapshot: offers.OfferSettings,
    mapping: str,
    variants: list[OfferVariant],
    requirements: dict[str, Outcome | None],
    now: datetime,
) -> int:
    """Read the batch's listings without locking them, compute; lock only the listings to rewrite, and compute
    those again from their locked rows (what a concurrent writer committed meanwhile is not overwritten). A
    scan with nothing changed then takes no row lock (a lock writes every tuple and its WAL record)."""
    ids = [v.variant_id for v in variants]
    matches = {
        m.variant_id: m
        for m in CatalogMatch.objects.filter(store=store, variant_id__in=ids, mapping=mapping).only(
            "variant_id", "status", "asin", "product_type", "name"
        )
    }
    existing = {row.variant_id: row for row in Listing.objects.filter(store=store, variant_id__in=ids)}
    rules = offers.batch_rules(store, variants)
    context = (store, stored, settings_snapshot, matches, rules, requirements, now)
    creates, updates = _compute(existing, variants, *context)
    if updates:
        changed_ids = [listing.variant_id for listing in updates]
        locked = {row.variant_id: row for row in Listing.objects.select_for_update().filter(
            store=store, variant_id__in=changed_ids)}
        # A listing deleted meanwhile is not recreated here (the next scan does).
        _, updates = _compute(locked, [v for v in variants if v.variant_id in locked], *context)
    if creates:
        # Another worker scanning the same run may have created them meanwhile: theirs are the same.
        Listing.objects.bulk_create(creates, ignore_conflicts=True)
    if updates:
        bulk.update_rows(Listing, updates, UPDATE_FIELDS)
    return len(creates) + len(updates)


def _compute(
    existing: dict[int | None, Listing],
    variants: Sequence[OfferVariant],
    store: AmazonStore,
    stored: ListingSettings,
    settings_snapshot: offers.OfferSettings,
    matches: dict[int, CatalogMatch],
    rules: list[offers.OfferRule],
    requirements: dict[str, Outcome | None],
    now: datetime,
) -> tuple[list[Listing], list[Listing]]:
    """The batch's desired offers: (new listings, changed listings), the listings of ``existing`` updated."""
    creates: list[Listing] = []
    updates: list[Listing] = []
    prepared = []
    for variant in variants:
        listing = existing.get(variant.variant_id)
        is_new = listing is None
        if listing is None:
            sku = (variant.sku or generated_sku(variant.variant_id))[:40]
            listing = Listing(store=store, variant_id=variant.variant_id, seller_sku=sku,
                              sku_generated=not variant.sku, created_at=now)
        before_identity = (listing.asin, listing.product_type, listing.name)
        match = matches.get(variant.variant_id)
        if match is not None:
            listing.name = match.name[:512]
        if not listing.asin_assigned and not listing.on_amazon:
            if match is not None and match.status == MatchStatus.MATCHED:
                listing.asin, listing.product_type = match.asin, match.product_type
            else:
                listing.asin = ""
        elif match is not None and match.asin == listing.asin and match.product_type and not listing.product_type:
            listing.product_type = match.product_type
        overrides = offers.Overrides(listing.override_price, listing.override_quantity,
                                     listing.override_handling_time, listing.override_condition)
        offer = offers.desired_offer(variant, settings_snapshot, overrides, rules)
        if listing.adopted and listing.override_handling_time is None:
            # The default handling time applies to offers the channel creates (Adobe's rule): not to adopted ones.
            offer = replace(offer, handling_time=listing.accepted_handling_time)
        problem: Outcome | None = None
        if not listing.asin:
            problem = PROBLEM_OF_MATCH.get(match.status if match else None, Outcome.NO_CATALOG_MATCH)
        problem = problem or offer.problem
        prepared.append((listing, is_new, before_identity, offer, problem))
    _requirements_problems(store, {listing.product_type for listing, *_ in prepared if not listing.on_amazon},
                           requirements)
    for listing, is_new, before_identity, offer, problem in prepared:
        requirements_problem = requirements.get(listing.product_type) if not listing.on_amazon else None
        changed = decide(listing, offer, problem, stored.auto_list, requirements_problem)
        if is_new:
            creates.append(listing)
        elif changed or (listing.asin, listing.product_type, listing.name) != before_identity:
            listing.updated_at = now
            updates.append(listing)
    return creates, updates


def _unlisted(
    store: AmazonStore,
    stored: ListingSettings,
    after: int,
    upto: int | None,
    seen_ids: list[int],
    variant_ids: Sequence[int] | None,
    now: datetime,
    result: ScanResult,
) -> None:
    """Listings of variants no longer in the channel (in the id range just read, or past the last one),
    and of deleted variants (on the last call)."""
    queryset = Listing.objects.select_for_update().filter(store=store).exclude(state=ListingState.THIRD_PARTY,
                                                                               variant__isnull=True)
    if upto is not None:
        queryset = queryset.filter(variant_id__gt=after, variant_id__lte=upto).exclude(variant_id__in=seen_ids)
    else:
        queryset = queryset.filter(Q(variant_id__gt=after) | Q(variant__isnull=True))
    if variant_ids is not None:
        queryset = queryset.filter(Q(variant_id__in=list(variant_ids)) | Q(variant__isnull=True))
    updates = []
    for listing in queryset:
        if decide(listing, None, None, stored.auto_list):
            listing.updated_at = now
            updates.append(listing)
    if updates:
        bulk.update_rows(Listing, updates, UPDATE_FIELDS)
        result.changed += len(updates)


def pending(store_id: int) -> Any:
    return Listing.objects.filter(
        store_id=store_id, desired_operation__in=[Operation.PUT, Operation.PATCH, Operation.DELETE],
        accepted_version__lt=F("desired_version"),
    )


# --- Runs ---------------------------------------------------------------------------------------------------


class ClaimLost(Exception):
    """The listing's claim ran out and another worker holds it now: this worker leaves it alone."""


class StartRefused(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


class RunFailed(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def active_sync(store: AmazonStore) -> ListingSync | None:
    return ListingSync.objects.filter(store=store, status__in=ACTIVE_SYNC_STATUSES).first()


def check_startable(store: AmazonStore) -> None:
    if store.channel_id is None:
        raise StartRefused("no_channel", "The store has no Saleor channel: choose one before listing on Amazon.")
    if store.authorization_id is None:
        raise StartRefused("not_connected", "Connect the store to Amazon before listing on it.")
    if store.status() in (ConnectionStatus.AUTHORIZATION_REVOKED, ConnectionStatus.AUTHORIZATION_EXPIRED):
        raise StartRefused("authorization_revoked", "The store's Amazon authorization has ended: reconnect the store.")
    if not get_host().get_config().is_complete:
        raise StartRefused("plugin_not_configured", "The plugin's Amazon application is not configured.")


def start_sync(store: AmazonStore, actor: str = "") -> tuple[ListingSync | None, bool]:
    """The store's new sync run, queued after the commit; or the active one (queued again if it stalled)."""
    check_startable(store)
    listing_settings(store)
    existing = active_sync(store)
    if existing is not None:
        if (existing.heartbeat_at or existing.created_at) < timezone.now() - STALLED_AFTER:
            _queue(existing.pk)
        return existing, False
    try:
        with transaction.atomic():
            run = ListingSync.objects.create(store=store, actor=actor[:255], phase=ListingSync.Phase.SCAN)
    except IntegrityError:
        return active_sync(store), False
    _queue(run.pk)
    return run, True


def _queue(run_id: int, countdown: float | None = None) -> None:
    from saleor_amazon_channel.listings.tasks import listing_sync_task

    transaction.on_commit(lambda: listing_sync_task.apply_async(args=(run_id,), countdown=countdown or 0))


def fail(run_id: int, code: str, message: str) -> None:
    ListingSync.objects.filter(pk=run_id, status__in=ACTIVE_SYNC_STATUSES).update(
        status=SyncStatus.FAILED, finished_at=timezone.now(), last_error_code=code[:64],
        last_error_message=message[:500],
    )
    logger.warning("amazon_channel.listings.failed", extra={"run_id": run_id, "code": code})


def _heartbeat(run_id: int, **counters: int) -> None:
    ListingSync.objects.filter(pk=run_id).update(
        heartbeat_at=timezone.now(), **{name: F(name) + value for name, value in counters.items() if value}
    )


@dataclass
class Outcome_:
    wait: float | None = None  # come back after this many seconds
    finished: bool = False
    sent: int = 0


# --- Talking to Amazon ---------------------------------------------------------------------------------------


@dataclass
class Seller:
    """One store's Amazon side for a run: token, pacing keys, HTTP session, call counter."""

    store: AmazonStore
    config: Any
    http: AmazonHttp
    sleep: Any = time.sleep
    calls: int = 0
    rate_limits: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        assert self.store.authorization is not None
        self.authorization = self.store.authorization
        self.seller_id = self.authorization.selling_partner_id
        self.marketplace = self.store.marketplace

    def key(self, operation: str) -> str:
        return f"listings-{operation}:{self.authorization.region}:{self.seller_id}"

    def call(self, operation: str, plan: tuple[float, int], fn: Any, *args: Any, guard: Any = None) -> Any:
        """``fn(http, token, *args)`` paced on ``operation``'s bucket, retried on 429 and transient faults.

        ``guard()``, called once the slot is ours and right before each request, renews the claim the
        request is sent under; False (another worker took the listing over) raises :class:`ClaimLost`.
        """
        key = self.key(operation)
        attempt, forbidden_once = 0, False
        while True:
            attempt += 1
            token = tokens.get_access_token(self.authorization, self.config, http=self.http)
            pacing.acquire(key, sleep=self.sleep, rate=plan[0], burst=plan[1], configurable=False)
            if guard is not None and not guard():
                raise ClaimLost()
            self.calls += 1
            try:
                answer = fn(self.http, token, *args)
            except errors.Throttled as error:
                pacing.slow_down(key, error.retry_after)
                if attempt >= MAX_ATTEMPTS:
                    raise
                self.sleep(_backoff(attempt, error.retry_after))
                continue
            except errors.Forbidden:
                if forbidden_once:
                    raise
                forbidden_once = True
                tokens.forget_access_token(self.authorization)
                continue
            except errors.AmazonError as error:
                if not error.retryable or attempt >= MAX_ATTEMPTS:
                    raise
                self.sleep(_backoff(attempt, None))
                continue
            header = getattr(answer, "rate_limit", None)
            if header:
                pacing.adopt_rate_limit(key, header)
            return answer


def _backoff(attempt: int, retry_after: float | None) -> float:
    return backoff(attempt, retry_after, base=BACKOFF_BASE, cap=BACKOFF_MAX)


def _offer(listing: Listing) -> amazon_listings.Offer:
    return amazon_listings.Offer(
        price=listing.desired_price or Decimal(0), currency=listing.desired_currency,
        quantity=listing.desired_quantity or 0, handling_time=listing.desired_handling_time,
        condition=listing.desired_condition, asin=listing.asin,
    )


def ensure_requirements(seller: Seller, product_type: str) -> list[str]:
    """The product type's required offer attributes in the store's marketplace, cached (PTD)."""
    cached = ProductTypeRequirements.objects.filter(
        product_type=product_type, marketplace_id=seller.marketplace.id, fetched_at__gte=timezone.now() - PTD_MAX_AGE
    ).first()
    if cached is not None:
        return list(cached.required)
    found = seller.call("getDefinitionsProductType", amazon_product_types.PLAN,
                        amazon_product_types.offer_requirements, seller.marketplace, seller.seller_id, product_type)
    ProductTypeRequirements.objects.update_or_create(
        product_type=product_type, marketplace_id=seller.marketplace.id,
        defaults={"required": list(found.required), "version": found.version, "fetched_at": timezone.now()},
    )
    return list(found.required)


# --- Import of existing offers -------------------------------------------------------------------------------


def import_existing(run: ListingSync, seller: Seller) -> float | None:
    """The first run's import; returns seconds to wait while Amazon prepares the report, None when done."""
    store = run.store
    state, _ = ListingStoreState.objects.get_or_create(store=store)
    if state.imported_at is not None:
        return None
    if not run.report_id:
        report_id = seller.call("createReport", amazon_reports.PLANS["createReport"], amazon_reports.create,
                                seller.marketplace)
        ListingSync.objects.filter(pk=run.pk).update(report_id=report_id[:100])
        run.report_id = report_id
    status = seller.call("getReport", amazon_reports.PLANS["getReport"], amazon_reports.get, seller.marketplace,
                         run.report_id)
    if status.status not in amazon_reports.FINISHED:
        return 2.0
    if status.status != "DONE":
        raise RunFailed("report_" + status.status.lower(), "Amazon could not prepare the seller's listings report.")
    existing = seller.call("getReportDocument", amazon_reports.PLANS["getReportDocument"], amazon_reports.offers,
                           seller.marketplace, status.document_id)
    adopt(store, existing, listing_settings(store).import_third_party)
    ListingStoreState.objects.filter(pk=state.pk).update(imported_at=timezone.now())
    return None


def adopt(store: AmazonStore, existing: list[amazon_reports.ExistingOffer], third_party: bool) -> dict[str, int]:
    """Match the seller's offers to listings by seller SKU, then by ASIN; the rest are third party."""
    now = timezone.now()
    counts = {"adopted": 0, "third_party": 0}
    with transaction.atomic():
        listings = list(Listing.objects.select_for_update().filter(store=store))
        by_sku = {listing.seller_sku: listing for listing in listings}
        by_asin: dict[str, Listing] = {}
        for listing in listings:
            if listing.asin and not listing.on_amazon and listing.variant_id is not None:
                by_asin.setdefault(listing.asin, listing)
        creates: list[Listing] = []
        changed: list[Listing] = []
        for offer in existing:
            found = by_sku.get(offer.sku)
            if found is None and offer.asin in by_asin:
                found = by_asin.pop(offer.asin)
                del by_sku[found.seller_sku]
                found.seller_sku, found.sku_generated = offer.sku, False
                by_sku[offer.sku] = found
            if found is None:
                if third_party:
                    creates.append(Listing(
                        store=store, seller_sku=offer.sku, asin=offer.asin, name=offer.name,
                        state=ListingState.THIRD_PARTY, on_amazon=True, adopted=True,
                        fulfillment_channel=offer.fulfillment_channel,
                        amazon_status=["BUYABLE"] if offer.active else [], amazon_price=offer.price,
                        amazon_quantity=offer.quantity, accepted_price=offer.price,
                        accepted_quantity=offer.quantity, checked_at=now, created_at=now, updated_at=now,
                    ))
                    counts["third_party"] += 1
                continue
            if found.asin and offer.asin and found.asin != offer.asin and found.variant_id is not None:
                found.asin_assigned = True  # the seller's offer says which ASIN this SKU sells
            found.asin = offer.asin or found.asin
            found.on_amazon = found.adopted = True
            found.fulfillment_channel = offer.fulfillment_channel
            found.amazon_status = ["BUYABLE"] if offer.active else []
            found.amazon_price = found.accepted_price = offer.price
            found.amazon_quantity = found.accepted_quantity = offer.quantity
            found.checked_at = found.updated_at = now
            changed.append(found)
            counts["adopted"] += 1
        if changed:
            bulk.update_rows(Listing, changed, [
                "seller_sku", "sku_generated", "asin", "asin_assigned", "on_amazon", "adopted", "fulfillment_channel",
                "amazon_status", "amazon_price", "accepted_price", "amazon_quantity", "accepted_quantity",
                "checked_at", "updated_at",
            ])
        if creates:
            Listing.objects.bulk_create(creates, ignore_conflicts=True)
    return counts


def fill_product_types(store: AmazonStore, seller: Seller, limit: int = 200) -> int:
    """Amazon's product type of ASINs the merchant assigned (searchCatalogItems by ASIN, 20 a call, on the
    catalog match's bucket); the listings are recomputed. Returns how many were found."""
    waiting = list(Listing.objects.filter(store=store, state=ListingState.INCOMPLETE,
                                          state_reason=Outcome.NO_PRODUCT_TYPE.value).exclude(asin="")[:limit])
    if not waiting:
        return 0
    asins = sorted({listing.asin for listing in waiting})
    found: dict[str, str] = {}
    for start in range(0, len(asins), amazon_catalog.MAX_IDENTIFIERS):
        chunk = asins[start:start + amazon_catalog.MAX_IDENTIFIERS]
        key = pacing.catalog_key(seller.seller_id, seller.authorization.region)
        token = tokens.get_access_token(seller.authorization, seller.config, http=seller.http)
        pacing.acquire(key, sleep=seller.sleep)
        seller.calls += 1
        page = amazon_catalog.search_page(seller.http, token, seller.marketplace, "ASIN", chunk)
        found.update({item.asin: item.product_type for item in page.items if item.product_type})
    for listing in waiting:
        if listing.asin in found:
            Listing.objects.filter(pk=listing.pk).update(product_type=found[listing.asin])
    variant_ids = [x.variant_id for x in waiting if x.asin in found and x.variant_id is not None]
    if variant_ids:
        scan(store, variant_ids=variant_ids)
    return len(variant_ids)


# --- Sending -------------------------------------------------------------------------------------------------


def claim(store_id: int, size: int = CLAIM_SIZE, now: datetime | None = None,
          max_priority: int | None = None) -> list[Listing]:
    """Up to ``size`` listings to send, decreases first (only those with ``max_priority=0``); nobody else holds
    them until the lease ends."""
    now = now or timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        queryset = pending(store_id).select_for_update(skip_locked=True).filter(feed__isnull=True).filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        if max_priority is not None:
            queryset = queryset.filter(priority__lte=max_priority)
        rows = list(queryset.order_by("priority", "id")[:size])
        if rows:
            Listing.objects.filter(pk__in=[row.pk for row in rows]).update(claimed_until=now + lease(),
                                                                          claim_token=token)
    for row in rows:
        # This version was already on its way (marked right before its request) by a worker that died.
        setattr(row, "resumed", row.sending_version == row.desired_version)  # noqa: B010
        row.sending_version, row.claim_token = row.desired_version, token
    return rows


def _guard(listing: Listing) -> Any:
    """Renew the claim right before a request, and mark the version as sent; False if the claim was lost."""
    def renew() -> bool:
        return bool(Listing.objects.filter(pk=listing.pk, claim_token=listing.claim_token).update(
            claimed_until=timezone.now() + lease(), sending_version=listing.sending_version))

    return renew


def _record(listing: Listing, submission: amazon_listings.Submission | None, operation: str, now: datetime) -> bool:
    """Commit a send's answer, if the listing still holds that version; False if it lost it."""
    fields: dict[str, Any] = {"claimed_until": None, "claim_token": None}
    accepted = submission is None or submission.accepted
    issues = submission.issues if submission is not None else []
    fields["accepted_version"] = listing.sending_version
    fields["issues"] = issues
    code = str(issues[0].get("code", "INVALID"))[:64] if issues else "INVALID"
    fields["last_error_code"] = "" if accepted else code
    if submission is not None:
        fields["submission_id"] = submission.submission_id
    if accepted:
        fields.update(accepted_price=listing.desired_price, accepted_quantity=listing.desired_quantity,
                      accepted_handling_time=listing.desired_handling_time,
                      accepted_condition=listing.desired_condition, accepted_at=now,
                      verify_after=now + timedelta(seconds=verify_delay()), verify_attempts=0)
        # Nothing left to send for this version (a newer one keeps its operation).
        fields["desired_operation"] = Case(When(desired_version=listing.sending_version, then=Value("")),
                                           default=F("desired_operation"))
        fields["priority"] = Case(When(desired_version=listing.sending_version, then=Value(1)),
                                  default=F("priority"), output_field=PositiveSmallIntegerField())
        if operation == Operation.DELETE:
            fields.update(on_amazon=False, amazon_status=[], state=ListingState.ENDED, verify_after=None)
        else:
            fields["on_amazon"] = True
    else:
        fields["state"] = ListingState.ERROR
    held = Listing.objects.filter(pk=listing.pk, sending_version=listing.sending_version)
    if listing.claim_token is not None:
        held = held.filter(claim_token=listing.claim_token)
    return bool(held.update(**fields))


def send_one(seller: Seller, listing: Listing, now: datetime | None = None) -> str:
    """Send one claimed listing; 'accepted', 'rejected', 'already' (found on Amazon after a lost worker)."""
    now = now or timezone.now()
    operation = listing.desired_operation
    if getattr(listing, "resumed", False) and operation != Operation.DELETE:
        try:
            item = seller.call("getListingsItem", amazon_listings.PLANS["get"], amazon_listings.get_item,
                               seller.marketplace, seller.seller_id, listing.seller_sku, guard=_guard(listing))
        except errors.AmazonRequestError:
            item = None
        if item is not None and item.price == listing.desired_price and item.quantity == listing.desired_quantity:
            _record(listing, None, operation, now)
            return "already"
    if operation == Operation.PUT:
        required = ensure_requirements(seller, listing.product_type)
        missing = set(required) - SENT_ATTRIBUTES
        if missing:
            issue = {"code": Outcome.MISSING_REQUIRED_ATTRIBUTE.value, "severity": "ERROR",
                     "message": "Amazon requires " + ", ".join(sorted(missing)) + " for this product type.",
                     "attributeNames": sorted(missing)}
            _record(listing, amazon_listings.Submission("INVALID", "", [issue], None), operation, now)
            return "rejected"
        submission = seller.call("putListingsItem", amazon_listings.PLANS["put"], amazon_listings.put_offer,
                                 seller.marketplace, seller.seller_id, listing.seller_sku, listing.product_type,
                                 _offer(listing), guard=_guard(listing))
    elif operation == Operation.PATCH:
        try:
            submission = seller.call("patchListingsItem", amazon_listings.PLANS["patch"], amazon_listings.patch_offer,
                                     seller.marketplace, seller.seller_id, listing.seller_sku,
                                     listing.product_type, _offer(listing), guard=_guard(listing))
        except errors.AmazonRequestError as error:
            if error.status != 404:
                raise
            # The offer is gone from Amazon: the next scan lists it anew.
            Listing.objects.filter(pk=listing.pk, claim_token=listing.claim_token).update(
                on_amazon=False, claimed_until=None, claim_token=None, accepted_version=listing.sending_version)
            return "rejected"
    else:
        try:
            submission = seller.call("deleteListingsItem", amazon_listings.PLANS["delete"],
                                     amazon_listings.delete_offer, seller.marketplace, seller.seller_id,
                                     listing.seller_sku, guard=_guard(listing))
        except errors.AmazonRequestError as error:
            if error.status != 404:
                raise
            submission = None  # already gone
    _record(listing, submission, operation, now)
    return "accepted" if submission is None or submission.accepted else "rejected"


def feed_message(listing: Listing, message_id: int, marketplace: Any) -> dict[str, Any]:
    if listing.desired_operation == Operation.DELETE:
        return {"messageId": message_id, "sku": listing.seller_sku, "operationType": "DELETE"}
    offer = _offer(listing)
    if listing.desired_operation == Operation.PUT:
        return {"messageId": message_id, "sku": listing.seller_sku, "operationType": "UPDATE",
                "productType": listing.product_type, "requirements": "LISTING_OFFER_ONLY",
                "attributes": amazon_listings.offer_attributes(offer, marketplace)}
    return {"messageId": message_id, "sku": listing.seller_sku, "operationType": "PATCH",
            "productType": listing.product_type or "PRODUCT",
            "patches": amazon_listings.offer_patches(offer, marketplace)}


def submit_feed(run: ListingSync, seller: Seller, now: datetime | None = None,
                decreases_only: bool = False) -> ListingFeed | None:
    """Hold the backlog (or its decreases) in one JSON_LISTINGS_FEED and submit it."""
    now = now or timezone.now()
    with transaction.atomic():
        queryset = (
            pending(run.store_id).select_for_update(skip_locked=True)
            .filter(feed__isnull=True).filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .exclude(desired_operation=Operation.PUT, product_type="")
        )
        if decreases_only:
            queryset = queryset.filter(priority=0)
        rows = list(queryset.order_by("priority", "id")[:amazon_feeds.MAX_MESSAGES])
        if not rows:
            return None
        feed = ListingFeed.objects.create(store_id=run.store_id, status="SUBMITTING", created_at=now)
        messages, entries = [], []
        for number, row in enumerate(rows, start=1):
            messages.append(feed_message(row, number, seller.marketplace))
            entries.append([row.pk, row.desired_version, number, row.desired_operation])
        ListingFeed.objects.filter(pk=feed.pk).update(messages=entries)
        for row in rows:
            Listing.objects.filter(pk=row.pk).update(feed=feed, sending_version=row.desired_version,
                                                     claimed_until=None, claim_token=None)
    content = amazon_feeds.feed_document(seller.seller_id, messages)
    try:
        feed_id = seller.call("createFeed", amazon_feeds.PLANS["createFeed"], amazon_feeds.submit,
                              seller.marketplace, content)
    except errors.AmazonError:
        release_feed(feed, "FATAL")
        raise
    ListingFeed.objects.filter(pk=feed.pk).update(feed_id=feed_id[:100], status="IN_QUEUE")
    _heartbeat(run.pk, sent=len(rows))
    logger.info("amazon_channel.listings.feed", extra={"run_id": run.pk, "messages": len(rows)})
    return feed


def release_feed(feed: ListingFeed, status: str) -> None:
    with transaction.atomic():
        Listing.objects.filter(feed=feed).update(feed=None, sending_version=0)
        ListingFeed.objects.filter(pk=feed.pk).update(status=status, finished_at=timezone.now())


def poll_feed(run: ListingSync, seller: Seller, feed: ListingFeed) -> float | None:
    """Seconds to wait while the feed is processed; None once its results are recorded."""
    status = seller.call("getFeed", amazon_feeds.PLANS["getFeed"], amazon_feeds.get_feed, seller.marketplace,
                         feed.feed_id)
    if status.status not in amazon_feeds.FINISHED:
        # Every 2 s at first, then a tenth of the feed's age (a half-hour feed: every 30 s at most).
        age = (timezone.now() - feed.created_at).total_seconds()
        return min(30.0, max(2.0, age / 10))
    if status.status != amazon_feeds.DONE:
        release_feed(feed, status.status)
        ListingSync.objects.filter(pk=run.pk).update(last_error_code="feed_" + status.status.lower(),
                                                     last_error_message="Amazon did not process the listings feed; "
                                                     "its offers are sent one by one instead.")
        return None
    report = seller.call("getFeedDocument", amazon_feeds.PLANS["getFeedDocument"], amazon_feeds.processing_report,
                         seller.marketplace, status.result_document_id)
    now = timezone.now()
    accepted = rejected = 0
    listings = {listing.pk: listing for listing in Listing.objects.filter(feed=feed)}
    with transaction.atomic():
        for listing_id, version, message_id, operation in feed.messages:
            listing = listings.get(listing_id)
            if listing is None or listing.sending_version != version:
                continue
            issues = report.errors.get(message_id)
            if listing.desired_version != version:
                continue  # superseded while in the feed: the newer version is sent next
            submission = amazon_listings.Submission("INVALID" if issues else "ACCEPTED", feed.feed_id, issues or [],
                                                    None)
            _record(listing, submission, operation, now)
            if issues:
                rejected += 1
            else:
                accepted += 1
        Listing.objects.filter(feed=feed).update(feed=None)
        ListingFeed.objects.filter(pk=feed.pk).update(status=amazon_feeds.DONE, finished_at=now)
    _heartbeat(run.pk, accepted=accepted, rejected=rejected)
    return None


# --- Read-back -----------------------------------------------------------------------------------------------


def verify_due(store_id: int, seller: Seller, now: datetime | None = None, limit: int = 50) -> tuple[int, float | None]:
    """Read back accepted offers whose time came; (read, seconds until the next one is due or None)."""
    now = now or timezone.now()
    due = list(Listing.objects.filter(store_id=store_id, verify_after__lte=now).order_by("verify_after")[:limit])
    for listing in due:
        try:
            item = seller.call("getListingsItem", amazon_listings.PLANS["get"], amazon_listings.get_item,
                               seller.marketplace, seller.seller_id, listing.seller_sku)
        except errors.AmazonRequestError as error:
            if error.status != 404:
                raise
            item = None
        apply_read_back(listing, item, now)
    following = (
        Listing.objects.filter(store_id=store_id, verify_after__isnull=False)
        .order_by("verify_after").values_list("verify_after", flat=True).first()
    )
    wait = None if following is None else max(0.5, (following - now).total_seconds())
    return len(due), wait


def apply_read_back(listing: Listing, item: amazon_listings.ListingsItem | None, now: datetime) -> None:
    fields: dict[str, Any] = {"checked_at": now}
    if item is None:
        fields.update(amazon_status=[], verify_attempts=F("verify_attempts") + 1)
        live = False
    else:
        fields.update(amazon_status=item.status, amazon_price=item.price, amazon_quantity=item.quantity,
                      issues=item.issues, fulfillment_channel=item.fulfillment_channel or MERCHANT_FULFILLED)
        if item.asin and not listing.asin:
            fields["asin"] = item.asin
        listing.amazon_status, listing.issues = item.status, item.issues
        if listing.ended:
            fields["state"] = ListingState.ENDED
        elif listing.state != ListingState.INELIGIBLE:  # excluded by rules: stays Ineligible at quantity 0
            fields["state"] = amazon_state(listing)
        live = bool(item.status) or bool(item.issues)
        # Amazon shows what was accepted, or says why not: done; else look again later.
        live = live and (item.quantity == listing.accepted_quantity or bool(item.issues))
    attempts = listing.verify_attempts + 1
    if live or attempts >= VERIFY_ATTEMPTS:
        fields["verify_after"] = None
    else:
        fields["verify_after"] = now + timedelta(seconds=verify_delay() * attempts)
    fields["verify_attempts"] = attempts
    Listing.objects.filter(pk=listing.pk).update(**fields)


# --- A run ---------------------------------------------------------------------------------------------------


def execute(run_id: int, *, sleep: Callable[[float], None] = time.sleep, http: AmazonHttp | None = None) -> Outcome_:
    """Do what is left of a run in this worker; ``wait`` asks to be called again later."""
    run = ListingSync.objects.select_related("store", "store__authorization").filter(pk=run_id).first()
    if run is None or run.status not in ACTIVE_SYNC_STATUSES:
        return Outcome_(finished=True)
    store = run.store
    config = get_host().get_config()
    own_http = http is None
    http = http or AmazonHttp(max_attempts=1)
    seller = None
    try:
        if store.channel_id is None or store.authorization_id is None:
            raise RunFailed("not_connected", "The store lost its channel or its Amazon connection during the sync.")
        if not config.active or not config.is_complete:
            raise RunFailed("plugin_not_configured", "The plugin's Amazon application is not configured.")
        ListingSync.objects.filter(pk=run_id, status=SyncStatus.PENDING).update(
            status=SyncStatus.RUNNING, started_at=timezone.now()
        )
        seller = Seller(store, config, http, sleep=sleep)
        if run.phase == ListingSync.Phase.SCAN:
            result = scan(store)
            ListingSync.objects.filter(pk=run_id).update(phase=ListingSync.Phase.IMPORT, scanned=result.scanned,
                                                         changed=result.changed, heartbeat_at=timezone.now())
            run.phase = ListingSync.Phase.IMPORT
        if run.phase == ListingSync.Phase.IMPORT:
            wait = import_existing(run, seller)
            if wait is not None:
                return Outcome_(wait=wait)
            if ListingStoreState.objects.filter(store=store, imported_at__isnull=False).exists():
                scan(store)  # adopted offers change what needs sending
            fill_product_types(store, seller)
            ListingSync.objects.filter(pk=run_id).update(phase=ListingSync.Phase.SEND, heartbeat_at=timezone.now())
            run.phase = ListingSync.Phase.SEND
        sent = 0
        if run.phase == ListingSync.Phase.SEND:
            sent, wait = send_all(run, seller)
            if wait is not None:
                return Outcome_(wait=wait, sent=sent)
            ListingSync.objects.filter(pk=run_id).update(phase=ListingSync.Phase.VERIFY, heartbeat_at=timezone.now())
            run.phase = ListingSync.Phase.VERIFY
        _, wait = verify_due(store.pk, seller)
        if wait is not None:
            return Outcome_(wait=wait, sent=sent)
    except RunFailed as failure:
        fail(run_id, failure.code, failure.message)
        return Outcome_(finished=True)
    except errors.AmazonError as error:
        if error.retryable:
            ListingSync.objects.filter(pk=run_id).update(last_error_code=error.code[:64],
                                                         last_error_message=error.message[:500])
            return Outcome_(wait=30.0)
        fail(run_id, error.code, error.message)
        return Outcome_(finished=True)
    finally:
        if seller is not None:
            _heartbeat(run_id, amazon_calls=seller.calls)
        if own_http:
            http.close()
    ListingSync.objects.filter(pk=run_id, status__in=ACTIVE_SYNC_STATUSES).update(
        status=SyncStatus.SUCCEEDED, finished_at=timezone.now()
    )
    return Outcome_(finished=True, sent=sent)


def plan_sends(store_id: int, seller: Seller, now: datetime | None = None) -> tuple[bool, choice.Choice | None]:
    """(decreases waiting?, the fastest plan for the backlog not held by a feed or another worker; None: empty)."""
    from django.db.models import Count

    now = now or timezone.now()
    waiting = list(
        pending(store_id).filter(feed__isnull=True).filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .values_list("priority", "desired_operation").annotate(n=Count("pk")).order_by()
    )
    if not waiting:
        return False, None
    keys = {operation: seller.key(name) for operation, name in OPERATION_NAMES.items()}
    feed_key = seller.key("createFeed")
    plans = {keys[operation]: amazon_listings.PLANS[OPERATION_PLANS[operation]][0] for operation in keys}
    plans[feed_key] = amazon_feeds.PLANS["createFeed"][0]
    slots = pacing.schedule(plans)
    # Each part's requests one after the other at their operation's paced rate, after the longest wait for a slot.
    seconds, waits = [0.0, 0.0], [0.0, 0.0]
    for priority, operation, number in waiting:
        wait, rate = slots[keys[operation]]
        part = 0 if priority == 0 else 1
        seconds[part] += number / rate
        waits[part] = max(waits[part], wait)
    seconds = [spent + wait if spent else 0.0 for spent, wait in zip(seconds, waits, strict=True)]
    feed_wait, feed_rate = slots[feed_key]
    picked = choice.choose(seconds[0], seconds[1], turnaround=feed_turnaround(store_id, now), feed_wait=feed_wait,
                           feed_interval=1.0 / feed_rate)
    return seconds[0] > 0, picked


def send_all(run: ListingSync, seller: Seller) -> tuple[int, float | None]:
    """Decreases first, then the rest, each part one by one or as one feed, whichever gets it ACCEPTED sooner
    (:mod:`.choice`); while a feed is in flight, listings it does not hold are sent one by one (only decreases
    while it holds decreases: every increase waits for them)."""
    sent = 0
    poll_wait = None
    in_flight = ListingFeed.objects.filter(store_id=run.store_id, status="IN_QUEUE").first()
    if in_flight is not None:
        poll_wait = poll_feed(run, seller, in_flight)
        if poll_wait is None:
            in_flight = None
    feeds_failed = ListingFeed.objects.filter(
        store_id=run.store_id, created_at__gte=run.created_at
    ).exclude(status__in=[amazon_feeds.DONE, "IN_QUEUE"]).exists()
    while True:
        max_priority = None
        if in_flight is not None:
            if Listing.objects.filter(feed=in_flight, priority=0).exists():
                max_priority = 0
        else:
            decreases, picked = plan_sends(run.store_id, seller)
            if picked is None:
                break
            if not feeds_failed and (picked.decreases_by_feed if decreases else picked.rest_by_feed):
                in_flight = submit_feed(run, seller, decreases_only=decreases)
                if in_flight is not None:
                    poll_wait = 2.0
                    continue
            if decreases:
                max_priority = 0
        batch = claim(run.store_id, max_priority=max_priority)
        if not batch:
            break
        accepted = rejected = 0
        for listing in batch:
            try:
                outcome = send_one(seller, listing)
            except ClaimLost:
                continue
            sent += 1
            accepted += outcome in ("accepted", "already")
            rejected += outcome == "rejected"
        _heartbeat(run.pk, sent=len(batch), accepted=accepted, rejected=rejected)
    if in_flight is not None:
        return sent, poll_wait or 2.0
    held = pending(run.store_id).filter(Q(feed__isnull=False) | Q(claimed_until__gte=timezone.now()))
    if held.exists():
        return sent, 2.0  # another worker's claims, or a feed in flight
    return sent, None


def counts(store_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """Listings per state of each store (one query)."""
    from django.db.models import Count

    result: dict[int, dict[str, int]] = {store_id: {} for store_id in store_ids}
    for store_id, state, number in (
        Listing.objects.filter(store_id__in=list(store_ids)).values_list("store_id", "state")
        .annotate(n=Count("pk")).order_by()
    ):
        result[store_id][state] = number
    return result
