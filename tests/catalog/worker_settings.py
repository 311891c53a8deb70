"""The task tests' worker settings, with a short batch lease so a killed worker's batch comes back in seconds."""

import os

from tests.tasks.worker_settings import *  # noqa: F401,F403

AMAZON_CHANNEL_CATALOG_LEASE = float(os.environ.get("TEST_CATALOG_LEASE", "2"))
