"""Celery tasks of the listings sync (registered through ``saleor_amazon_channel.tasks``).

``listing_sync_task`` is acknowledged late and rejected on a lost worker: a killed worker's run is
delivered again and goes on from what was committed (claims whose lease ran out are read back before
being sent again). ``scan_listings_task`` (beat, every 2 minutes) starts a run for every store selling on
Amazon, which sends only what changed; ``listing_variants_changed_task`` follows Saleor's hooks.
"""

import logging
from datetime import timedelta

from celery import Task, shared_task
from celery.exceptions import Retry
from django.db.models import QuerySet

from saleor_amazon_channel.core.host import get_host
from saleor_amazon_channel.core.waits import run_until_done
from saleor_amazon_channel.listings import sync
from saleor_amazon_channel.listings.models import Listing, ListingSettings
from saleor_amazon_channel.stores.models import AmazonStore

logger = logging.getLogger(__name__)

BEAT_ENTRY_NAME = "saleor-amazon-channel-scan-listings"
SCAN_TASK = "saleor_amazon_channel.listings.tasks.scan_listings_task"
UNEXPECTED_RETRIES = 5
UNEXPECTED_RETRY_DELAY = 60


def beat_entry() -> dict[str, object]:
    # Saleor has no stock hook: a periodic scan compares desired offers with what Amazon accepted.
    return {"task": SCAN_TASK, "schedule": timedelta(minutes=2)}


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True, max_retries=None)
def listing_sync_task(self: "Task[[int], dict[str, int | bool]]", run_id: int) -> dict[str, int | bool]:
    def step() -> sync.Outcome_:
        with get_host().allow_writer():
            return sync.execute(run_id)

    try:
        outcome = run_until_done(self, step, lambda outcome: outcome.wait)
    except Retry:
        raise
    except Exception as error:
        if self.request.retries >= UNEXPECTED_RETRIES:
            logger.exception("amazon_channel.listings.gave_up", extra={"run_id": run_id})
            with get_host().allow_writer():
                sync.fail(run_id, "internal_error", "The listings sync stopped on an unexpected error.")
            return {"finished": True}
        raise self.retry(exc=error, countdown=UNEXPECTED_RETRY_DELAY * 2**self.request.retries) from error
    return {"finished": outcome.finished, "sent": outcome.sent}


def selling_stores() -> QuerySet[AmazonStore]:
    return AmazonStore.objects.filter(
        is_active=True, channel__isnull=False, authorization__isnull=False,
        pk__in=ListingSettings.objects.values("store_id"),
    ).select_related("authorization")


@shared_task(acks_late=True, ignore_result=True)
def scan_listings_task() -> dict[str, int]:
    started = 0
    with get_host().allow_writer():
        for store in selling_stores().iterator(chunk_size=200):
            try:
                _, created = sync.start_sync(store, actor="system")
            except sync.StartRefused:
                continue
            started += created
    return {"started": started}


@shared_task(acks_late=True, ignore_result=True)
def listing_variants_changed_task(variant_ids: list[int]) -> dict[str, int]:
    """Saleor changed these variants (or their product, or their channel listings): recompute them now."""
    changed = 0
    with get_host().allow_writer():
        for store in selling_stores().iterator(chunk_size=200):
            result = sync.scan(store, variant_ids=variant_ids)
            if result.changed or Listing.objects.filter(store=store, variant__isnull=True).exclude(
                state__in=["THIRD_PARTY", "ENDED"]
            ).exists():
                changed += result.changed
                try:
                    sync.start_sync(store, actor="system")
                except sync.StartRefused:
                    continue
    return {"changed": changed}
