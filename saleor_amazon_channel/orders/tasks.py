"""Celery tasks of the orders (registered through ``saleor_amazon_channel.tasks``).

Beat runs ``poll_all_orders_task`` every ``AMAZON_CHANNEL_ORDERS_POLL_INTERVAL`` seconds (default
300): it queues one ``poll_orders_task`` per active, connected store with a channel; the store's
lease keeps one poller per store. The poll tasks are acknowledged late and rejected on a lost
worker: a killed poll is delivered again, comes back when the dead poller's lease (a heartbeat)
runs out, and goes on from its committed page. The same beat entry
runs the shipment sweep.
"""

import logging
from datetime import timedelta

from celery import Task, shared_task

from saleor_amazon_channel.core.host import get_host
from saleor_amazon_channel.core.waits import run_until_done
from saleor_amazon_channel.orders import poller, shipments
from saleor_amazon_channel.stores.models import AmazonStore

logger = logging.getLogger(__name__)

BEAT_ENTRY_NAME = "saleor-amazon-channel-poll-orders"
POLL_ALL_TASK = "saleor_amazon_channel.orders.tasks.poll_all_orders_task"


def beat_entry() -> dict[str, object]:
    return {"task": POLL_ALL_TASK, "schedule": timedelta(seconds=poller.interval())}


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True, max_retries=None)
def poll_orders_task(self: "Task[[int], dict[str, int]]", store_id: int) -> dict[str, int]:
    def step() -> poller.PollOutcome:
        with get_host().allow_writer():
            return poller.poll(store_id)

    outcome = run_until_done(self, step, lambda outcome: outcome.wait)
    if outcome.held_for is not None and (self.request.delivery_info or {}).get("redelivered"):
        # Delivered again after a worker was lost: the lease found is most likely the dead poller's. Come back
        # when it runs out rather than leaving its window to the next beat.
        raise self.retry(countdown=outcome.held_for + 1)
    return {"polled": outcome.polled, "pages": outcome.pages, "orders": outcome.orders, "created": outcome.created}


@shared_task(acks_late=True, ignore_result=True)
def poll_all_orders_task() -> dict[str, int]:
    queued = 0
    with get_host().allow_writer():
        ids = list(AmazonStore.objects.filter(is_active=True, channel__isnull=False, authorization__isnull=False)
                   .values_list("pk", flat=True))
        for store_id in ids:
            poll_orders_task.delay(store_id)
            queued += 1
        swept = shipments.sweep()
    return {"queued": queued, "shipments": swept}


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True, max_retries=None)
def confirm_shipment_task(self: "Task[[int], None]", shipment_id: int) -> None:
    def step() -> float | None:
        with get_host().allow_writer():
            return shipments.send(shipment_id)

    run_until_done(self, step, lambda wait: wait)
