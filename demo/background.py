"""The demo has no Celery broker: tasks run eagerly. A catalog match would then run inside the
request that starts it; in a background thread instead, the dashboard can watch it progress."""

import threading


def run_catalog_matches_in_background():
    from django.conf import settings

    from saleor_amazon_channel.catalog.tasks import catalog_match_task

    if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return

    def delay(*args, **kwargs):
        thread = threading.Thread(target=catalog_match_task.apply, args=(args, kwargs), daemon=True)
        thread.start()
        return thread

    catalog_match_task.delay = delay
