"""Settings of the Celery workers the integration tests start: the stand-in host's, plus a private
queue, a mail spool the test can read, and a short visibility timeout (redelivery of a killed
worker's tasks within seconds, not an hour). All from the environment the test passes."""

import os

from tests.standin.settings import *  # noqa: F401,F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ["TEST_CELERY_QUEUE"]
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # Saleor's default
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": float(os.environ.get("TEST_VISIBILITY_TIMEOUT", 3600)),
    "unacked_restore_interval": 1,
}
EMAIL_BACKEND = "tests.tasks.mail_spool.SpoolBackend"
