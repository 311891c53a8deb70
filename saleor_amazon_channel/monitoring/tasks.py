"""Celery tasks that keep Amazon stores connected: the daily check and its reminders.

Saleor's Celery app autodiscovers this module (``discover_plugins_modules``); the tasks
are ``shared_task``s, so they bind to whatever app the host runs and this package
imports none. Beat runs :func:`check_authorizations_task` daily (``apps.py`` adds the
entry to ``CELERY_BEAT_SCHEDULE``). It:

1. sends the reminders the expiry dates call for, walking the expiry index
   (:func:`reminders.scan`; no Amazon call needed);
2. claims the authorizations due for a check, batch by batch, and hands each batch
   to :func:`check_authorization_batch_task`, spread a few seconds apart;
3. each batch checks its authorizations with Amazon in a constant number of
   queries; one that hits a transient fault is retried alone, with backoff, by
   :func:`check_authorization_task`, whose last attempt counts as a failed check.

Two beat processes, a task delivered twice or a worker killed mid-scan are all
safe: claims use ``SKIP LOCKED`` and push ``next_check_at`` forward by a lease, so
a second dispatcher finds nothing to claim, and a lost batch is due again when its
lease runs out; reminders are sent exactly once (see :mod:`saleor_amazon_channel.monitoring.reminders`). Tasks are
acknowledged late, so a killed worker's task is delivered again.

Every query runs under the host's ``allow_writer()``: Saleor's writer-database rule
for tasks, and what they read decides what they write.
"""

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery import Task, shared_task
from celery.schedules import crontab
from django.db import transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from saleor_amazon_channel.authorizations.models import SellerAuthorization
from saleor_amazon_channel.core.config import AmazonChannelConfig
from saleor_amazon_channel.core.host import get_host
from saleor_amazon_channel.monitoring import health, reminders

logger = logging.getLogger(__name__)

BEAT_ENTRY_NAME = "saleor-amazon-channel-check-authorizations"
CHECK_AUTHORIZATIONS_TASK = "saleor_amazon_channel.tasks.check_authorizations_task"

BATCH_SIZE = 200
# A claimed authorization is not claimed again for this long: enough for its batch to
# run (spread included), short enough that a lost batch is checked again the same day.
LEASE = timedelta(hours=2)
BATCH_SPACING = 5  # seconds between batches
MAX_SPREAD = 30 * 60  # seconds; stays under Redis' one-hour visibility timeout
RETRY_BASE = 60  # seconds; 1, 2, 4 minutes (plus jitter) for a transient fault
RETRY_MAX = 30 * 60
MAX_RETRIES = 3


def beat_entry() -> dict[str, object]:
    # 04:15 UTC: after Saleor's own nightly jobs (00:00-03:00), before the working day.
    return {"task": CHECK_AUTHORIZATIONS_TASK, "schedule": crontab(hour=4, minute=15)}


def _now(value: str | datetime | None) -> datetime:
    """``now`` as tasks receive it: None (the real now) or an ISO string (tests travel in time)."""
    if value is None:
        return timezone.now()
    parsed = parse_datetime(value) if isinstance(value, str) else value
    if parsed is None:
        raise ValueError("now must be an ISO 8601 date and time")
    return parsed


def _usable_config(task: str) -> AmazonChannelConfig | None:
    """The plugin's configuration, or None when checking with Amazon is impossible or unwanted."""
    config = get_host().get_config()
    if not config.active:
        logger.info("amazon_channel.check.plugin_inactive", extra={"task": task})
        return None
    return config


# Task names stay those of the flat layout: beat schedules and queued messages in existing installs name them.
@shared_task(name=CHECK_AUTHORIZATIONS_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def check_authorizations_task(now: str | None = None) -> dict[str, int]:
    """The daily scan: reminders by expiry date, then the Amazon checks, dispatched in batches.

    ``now`` (tests travel in time) is handed on to the batches; without it, each batch and
    retry takes the time when it runs, up to :data:`MAX_SPREAD` after this dispatch.
    """
    given = None if now is None else _now(now).isoformat()
    at = _now(now)
    with get_host().allow_writer():
        config = _usable_config("check_authorizations")
        if config is None:
            return {"reminders": 0, "batches": 0, "authorizations": 0}
        sent = reminders.scan(at)
        if config.missing:
            # Reminders need no Amazon call; the checks need the LWA credentials.
            logger.warning("amazon_channel.check.plugin_not_configured", extra={"missing": config.missing})
            return {"reminders": sent, "batches": 0, "authorizations": 0}
        batches = claimed = 0
        after: ClaimKey | None = None
        while (claim := claim_due(at, after=after)).ids:
            countdown = min(batches * BATCH_SPACING, MAX_SPREAD)
            check_authorization_batch_task.apply_async((claim.ids, given), countdown=countdown)
            batches += 1
            claimed += len(claim.ids)
            after = claim.after
    logger.info(
        "amazon_channel.check.dispatched", extra={"reminders": sent, "batches": batches, "authorizations": claimed}
    )
    return {"reminders": sent, "batches": batches, "authorizations": claimed}


# (never checked?, next_check_at, id): a claimed row, and where the next claim starts.
ClaimKey = tuple[bool, datetime | None, int]


@dataclass(frozen=True)
class Claim:
    ids: list[int]
    # Where the next claim of the same run starts: (never checked?, next_check_at, id) of the last row.
    after: ClaimKey | None


def claim_due(now: datetime, batch_size: int | None = None, after: ClaimKey | None = None) -> Claim:
    """Take up to ``batch_size`` authorizations due for a check: never checked first, then oldest check.

    Two queries, in one transaction: rows another dispatcher holds are skipped, and the
    ones taken move out of reach for :data:`LEASE`. Each lookup is a range of the
    (next_check_at, id) index starting after the previous claim (``after``), so a run
    never walks again over the rows it claimed: the scan stays linear.
    """
    batch_size = batch_size or BATCH_SIZE
    due = SellerAuthorization.objects.select_for_update(skip_locked=True)
    rows: list[ClaimKey] = []
    with transaction.atomic():
        if after is None or after[0]:
            never_checked = due.filter(next_check_at__isnull=True)
            if after is not None:
                never_checked = never_checked.filter(pk__gt=after[2])
            rows = [(True, None, pk) for pk in never_checked.order_by("pk").values_list("pk", flat=True)[:batch_size]]
        if len(rows) < batch_size:
            checked = due.filter(next_check_at__lte=now)
            if after is not None and not after[0]:
                checked = checked.filter(
                    RawSQL("(next_check_at, id) > (%s, %s)", (after[1], after[2]), output_field=BooleanField())
                )
            rows += [
                (False, next_check_at, pk)
                for pk, next_check_at in checked.order_by("next_check_at", "pk").values_list("pk", "next_check_at")[
                    : batch_size - len(rows)
                ]
            ]
        if rows:
            SellerAuthorization.objects.filter(pk__in=[pk for _, _, pk in rows]).update(next_check_at=now + LEASE)
    return Claim([pk for _, _, pk in rows], rows[-1] if rows else after)


@shared_task(
    name="saleor_amazon_channel.tasks.check_authorization_batch_task",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def check_authorization_batch_task(authorization_ids: list[int], now: str | None = None) -> dict[str, int]:
    """Check a batch with Amazon; authorizations that met a transient fault are retried one by one.

    Dated when the work is done (``now`` only when a test gives it, handed on to the retries)."""
    at = None if now is None else _now(now)
    with get_host().allow_writer():
        config = _usable_config("check_authorization_batch")
        if config is None:
            return {"checked": 0, "retrying": 0}
        results = health.check_batch(authorization_ids, config, now=at)
    retrying = [result for result in results if result.retryable]
    for result in retrying:
        check_authorization_task.apply_async(
            (result.authorization_id, None if at is None else at.isoformat()),
            countdown=retry_countdown(1, result.retry_after),
        )
    return {"checked": len(results), "retrying": len(retrying)}


@shared_task(
    name="saleor_amazon_channel.tasks.check_authorization_task",
    bind=True,
    max_retries=MAX_RETRIES,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def check_authorization_task(
    self: "Task[[int, str | None], str | None]", authorization_id: int, now: str | None = None
) -> str | None:
    """Check one authorization again after a transient fault, with backoff.

    Only the last attempt counts as a failed check: a fault that passes within the
    retries leaves no trace, and it takes FAILURES_BEFORE_ERROR failed days to show
    an error.
    """
    at = None if now is None else _now(now)  # None: dated when the check is done
    final = self.request.retries >= MAX_RETRIES  # the decorator's max_retries
    with get_host().allow_writer():
        config = _usable_config("check_authorization")
        authorization = SellerAuthorization.objects.filter(pk=authorization_id).first()
        if config is None or authorization is None:
            return None
        result = health.check_authorization(authorization, config, now=at, count_failure=final)
    if result.retryable and not final:
        raise self.retry(countdown=retry_countdown(self.request.retries + 2, result.retry_after))
    return result.status.value


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_reminders_task(authorization_ids: list[int]) -> int:
    """Send the reminders these authorizations have due (a check by hand queues it after its commit:
    no SMTP inside a request or its transaction). Exactly once, as the daily scan's."""
    with get_host().allow_writer():
        authorizations = list(SellerAuthorization.objects.filter(pk__in=list(authorization_ids)))
        return len(reminders.deliver_due(authorizations))


def retry_countdown(attempt: int, retry_after: float | None = None) -> float:
    """Exponential backoff with jitter for the ``attempt``-th retry (1-based); Amazon's Retry-After wins."""
    delay: float = min(RETRY_BASE * 2 ** (attempt - 1), RETRY_MAX)
    delay += random.uniform(0, delay / 4)
    if retry_after:
        delay = max(delay, float(retry_after))
    return delay
