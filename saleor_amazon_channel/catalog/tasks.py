"""Celery tasks of the catalog match (registered through ``saleor_amazon_channel.tasks``), and the run's path.

A run, from the task to the database: :func:`catalog_match_task` → :func:`execute` →
``planning.plan`` (the channel into batches) → per batch ``planning.still_runnable`` (the
connection, a cancel) → ``storage.claim`` → ``lookup.Lookup.results`` (Amazon) →
``storage.commit`` (its cleaned results) → ``storage.finish_if_complete``.

The task is short: it works for a slice of :data:`SLICE_SECONDS` at most, and a wait
longer than a few seconds (another worker's lease, Amazon's pace or Retry-After, a
pause while Amazon is unavailable) ends it with a new message for later rather than a
sleep in the worker's slot. Every countdown stays under half the broker's visibility
timeout, so a message held under ``acks_late`` is never delivered twice for waiting.
It runs on ``AMAZON_CHANNEL_CATALOG_QUEUE`` (default: the host's default queue).

Three budgets, carried by the message: waiting for another worker costs nothing;
Amazon or LWA being unavailable costs a pause (:data:`MAX_PAUSES`, then the run fails
``amazon_unavailable``, results kept); an unexpected error (the database went away, a
bug) costs a failure (:data:`UNEXPECTED_RETRIES`, then ``internal_error``). A slice that
moved the run on resets both. A killed worker's message is delivered again (acks_late,
reject_on_worker_lost) and goes on from the last committed batch.
Beat runs ``refresh_catalog_matches_task`` daily.
"""

import logging
import time
from collections.abc import Callable

from celery import shared_task
from celery.schedules import crontab
from django.db import transaction

from saleor_amazon_channel.amazon.http import AmazonHttp
from saleor_amazon_channel.catalog import config, planning, storage
from saleor_amazon_channel.catalog.lookup import ComeBack, Lookup, Paused
from saleor_amazon_channel.catalog.models import CatalogMatchRun, RunStatus
from saleor_amazon_channel.catalog.planning import RunFailed
from saleor_amazon_channel.catalog.storage import Outcome
from saleor_amazon_channel.core.host import get_host
from saleor_amazon_channel.outcomes import Outcome as Vocabulary
from saleor_amazon_channel.stores.models import AmazonStore

logger = logging.getLogger(__name__)

BEAT_ENTRY_NAME = "saleor-amazon-channel-refresh-catalog-matches"
REFRESH_TASK = "saleor_amazon_channel.catalog.tasks.refresh_catalog_matches_task"
TASK = "saleor_amazon_channel.catalog.tasks.catalog_match_task"


def beat_entry() -> dict[str, object]:
    # 05:15 UTC: an hour after the authorization check, so revoked stores are known by then.
    return {"task": REFRESH_TASK, "schedule": crontab(hour=5, minute=15)}


SLICE_SECONDS = 60.0  # work per task before it hands over to a new message
UNEXPECTED_RETRIES = 5
UNEXPECTED_RETRY_DELAY = 60  # seconds, doubled each time (capped by max_countdown)
MAX_PAUSES = 8  # Amazon unavailable: 30 s doubling to the cap, about half an hour in all
PAUSE_DELAY = 30
MAX_COUNTDOWN = 300.0  # seconds; and at most half the broker's visibility timeout
DEFAULT_VISIBILITY_TIMEOUT = 3600.0  # Celery's Redis transport


def max_countdown() -> float:
    options = catalog_match_task.app.conf.broker_transport_options or {}
    visibility = float(options.get("visibility_timeout") or DEFAULT_VISIBILITY_TIMEOUT)
    return max(1.0, min(MAX_COUNTDOWN, visibility / 2))


def _send(run_id: int, countdown: float = 0.0, failures: int = 0, pauses: int = 0) -> None:
    countdown = min(max(0.0, countdown), max_countdown())
    queue = config.queue()
    kwargs = {"failures": failures, "pauses": pauses} if failures or pauses else {}
    if queue:
        catalog_match_task.apply_async((run_id,), kwargs, countdown=countdown, queue=queue)
    else:
        catalog_match_task.apply_async((run_id,), kwargs, countdown=countdown)


def start_run(store: AmazonStore, actor: str = "") -> tuple[CatalogMatchRun | None, bool]:
    """The store's new run, queued once the transaction commits; or the one already active (None when
    a concurrent start's run already finished). Raises ``planning.StartRefused``."""
    started = planning.create_run(store, actor)
    if started.queue and started.run is not None:
        run_id = started.run.pk
        transaction.on_commit(lambda: _send(run_id))
    return started.run, started.created


def execute(
    run_id: int,
    *,
    sleep: Callable[[float], None] = time.sleep,
    http: AmazonHttp | None = None,
    slice_seconds: float | None = None,
) -> Outcome:
    """Do a slice of what is left of a run in this worker: plan it if needed, then batches while any is free."""
    run = CatalogMatchRun.objects.select_related("store", "store__authorization").filter(pk=run_id).first()
    if run is None or not run.is_active:
        return Outcome(finished=True)
    deadline = time.monotonic() + (min(SLICE_SECONDS, max_countdown()) if slice_seconds is None else slice_seconds)
    config_ = get_host().get_config()
    store = run.store
    outcome = Outcome()
    try:
        if store.channel_id is None or store.authorization_id is None:
            raise RunFailed("not_connected", "The store lost its channel or its Amazon connection during the run.")
        if not config_.active or not config_.is_complete:
            raise RunFailed("plugin_not_configured", "The plugin's Amazon application is not configured.")
        if run.status == RunStatus.PENDING:
            try:
                planning.plan(run_id)
            except planning.PlanBusy:
                return Outcome(wait=planning.PLANNER_LEASE.total_seconds())
        own_http = http is None
        http = http or AmazonHttp(max_attempts=1)
        try:
            lookup = Lookup(store, config_, http, sleep=sleep)
            size = storage.claim_size()
            while True:
                # Every batch asks again: a disconnect, a revocation, a cancel or a deletion stops the run here.
                if planning.still_runnable(run_id, store.authorization_id) is None:
                    return Outcome(finished=True, batches=outcome.batches)
                if outcome.batches and time.monotonic() >= deadline:
                    outcome.more = True
                    return outcome
                batches = storage.claim(run_id, size=size)
                if not batches:
                    break
                for index, batch in enumerate(batches):
                    calls_before = lookup.calls
                    try:
                        results = lookup.results(batch.items)
                    except (ComeBack, Paused) as stop:
                        storage.release(batches[index:])
                        if isinstance(stop, ComeBack):
                            outcome.wait = stop.seconds
                        else:
                            outcome.paused = stop.code
                        return outcome
                    storage.commit(batch, store.pk, results, lookup.calls - calls_before)
                    outcome.batches += 1
        finally:
            if own_http:
                http.close()
    except RunFailed as failure:
        storage.fail(run_id, failure.code, failure.message)
        return Outcome(finished=True, batches=outcome.batches)
    done = storage.finish_if_complete(run_id)
    done.batches = outcome.batches
    return done


@shared_task(name=TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def catalog_match_task(run_id: int, failures: int = 0, pauses: int = 0) -> dict[str, int | bool]:
    try:
        with get_host().allow_writer():
            outcome = execute(run_id)
    except Exception:
        # The database went away, a bug: try again later from the last committed batch; in the end,
        # fail the run so the store can start another.
        if failures >= UNEXPECTED_RETRIES:
            logger.exception("amazon_channel.catalog.gave_up", extra={"run_id": run_id})
            with get_host().allow_writer():
                storage.fail(run_id, "internal_error", "The catalog match stopped on an unexpected error.")
            return {"batches": 0, "finished": True}
        logger.warning("amazon_channel.catalog.retrying", extra={"run_id": run_id, "failures": failures + 1},
                       exc_info=True)
        _send(run_id, UNEXPECTED_RETRY_DELAY * 2**failures, failures + 1, pauses)
        return {"batches": 0, "finished": False}
    if outcome.batches:
        failures = pauses = 0  # the run moved on: the budgets are for faults in a row
    if outcome.paused is not None:
        if pauses >= MAX_PAUSES:
            with get_host().allow_writer():
                storage.fail(run_id, Vocabulary.AMAZON_UNAVAILABLE.value.lower(), Vocabulary.AMAZON_UNAVAILABLE.message)
            return {"batches": outcome.batches, "finished": True}
        logger.info("amazon_channel.catalog.paused", extra={"run_id": run_id, "code": outcome.paused})
        _send(run_id, PAUSE_DELAY * 2**pauses, failures, pauses + 1)
    elif outcome.wait is not None:
        _send(run_id, outcome.wait, failures, pauses)  # another worker's lease, Amazon's pace: no budget spent
    elif outcome.more:
        _send(run_id, 0, failures, pauses)
    return {"batches": outcome.batches, "finished": outcome.finished}


@shared_task(acks_late=True, ignore_result=True)
def refresh_catalog_matches_task() -> dict[str, int]:
    """Start a run for every active, connected store with a channel (a running one is left alone)."""
    started = skipped = 0
    with get_host().allow_writer():
        stores = AmazonStore.objects.filter(
            is_active=True, channel__isnull=False, authorization__isnull=False
        ).select_related("authorization")
        for store in stores.iterator(chunk_size=200):
            try:
                _, created = start_run(store, actor="system")
            except planning.StartRefused:
                skipped += 1
                continue
            started += created
    logger.info("amazon_channel.catalog.refresh", extra={"started": started, "skipped": skipped})
    return {"started": started, "skipped": skipped}
