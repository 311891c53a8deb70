"""A token bucket per seller and operation, shared by every worker through the database.

SP-API applies usage plans per application and selling partner; several Celery
workers matching stores of one seller must share one bucket. The bucket is a row
(:class:`RateBucket`) holding GCRA's theoretical arrival time (TAT): taking a
token locks the row, reserves the next slot and returns how long to wait for it,
so waiters queue in order instead of polling. The database rather than the cache:
Saleor's cache may be per-process (locmem), the database is always shared.

We pace a little under the published rate (``SAFETY``) and never spend Amazon's
burst: requests leave one interval apart from the first, so Amazon's bucket keeps
its spare token as a margin. Our clock and Amazon's are not the same, and the time
between taking a slot and the request reaching Amazon varies (another worker, a
slow connection): a request that arrives early would otherwise be refused. The
burst is worth one request (half a second) per run; the margin is worth every 429
it avoids.
"""

import time
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

from saleor_amazon_channel.catalog import config
from saleor_amazon_channel.catalog.models import RateBucket

# searchCatalogItems' usage plan (catalogItems_2022-04-01.json): 2 requests per second, burst 2.
CATALOG_RATE = config.DEFAULT_RATE
CATALOG_BURST = 2
SAFETY = 0.99


def catalog_key(selling_partner_id: str, region: str) -> str:
    return f"catalog-search:{region}:{selling_partner_id}"


def reserve(key: str, rate: float = CATALOG_RATE, burst: int = CATALOG_BURST, now: float | None = None,
            configurable: bool = True, *, spend_burst: bool = False, max_wait: float | None = None) -> float:
    """Reserve the next request slot of ``key``; return the seconds to wait before sending.

    On PostgreSQL outside a transaction, one UPDATE ... RETURNING; otherwise (a first use,
    SQLite, inside a transaction) a locked read and an update. The row lock orders workers.
    ``configurable=False``: another operation's plan, which ``AMAZON_CHANNEL_CATALOG_RATE`` does not change.
    ``spend_burst``: up to ``burst - 1`` requests may go ahead of the pace (GCRA's tolerance),
    for operations whose sustained rate is a request minutes apart (searchOrders).
    ``max_wait``: a caller that will not wait longer (it hands its work back and comes back when told) takes
    no slot when the wait is longer; a slot taken and dropped would push everyone's next one out by as much.
    """
    if configurable:
        rate = configured_rate(rate)
    now = time.time() if now is None else now
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # One UPDATE: the row lock lasts as long as it. A lost slot after a database crash is
        # harmless, so the commit does not wait for the disk.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            ahead = float(burst - 1) if spend_burst and burst > 1 else 0.0
            cursor.execute(
                f'UPDATE "{RateBucket._meta.db_table}" SET tat = GREATEST(tat, %s) + 1.0 / (LEAST(%s, rate) * %s) '
                "WHERE key = %s AND (%s::float8 IS NULL OR "
                "GREATEST(tat, %s) - %s - %s / (LEAST(%s, rate) * %s) <= %s::float8) "
                "RETURNING tat - 1.0 / (LEAST(%s, rate) * %s), LEAST(%s, rate)",
                [now, rate, SAFETY, key, max_wait, now, now, ahead, rate, SAFETY, max_wait, rate, SAFETY, rate],
            )
            row = cursor.fetchone()
        if row is not None:
            return max(0.0, float(row[0]) - now - _ahead(spend_burst, burst, float(row[1])))
        # No bucket yet, or its next slot is further than max_wait: the locked path below tells which.
    with transaction.atomic():
        bucket = RateBucket.objects.select_for_update().filter(key=key).first()
        if bucket is None:
            bucket, _ = RateBucket.objects.get_or_create(key=key, defaults={"tat": 0.0, "rate": rate, "burst": burst})
            bucket = RateBucket.objects.select_for_update().get(pk=bucket.pk)
        interval = 1.0 / (min(rate, bucket.rate) * SAFETY)
        tat = max(bucket.tat, now)
        wait = max(0.0, tat - now - _ahead(spend_burst, burst, min(rate, bucket.rate)))
        if max_wait is None or wait <= max_wait:
            RateBucket.objects.filter(pk=bucket.pk).update(tat=tat + interval)
    return wait


def headroom(key: str, rate: float, burst: int, now: float | None = None) -> float:
    """How many requests of ``key`` could leave now ahead of the pace (``spend_burst``): ``burst`` for a
    bucket at rest, 0 once its burst is spent. A read: nothing is reserved."""
    bucket = RateBucket.objects.filter(key=key).only("tat", "rate").first()
    if bucket is None:
        return float(burst)
    now = time.time() if now is None else now
    return max(0.0, burst - max(0.0, bucket.tat - now) * min(rate, bucket.rate) * SAFETY)


def _ahead(spend_burst: bool, burst: int, rate: float) -> float:
    """Seconds a request may go ahead of the pace: GCRA's tolerance for ``burst - 1`` requests."""
    return (burst - 1) / (rate * SAFETY) if spend_burst and burst > 1 else 0.0


def configured_rate(default: float = CATALOG_RATE) -> float:
    """``AMAZON_CHANNEL_CATALOG_RATE``: a seller whose usage plan Amazon raised may raise it (requests/s).

    Raises ``ImproperlyConfigured`` for a value that is not a positive number (also a system check)."""
    return config.rate(default)


def acquire(key: str, sleep: Callable[[float], None] = time.sleep, **kwargs: Any) -> float:
    """Wait for a slot of ``key``; returns the seconds waited."""
    wait = reserve(key, **kwargs)
    if wait > 0:
        sleep(wait)
    return wait


def slow_down(key: str, retry_after: float | None, now: float | None = None) -> None:
    """Amazon said 429: nobody sends before ``retry_after`` (or one interval) from now."""
    now = time.time() if now is None else now
    with transaction.atomic():
        bucket = RateBucket.objects.select_for_update().filter(key=key).first()
        if bucket is None:
            return
        pause = retry_after if retry_after is not None else 1.0 / bucket.rate
        RateBucket.objects.filter(pk=bucket.pk).update(tat=max(bucket.tat, now + pause))


def adopt_rate_limit(key: str, header: str | None) -> None:
    """``x-amzn-RateLimit-Limit``: Amazon's rate for this seller; adopt it when it differs."""
    try:
        rate = float(header) if header else None
    except ValueError:
        rate = None
    if rate is None or not 0 < rate < 1000:
        return
    RateBucket.objects.filter(key=key).exclude(rate=rate).update(rate=rate)


def schedule(plans: dict[str, float], now: float | None = None) -> dict[str, tuple[float, float]]:
    """For each bucket key (with its plan's rate): (seconds until its next free slot, the rate it paces at: the
    plan's, or the lower one Amazon's x-amzn-RateLimit-Limit set, with our safety margin). One query; reserves
    nothing."""
    now = time.time() if now is None else now
    found = {bucket.key: bucket for bucket in RateBucket.objects.filter(key__in=list(plans))}
    result = {}
    for key, rate in plans.items():
        bucket = found.get(key)
        if bucket is None:
            result[key] = (0.0, rate * SAFETY)
        else:
            result[key] = (max(0.0, bucket.tat - now), min(rate, bucket.rate) * SAFETY)
    return result
