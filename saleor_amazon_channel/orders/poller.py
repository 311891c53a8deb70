"""Polling a store's Amazon orders (searchOrders, v2026-01-01).

One poller per store at a time: a poll takes the store's :class:`OrderSync` lease with one
conditional UPDATE (a killed poller's lease runs out). A window goes from the stored cursor
minus an overlap to at least two minutes ago (Amazon's rule); its bounds and the next page's
token are committed after each page, so a killed poller's successor goes on with the same
window (a repeated page is harmless: recording is idempotent). When the last page is done,
the cursor becomes the ``lastUpdatedBefore`` Amazon echoed.

Pacing: searchOrders is 0.0056 requests/s with a burst of 20 per seller, shared by every
worker through the catalog's token bucket (``catalog.pacing``, burst spent for this one);
a slot more than ``MAX_SLEEP`` seconds away ends the poll and the task comes back then.
429s slow the bucket down; ``x-amzn-RateLimit-Limit`` sets its rate.
"""

import logging
import time
from collections.abc import Callable
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
from saleor_amazon_channel.orders.models import OrderSync
from saleor_amazon_channel.stores.models import AmazonStore

logger = logging.getLogger(__name__)

DEFAULT_INTERVAL = 300  # seconds: Adobe's "every 5 minutes"
DEFAULT_OVERLAP = 300  # seconds re-read before the cursor: updates Amazon makes visible late
DEFAULT_LEASE = 600
MAX_SLEEP = 30.0  # seconds a poller waits for a slot before handing the store back to the queue
MAX_ATTEMPTS = 5
BACKOFF_BASE = 1.0
BACKOFF_MAX = 30.0
MAX_PAGES_PER_POLL = 50
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


def pollable(store: AmazonStore) -> bool:
    return bool(store.is_active and store.channel_id and store.authorization_id)


def poll(store_id: int, *, http: AmazonHttp | None = None, sleep: Callable[[float], None] = time.sleep,
         now: datetime | None = None) -> PollOutcome:
    store = AmazonStore.objects.select_related("authorization").filter(pk=store_id).first()
    if store is None or not pollable(store):
        return PollOutcome()
    now = now or timezone.now()
    if not claim(store, now):
        return PollOutcome()
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
    if row.window_before is None:
        start = row.cursor - overlap() if row.cursor else settings_row.import_from - overlap()
        before = now - amazon_orders.MIN_AGE - SAFETY_MARGIN
        if before <= start:
            return
        row.window_after, row.window_before, row.page_token = start, before, ""
        row.save(update_fields=["window_after", "window_before", "page_token"])
    assert row.window_after is not None and row.window_before is not None
    authorization = store.authorization
    assert authorization is not None
    config = get_host().get_config()
    key = search_key(authorization.selling_partner_id, authorization.region)
    fulfilled_by = ("MERCHANT", "AMAZON") if settings_row.import_fba else ("MERCHANT",)
    for _ in range(MAX_PAGES_PER_POLL):
        wait = pacing.reserve(key, search_rate(), amazon_orders.SEARCH_BURST, configurable=False, spend_burst=True,
                              max_wait=MAX_SLEEP)
        if wait > MAX_SLEEP:
            outcome.wait = wait
            return
        if wait > 0:
            sleep(wait)
        page = _page(store, http, config, key, row, fulfilled_by, sleep)
        if page is None:  # the pagination token expired: the window starts over
            continue
        outcome.pages += 1
        for order in page.orders:
            if not sync.wanted(order, settings_row):
                continue
            recorded, changed = sync.record(store, order)
            outcome.orders += 1
            if changed:
                if sync.apply(recorded.pk).action == "created":
                    outcome.created += 1
        if page.next_token:
            row.page_token = page.next_token
            row.lease_until = timezone.now() + lease()  # still alive
            row.save(update_fields=["page_token", "lease_until"])
            continue
        cursor = page.last_updated_before or row.window_before
        OrderSync.objects.filter(pk=row.pk).update(
            cursor=cursor, window_after=None, window_before=None, page_token="",
            orders_seen=row.orders_seen + outcome.orders,
        )
        return
    outcome.wait = 0.0  # more pages than one poll takes: the next poll goes on at once


def _page(store: AmazonStore, http: AmazonHttp, config: AmazonChannelConfig, key: str, row: OrderSync,
          fulfilled_by: tuple[str, ...], sleep: Callable[[float], None]) -> amazon_orders.SearchPage | None:
    authorization = store.authorization
    assert authorization is not None and row.window_after is not None and row.window_before is not None
    attempt, forbidden_once = 0, False
    while True:
        attempt += 1
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
