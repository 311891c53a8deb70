"""Polling a store's Amazon orders (searchOrders, v2026-01-01).

One poller per store at a time: a poll takes the store's :class:`OrderSync` lease with one
conditional UPDATE and renews it while it goes on (a heartbeat: a killed poller's lease runs out
before the next beat). A window goes from the stored cursor minus an overlap to at least two
minutes ago (Amazon's rule); its bounds and the next page's token are committed after each page,
so a killed poller's successor goes on with the same window (a repeated page is harmless:
recording is idempotent). When the last page is done, the cursor becomes the
``lastUpdatedBefore`` Amazon echoed; a poll that finished a window left over from an earlier
poll reads the next one at once when it spans half an interval and Amazon's pace has a request
free (not once the burst is spent: the poll would chase the two-minute edge at every slot).

Latency: the window goes by lastUpdatedTime, so an order created in it that Amazon changed in
its last two minutes before the poll is not in it. The finished window's range is read again by
creation time (``createdAfter``/``createdBefore``) while the seller's burst keeps a reserve
(``CREATION_READ_RESERVE``): nothing depends on that read, the next window has the order anyway.

Pacing: searchOrders is 0.0056 requests/s with a burst of 20 per seller, shared by every
worker through the catalog's token bucket (``catalog.pacing``, burst spent for this one);
a slot more than ``MAX_SLEEP`` seconds away ends the poll and the task comes back then.
429s slow the bucket down; ``x-amzn-RateLimit-Limit`` sets its rate.
"""

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from saleor_amazon_channel.amazon import errors
from saleor_amazon_channel.amazon import orders as amazon_orders
from saleor_amazon_channel.amazon.http import AmazonHttp, backoff
from saleor_amazon_channel.authorizations import tokens
from saleor_amazon_channel.catalog import pacing
from saleor_amazon_channel.core.config import AmazonChannelConfig
from saleor_amazon_channel.core.host import get_host
from saleor_amazon_channel.orders import sync
from saleor_amazon_channel.orders.models import OrderSettings, OrderSync
from saleor_amazon_channel.stores.models import AmazonStore

logger = logging.getLogger(__name__)

DEFAULT_INTERVAL = 300  # seconds: Adobe's "every 5 minutes"
DEFAULT_OVERLAP = 300  # seconds re-read before the cursor: updates Amazon makes visible late
# A heartbeat, renewed every quarter of it while the poll goes on: shorter than the poll interval, so the
# beat after a killed poller takes its store over.
DEFAULT_LEASE = 120
MAX_SLEEP = 30.0  # seconds a poller waits for a slot before handing the store back to the queue
MAX_ATTEMPTS = 5
BACKOFF_BASE = 1.0
BACKOFF_MAX = 30.0
MAX_PAGES_PER_POLL = 50
# searchOrders a poll leaves in the seller's burst when it reads its window again by creation time.
CREATION_READ_RESERVE = 5
SAFETY_MARGIN = timedelta(seconds=5)  # on top of Amazon's two minutes: our clock and Amazon's differ


def interval() -> float:
    return float(getattr(settings, "AMAZON_CHANNEL_ORDERS_POLL_INTERVAL", DEFAULT_INTERVAL))


def overlap() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "AMAZON_CHANNEL_ORDERS_OVERLAP", DEFAULT_OVERLAP)))


def lease() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "AMAZON_CHANNEL_ORDERS_LEASE", DEFAULT_LEASE)))


def search_key(selling_partner_id: str, region: str) -> str:
    return f"orders-search:{region}:{selling_partner_id}"


def get_key(selling_partner_id: str, region: str) -> str:
    return f"orders-get:{region}:{selling_partner_id}"


def confirm_key(selling_partner_id: str, region: str) -> str:
    return f"orders-confirm:{region}:{selling_partner_id}"


def search_rate() -> float:
    return float(getattr(settings, "AMAZON_CHANNEL_ORDERS_SEARCH_RATE", amazon_orders.SEARCH_RATE))


@dataclass
class PollOutcome:
    polled: bool = False  # False: another poller holds the store, or it cannot be polled
    pages: int = 0
    orders: int = 0
    created: int = 0
    wait: float | None = None  # come back in this many seconds (the window is not finished)
    error: str = ""
    held_for: float | None = None  # not polled: another poller's lease runs out in this many seconds


def sync_row(store: AmazonStore) -> OrderSync:
    row, _ = OrderSync.objects.get_or_create(store=store)
    return row


def claim(store: AmazonStore, now: datetime) -> bool:
    """Take the store's poll lease; False when another poller holds it."""
    sync_row(store)
    return bool(OrderSync.objects.filter(store=store).filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
                .update(lease_until=now + lease(), last_poll_at=now))


def release(store: AmazonStore, **fields: object) -> None:
    OrderSync.objects.filter(store=store).update(lease_until=None, **fields)


def read_again_from(store: AmazonStore, since: datetime) -> bool:
    """The merchant moved the import date back to ``since``: when the poll has read past it, its next window
    starts there (orders already recorded are read again, never created twice). True when it moved back."""
    with transaction.atomic():
        sync_row(store)
        row = OrderSync.objects.select_for_update().get(store=store)
        if row.cursor is not None and since < row.cursor:
            row.cursor = since
        elif not (row.cursor is None and row.window_after is not None and since - overlap() < row.window_after):
            return False
        row.window_after, row.window_before, row.page_token = None, None, ""
        row.save(update_fields=["cursor", "window_after", "window_before", "page_token"])
    return True


def pollable(store: AmazonStore) -> bool:
    return bool(store.is_active and store.channel_id and store.authorization_id)


def poll(store_id: int, *, http: AmazonHttp | None = None, sleep: Callable[[float], None] = time.sleep,
         now: datetime | None = None) -> PollOutcome:
    store = AmazonStore.objects.select_related("authorization").filter(pk=store_id).first()
    if store is None or not pollable(store):
        return PollOutcome()
    now = now or timezone.now()
    if not claim(store, now):
        until = OrderSync.objects.filter(store=store).values_list("lease_until", flat=True).first()
        return PollOutcome(held_for=max(0.0, (until - now).total_seconds()) if until else None)
    own_http = http is None
    http = http or AmazonHttp(max_attempts=1)
    outcome = PollOutcome(polled=True)
    try:
        _poll(store, http, sleep, now, outcome)
    except errors.AmazonError as error:
        outcome.error = error.code
        release(store, last_error_code=error.code[:64], last_error_message=str(error.message)[:500],
                next_poll_at=timezone.now() + timedelta(seconds=interval()))
        logger.warning("amazon_channel.orders.poll_failed", extra={"store": store.pk, "code": error.code})
        return outcome
    except BaseException:
        release(store)
        raise
    finally:
        if own_http:
            http.close()
    sync.apply_waiting(store)
    if outcome.wait is not None:
        release(store, next_poll_at=timezone.now() + timedelta(seconds=outcome.wait))
    else:
        release(store, last_success_at=timezone.now(), last_error_code="", last_error_message="",
                next_poll_at=timezone.now() + timedelta(seconds=interval()))
    return outcome


def _poll(store: AmazonStore, http: AmazonHttp, sleep: Callable[[float], None], now: datetime,
          outcome: PollOutcome) -> None:
    settings_row = sync.settings_for(store)
    row = OrderSync.objects.get(store=store)
    # A window left over from an earlier poll (a killed worker, a far pacing slot, too many pages): once it is
    # finished, this poll goes on with the next one instead of leaving it for the next beat.
    resumed = row.window_before is not None
    if not resumed and not _start_window(row, settings_row, now):
        return
    assert row.window_after is not None and row.window_before is not None
    authorization = store.authorization
    assert authorization is not None
    config = get_host().get_config()
    key = search_key(authorization.selling_partner_id, authorization.region)
    fulfilled_by = ("MERCHANT", "AMAZON") if settings_row.import_fba else ("MERCHANT",)
    heartbeat = _Heartbeat(row)
    counted = 0  # orders of this poll already added to orders_seen (by a window finished before)
    for _ in range(MAX_PAGES_PER_POLL):
        wait = pacing.reserve(key, search_rate(), amazon_orders.SEARCH_BURST, configurable=False, spend_burst=True,
                              max_wait=MAX_SLEEP)
        if wait > MAX_SLEEP:
            outcome.wait = wait
            return
        if wait > 0:
            sleep(wait)
        heartbeat.beat()
        page = _page(store, http, config, key, row, fulfilled_by, sleep, heartbeat)
        if page is None:  # the pagination token expired: the window starts over
            continue
        outcome.pages += 1
        _take(store, settings_row, page.orders, outcome, heartbeat)
        # Conditional on the window: the merchant may have moved the import date back meanwhile
        # (read_again_from), and the next poll reads from there.
        this_window = OrderSync.objects.filter(pk=row.pk, window_after=row.window_after,
                                               window_before=row.window_before)
        if page.next_token:
            row.page_token = page.next_token
            if not this_window.update(page_token=page.next_token):
                return
            continue
        cursor = page.last_updated_before or row.window_before
        window = (row.window_after, row.window_before)
        if not this_window.update(cursor=cursor, window_after=None, window_before=None, page_token="",
                                  orders_seen=row.orders_seen + outcome.orders - counted):
            return
        row.cursor, row.window_after, row.window_before, row.page_token = cursor, None, None, ""
        row.orders_seen += outcome.orders - counted
        counted = outcome.orders
        if resumed and _next_window_now(row, key, now):
            # The next window has what the creation read of this one would find (changed since its end).
            resumed = False
            if _start_window(row, settings_row, now):
                continue
            return
        _read_by_creation(store, http, config, key, settings_row, window, fulfilled_by, outcome, heartbeat)
        return
    outcome.wait = 0.0  # more pages than one poll takes: the next poll goes on at once


def _next_window_now(row: OrderSync, key: str, now: datetime) -> bool:
    """After a left-over window: whether to read the next one in this poll. Only when it spans half an interval
    or more (a few seconds are left to the beat) and Amazon's pace has a request free now: once the burst is
    spent, a poll brought back for its slot would otherwise chase the two-minute edge at every slot."""
    if row.cursor is None:
        return False
    span = (now - amazon_orders.MIN_AGE - SAFETY_MARGIN - row.cursor).total_seconds()
    return span >= interval() / 2 and pacing.headroom(key, search_rate(), amazon_orders.SEARCH_BURST) >= 1


def _start_window(row: OrderSync, settings_row: OrderSettings, now: datetime) -> bool:
    """The next window: from the cursor (or the import date) minus the overlap to two minutes ago; False when
    there is nothing to read yet."""
    start = row.cursor - overlap() if row.cursor else settings_row.import_from - overlap()
    before = now - amazon_orders.MIN_AGE - SAFETY_MARGIN
    if before <= start:
        return False
    row.window_after, row.window_before, row.page_token = start, before, ""
    row.save(update_fields=["window_after", "window_before", "page_token"])
    return True


class _Heartbeat:
    """The poll lease is renewed while the poll goes on, so it can be short: a killed poller's store is taken
    over at the next beat."""

    def __init__(self, row: OrderSync):
        self.row = row
        self.renewed = time.monotonic()

    def beat(self, force: bool = False) -> None:
        if force or time.monotonic() - self.renewed > lease().total_seconds() / 4:
            OrderSync.objects.filter(pk=self.row.pk).update(lease_until=timezone.now() + lease())
            self.renewed = time.monotonic()


def _take(store: AmazonStore, settings_row: OrderSettings, orders: Iterable[amazon_orders.Order],
          outcome: PollOutcome, heartbeat: _Heartbeat, *, again: bool = False) -> None:
    """Record each wanted order, and apply it when it changed (``again``: a second read of the window, whose
    orders count only when they brought something new)."""
    for order in orders:
        if not sync.wanted(order, settings_row):
            continue
        recorded, changed = sync.record(store, order)
        outcome.orders += 1 if changed or not again else 0
        if changed:
            if sync.apply(recorded.pk).action == "created":
                outcome.created += 1
        heartbeat.beat()


def _read_by_creation(store: AmazonStore, http: AmazonHttp, config: AmazonChannelConfig, key: str,
                      settings_row: OrderSettings, window: tuple[datetime | None, datetime | None],
                      fulfilled_by: tuple[str, ...], outcome: PollOutcome, heartbeat: _Heartbeat) -> None:
    """The finished window's range read again by creation time, while the seller's burst keeps its reserve.

    searchOrders' window goes by lastUpdatedTime: an order created in it that Amazon changed since the window's
    end (its last two minutes before the poll) is not in it, and would wait one more interval. Nothing depends
    on this read (the next window has the order): it is skipped, or stopped, when Amazon's pace has no spare
    request, so the windows never wait for it."""
    after, before = window
    authorization = store.authorization
    if after is None or before is None or authorization is None:
        return
    token: str | None = None
    for _ in range(MAX_PAGES_PER_POLL):
        if pacing.headroom(key, search_rate(), amazon_orders.SEARCH_BURST) < CREATION_READ_RESERVE + 1:
            return
        if pacing.reserve(key, search_rate(), amazon_orders.SEARCH_BURST, configurable=False, spend_burst=True,
                          max_wait=0.0) > 0:
            return
        heartbeat.beat()
        try:
            access_token = tokens.get_access_token(authorization, config, http=http)
            page = amazon_orders.search_orders(
                http, access_token, store.marketplace, last_updated_after=after, last_updated_before=before,
                fulfilled_by=fulfilled_by, page_token=token, by_creation=True,
            )
        except errors.Throttled as error:
            pacing.slow_down(key, error.retry_after)
            return
        except errors.AmazonError as error:
            logger.info("amazon_channel.orders.creation_read_failed", extra={"store": store.pk, "code": error.code})
            return
        pacing.adopt_rate_limit(key, page.rate_limit)
        _take(store, settings_row, page.orders, outcome, heartbeat, again=True)
        if not page.next_token:
            return
        token = page.next_token


def _page(store: AmazonStore, http: AmazonHttp, config: AmazonChannelConfig, key: str, row: OrderSync,
          fulfilled_by: tuple[str, ...], sleep: Callable[[float], None],
          heartbeat: _Heartbeat) -> amazon_orders.SearchPage | None:
    authorization = store.authorization
    assert authorization is not None and row.window_after is not None and row.window_before is not None
    attempt, forbidden_once = 0, False
    while True:
        attempt += 1
        heartbeat.beat()
        token = tokens.get_access_token(authorization, config, http=http)
        try:
            page = amazon_orders.search_orders(
                http, token, store.marketplace, last_updated_after=row.window_after,
                last_updated_before=row.window_before, fulfilled_by=fulfilled_by, page_token=row.page_token or None,
            )
        except errors.Throttled as error:
            pacing.slow_down(key, error.retry_after)
            if attempt >= MAX_ATTEMPTS:
                raise
            sleep(_backoff(attempt, error.retry_after))
            continue
        except errors.Forbidden:
            if forbidden_once:
                raise
            forbidden_once = True
            tokens.forget_access_token(authorization)
            continue
        except errors.AmazonRequestError:
            if row.page_token:
                # Tokens expire after 24 hours: read the window again from its start.
                row.page_token = ""
                row.save(update_fields=["page_token"])
                return None
            raise
        except errors.AmazonError as error:
            if not error.retryable or attempt >= MAX_ATTEMPTS:
                raise
            sleep(_backoff(attempt, None))
            continue
        pacing.adopt_rate_limit(key, page.rate_limit)
        return page


def _backoff(attempt: int, retry_after: float | None) -> float:
    return backoff(attempt, retry_after, base=BACKOFF_BASE, cap=BACKOFF_MAX)


def refresh_order(store: AmazonStore, amazon_order_id: str, *, http: AmazonHttp | None = None,
                  sleep: Callable[[float], None] = time.sleep) -> bool:
    """getOrder for one order (the retry mutation): record what Amazon says now. False when not possible."""
    authorization = store.authorization
    if authorization is None:
        return False
    key = get_key(authorization.selling_partner_id, authorization.region)
    wait = pacing.reserve(key, amazon_orders.GET_RATE, amazon_orders.GET_BURST, configurable=False, spend_burst=True,
                          max_wait=MAX_SLEEP)
    if wait > MAX_SLEEP:
        return False
    if wait > 0:
        sleep(wait)
    with (http or AmazonHttp(max_attempts=1)) as client:
        try:
            token = tokens.get_access_token(authorization, get_host().get_config(), http=client)
            order, limit = amazon_orders.get_order(client, token, store.marketplace, amazon_order_id)
        except errors.Throttled as error:
            pacing.slow_down(key, error.retry_after)
            return False
        except errors.AmazonError:
            return False
    pacing.adopt_rate_limit(key, limit)
    with transaction.atomic():
        sync.record(store, order)
    return True
