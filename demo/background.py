"""The demo has no Celery broker: tasks run eagerly. A catalog match would then run inside the
request that starts it; in a background thread instead, the dashboard can watch it progress.
The task hands over to a new message of its own (``apply_async`` with a countdown) between slices
and while it waits: each becomes a thread too, started after its countdown."""

import logging
import threading
import time


def run_catalog_matches_in_background():
    from django.conf import settings

    from saleor_amazon_channel.catalog.tasks import catalog_match_task

    if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return

    def apply_async(args=(), kwargs=None, countdown=None, **options):
        def run():
            time.sleep(countdown or 0)
            catalog_match_task.apply(args=tuple(args or ()), kwargs=dict(kwargs or {}))

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread

    def delay(*args, **kwargs):
        return apply_async(args, kwargs)

    catalog_match_task.apply_async = apply_async
    catalog_match_task.delay = delay


def run_listing_syncs_in_background():
    """The same for the listings sync: each queued run goes on in a thread of its own, calling the
    engine again after each wait it asks for (pacing, Amazon's live delay) until the run is over."""
    from django.conf import settings
    from django.db import connection

    from saleor_amazon_channel.core.host import get_host
    from saleor_amazon_channel.listings import sync
    from saleor_amazon_channel.listings.tasks import listing_sync_task

    if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return

    def apply_async(args=(), kwargs=None, countdown=None, **options):
        run_id = (list(args) or [dict(kwargs or {}).get("run_id")])[0]

        def run():
            time.sleep(countdown or 0)
            try:
                for _ in range(10_000):
                    with get_host().allow_writer():
                        outcome = sync.execute(run_id)
                    if outcome.wait is None:
                        return
                    time.sleep(min(max(outcome.wait, 0.05), 5))
            finally:
                connection.close()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread

    def delay(*args, **kwargs):
        return apply_async(args, kwargs)

    listing_sync_task.apply_async = apply_async
    listing_sync_task.delay = delay


def run_order_polls_in_background(interval: float):
    """Celery beat's part for the orders: each connected store is polled when its next poll is due
    (every ``interval`` seconds, the poller's own pacing of Amazon's searchOrders plan applies), and
    the shipment sweep runs. A queued shipment confirmation is sent in a thread of its own, again
    after each wait it asks for."""
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from saleor_amazon_channel.core.host import get_host
    from saleor_amazon_channel.orders import poller, shipments
    from saleor_amazon_channel.orders.models import OrderSync
    from saleor_amazon_channel.orders.tasks import confirm_shipment_task
    from saleor_amazon_channel.stores.models import AmazonStore

    if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return
    settings.AMAZON_CHANNEL_ORDERS_POLL_INTERVAL = interval

    def send_shipment(args=(), kwargs=None, countdown=None, **options):
        shipment_id = (list(args) or [dict(kwargs or {}).get("shipment_id")])[0]

        def run():
            time.sleep(countdown or 0)
            try:
                for _ in range(100):
                    with get_host().allow_writer():
                        wait = shipments.send(shipment_id)
                    if wait is None:
                        return
                    time.sleep(min(max(wait, 0.05), 30))
            finally:
                connection.close()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread

    confirm_shipment_task.apply_async = send_shipment
    confirm_shipment_task.delay = lambda *args, **kwargs: send_shipment(args, kwargs)

    def loop():
        while True:
            time.sleep(1)
            try:
                with get_host().allow_writer():
                    due = AmazonStore.objects.filter(
                        is_active=True, channel__isnull=False, authorization__isnull=False
                    ).exclude(pk__in=OrderSync.objects.filter(next_poll_at__gt=timezone.now()).values("store_id"))
                    for store_id in due.values_list("pk", flat=True):
                        poller.poll(store_id)
                    shipments.sweep()
            except Exception:  # a demo keeps going; the poller records Amazon's errors itself
                logging.getLogger(__name__).exception("demo order poll failed")
            finally:
                connection.close()

    threading.Thread(target=loop, daemon=True).start()
