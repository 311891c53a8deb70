"""Every Celery task of the plugin, for Saleor's Celery app to find.

Saleor autodiscovers ``tasks`` in each plugin's package (``discover_plugins_modules``); the tasks
live with their domain and are imported here only so that the worker registers them.
"""

from saleor_amazon_channel.catalog.tasks import catalog_match_task, refresh_catalog_matches_task
from saleor_amazon_channel.consent.tasks import purge_stale_consents_task
from saleor_amazon_channel.listings.tasks import listing_sync_task, listing_variants_changed_task, scan_listings_task
from saleor_amazon_channel.monitoring.tasks import (
    check_authorization_batch_task,
    check_authorization_task,
    check_authorizations_task,
    deliver_reminders_task,
)

__all__ = [
    "catalog_match_task",
    "check_authorization_batch_task",
    "check_authorization_task",
    "check_authorizations_task",
    "deliver_reminders_task",
    "listing_sync_task",
    "listing_variants_changed_task",
    "purge_stale_consents_task",
    "refresh_catalog_matches_task",
    "scan_listings_task",
]
