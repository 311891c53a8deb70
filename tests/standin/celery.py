"""The stand-in host's Celery app, configured as Saleor's is (saleor/celeryconf.py).

Workers in the integration tests run ``celery -A tests.standin.celery worker``. The
plugin itself never imports a Celery app: its tasks are ``shared_task``s, bound to
whichever app the host created (this one here, Saleor's in Saleor).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.standin.settings")

app = Celery("standin")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Finds saleor_amazon_channel.tasks, as Saleor's discover_plugins_modules does.
app.autodiscover_tasks()
