"""The listings worker tests' settings: a short claim lease so a killed worker's listings come back in seconds,
and no wait before reading an accepted offer back."""

from tests.tasks.worker_settings import *  # noqa: F401,F403

AMAZON_CHANNEL_LISTINGS_LEASE = 2.0
AMAZON_CHANNEL_LISTINGS_VERIFY_DELAY = 0.0
