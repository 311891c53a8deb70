"""Celery tasks of the catalog match (registered through ``saleor_amazon_channel.tasks``), and the run's path.

A run, from the task to the database: :func:`catalog_match_task` → :func:`execute` →
``planning.plan`` (the channel into batches) → ``storage.claim`` (a batch) →
``lookup.Lookup.results`` (Amazon) → ``storage.commit`` (its results) → ``storage.finish_if_complete``.

``catalog_match_task`` is acknowledged late and rejected on a lost worker: a killed
worker's run is delivered again and goes on from its last committed batch. While
batches of another worker are leased, it comes back after the lease instead of
leaving the run unfinished. Beat runs ``refresh_catalog_matches_task`` daily.
"""

import logging
import time

from celery import shared_task
from celery.schedules import crontab
from django.db import transaction

from saleor_amazon_channel.amazon.http import AmazonHttp
from saleor_amazon_channel.catalog import planning, storage
from saleor_amazon_channel.catalog.lookup import Lookup, RunFailed
from saleor_amazon_channel.catalog.models import CatalogMatchRun, RunStatus
from saleor_amazon_channel.catalog.storage import Outcome
from saleor_amazon_channel.core.host import get_host
from saleor_amazon_channel.stores.models import AmazonStore

logger = logging.getLogger(__name__)

BEAT_ENTRY_NAME = "saleor-amazon-channel-refresh-catalog-matches"
REFRESH_TASK = "saleor_amazon_channel.catalog.tasks.refresh_catalog_matches_task"


def beat_entry() -> dict:
    # 05:15 UTC: an hour after the authorization check, so revoked stores are known by then.
    return {"task": REFRESH_TASK, "schedule": crontab(hour=5, minute=15)}


UNEXPECTED_RETRIES = 5
UNEXPECTED_RETRY_DELAY = 60  # seconds, doubled each time


def start_run(store: AmazonStore, actor: str = "") -> tuple[CatalogMatchRun | None, bool]:
    """The store's new run, queued once the transaction commits; or the one already active (None when
    a concurrent start's run already finished). Raises ``planning.StartRefused``."""
    started = planning.create_run(store, actor)
    if started.queue and started.run is not None:
        _queue(started.run.pk)
    return started.run, started.created


def _queue(run_id: int) -> None:
    transaction.on_commit(lambda: catalog_match_task.delay(run_id))


def execute(run_id: int, *, sleep=time.sleep, http: AmazonHttp | None = None) -> Outcome:
    """Do what is left of a run in this worker: plan it if needed, then batches until none is free."""
    run = CatalogMatchRun.objects.select_related("store", "store__authorization").filter(pk=run_id).first()
    if run is None or not run.is_active:
        return Outcome(finished=True)
    config = get_host().get_config()
    store = run.store
    try:
        if store.channel_id is None or store.authorization_id is None:
            raise RunFailed("not_connected", "The store lost its channel or its Amazon connection during the run.")
        if not config.active or not config.is_complete:
            raise RunFailed("plugin_not_configured", "The plugin's Amazon application is not configured.")
        if run.status == RunStatus.PENDING:
            try:
                planning.plan(run_id)
            except planning.PlanBusy:
                return Outcome(wait=planning.PLANNER_LEASE.total_seconds())
        own_http = http is None
        http = http or AmazonHttp(max_attempts=1)
        outcome = Outcome()
        try:
            lookup = Lookup(store, config, http, sleep=sleep)
            size = storage.claim_size()
            while batches := storage.claim(run_id, size=size):
                for batch in batches:
                    calls_before = lookup.calls
                    results = lookup.results(batch.items)
                    storage.commit(batch, store.pk, results, lookup.calls - calls_before)
                    outcome.batches += 1
        finally:
            if own_http:
                http.close()
    except RunFailed as failure:
        storage.fail(run_id, failure.code, failure.message)
        return Outcome(finished=True)
    done = storage.finish_if_complete(run_id)
    done.batches = outcome.batches
    return done


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True, max_retries=None)
def catalog_match_task(self, run_id: int) -> dict:
    try:
        with get_host().allow_writer():
            outcome = execute(run_id)
    except Exception as error:
        # The database went away, a bug: try again later from the last committed batch; in the end,
        # fail the run so the store can start another.
        if self.request.retries >= UNEXPECTED_RETRIES:
            logger.exception("amazon_channel.catalog.gave_up", extra={"run_id": run_id})
            with get_host().allow_writer():
                storage.fail(run_id, "internal_error", "The catalog match stopped on an unexpected error.")
            return {"batches": 0, "finished": True}
        raise self.retry(exc=error, countdown=UNEXPECTED_RETRY_DELAY * 2**self.request.retries) from error
    if outcome.wait is not None:
        raise self.retry(countdown=outcome.wait)
    return {"batches": outcome.batches, "finished": outcome.finished}


@shared_task(acks_late=True, ignore_result=True)
def refresh_catalog_matches_task() -> dict:
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
