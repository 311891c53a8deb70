"""The demo has no Celery broker: tasks run eagerly. A catalog match would then run inside the
request that starts it; in a background thread instead, the dashboard can watch it progress.
The task hands over to a new message of its own (``apply_async`` with a countdown) between slices
and while it waits: each becomes a thread too, started after its countdown."""

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
