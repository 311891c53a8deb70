"""Celery tasks of the catalog match (registered through ``saleor_amazon_channel.tasks``).

``catalog_match_task`` is acknowledged late and rejected on a lost worker: a killed
worker's run is delivered again and goes on from its last committed batch. While
batches of another worker are leased, it comes back after the lease instead of
leaving the run unfinished. Beat runs ``refresh_catalog_matches_task`` daily.
"""

import logging

from celery import shared_task
from celery.schedules import crontab

from saleor_amazon_channel.catalog import runs
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


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True, max_retries=None)
def catalog_match_task(self, run_id: int) -> dict:
    try:
        with get_host().allow_writer():
            outcome = runs.execute(run_id)
    except Exception as error:
        # The database went away, a bug: try again later from the last committed batch; in the end,
        # fail the run so the store can start another.
        if self.request.retries >= UNEXPECTED_RETRIES:
            logger.exception("amazon_channel.catalog.gave_up", extra={"run_id": run_id})
            with get_host().allow_writer():
                runs.fail(run_id, "internal_error", "The catalog match stopped on an unexpected error.")
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
                _, created = runs.start_run(store, actor="system")
            except runs.StartRefused:
                skipped += 1
                continue
            started += created
    logger.info("amazon_channel.catalog.refresh", extra={"started": started, "skipped": skipped})
    return {"started": started, "skipped": skipped}
