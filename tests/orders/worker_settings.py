"""The order worker tests' settings: a short poll lease, so a killed poller's store comes back in seconds."""

import os

from tests.tasks.worker_settings import *  # noqa: F401,F403

AMAZON_CHANNEL_ORDERS_LEASE = float(os.environ.get("TEST_ORDERS_LEASE", "5"))
