"""The consent's housekeeping: lapsed consents go, daily (registered through ``saleor_amazon_channel.tasks``)."""

import logging

from celery import shared_task
from celery.schedules import crontab

from saleor_amazon_channel.consent import connections
from saleor_amazon_channel.core.host import get_host

logger = logging.getLogger(__name__)

BEAT_ENTRY_NAME = "saleor-amazon-channel-purge-consents"
PURGE_TASK = "saleor_amazon_channel.consent.tasks.purge_stale_consents_task"


def beat_entry() -> dict[str, object]:
    # 04:05 UTC, whatever the plugin's configuration: a consent row is worth nothing once it lapsed.
    return {"task": PURGE_TASK, "schedule": crontab(hour=4, minute=5)}


@shared_task(name=PURGE_TASK, acks_late=True, ignore_result=True)
def purge_stale_consents_task() -> int:
    with get_host().allow_writer():
        purged = connections.purge_stale_pending()
    if purged:
        logger.info("amazon_channel.consent.pending_purged", extra={"count": purged})
    return purged
