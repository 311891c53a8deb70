from typing import Protocol

from django.apps import AppConfig, apps
from django.db.models import Model
from django.db.models.signals import pre_delete


class _Channel(Protocol):
    """What the plugin reads of Saleor's Channel (no stubs: the host's model)."""

    pk: int
    slug: str


class AmazonChannelAppConfig(AppConfig):
    name = "saleor_amazon_channel"
    label = "saleor_amazon_channel"
    verbose_name = "Amazon Sales Channel"
    default_auto_field = "django.db.models.AutoField"

    def ready(self) -> None:
        from saleor_amazon_channel import checks  # noqa: F401  (registers the system checks)
        from saleor_amazon_channel.rules import provider as rules_provider
        from saleor_amazon_channel.stores.services import deactivate_for_deleted_channel

        schedule_daily_check()
        # Listing and price rules plug into the listings' desired-offer computation.
        rules_provider.register()

        def on_channel_delete(sender: type[Model], instance: _Channel, **kwargs: object) -> None:
            deactivate_for_deleted_channel(instance.pk, instance.slug)

        pre_delete.connect(
            on_channel_delete,
            sender=apps.get_model("channel", "Channel"),
            dispatch_uid="saleor_amazon_channel.channel_deleted",
            weak=False,
        )


def schedule_daily_check() -> None:
    """Add the daily authorization check to Celery beat through Saleor's CELERY_BEAT_SCHEDULE.

    Beat reads the setting only after Django is ready, and Saleor's DatabaseScheduler
    copies settings entries into its own table on every start, so the entry works with
    it and with Celery's default scheduler alike. ``setdefault``: a host that defines
    the entry itself (another hour, say) keeps its own.
    """
    from django.conf import settings

    from saleor_amazon_channel.catalog import tasks as catalog_tasks
    from saleor_amazon_channel.consent import tasks as consent_tasks
    from saleor_amazon_channel.listings import tasks as listing_tasks
    from saleor_amazon_channel.monitoring.tasks import BEAT_ENTRY_NAME, beat_entry
    from saleor_amazon_channel.orders import tasks as order_tasks

    schedule = getattr(settings, "CELERY_BEAT_SCHEDULE", None)
    if schedule is None:
        schedule = settings.CELERY_BEAT_SCHEDULE = {}
    schedule.setdefault(BEAT_ENTRY_NAME, beat_entry())
    schedule.setdefault(catalog_tasks.BEAT_ENTRY_NAME, catalog_tasks.beat_entry())
    schedule.setdefault(consent_tasks.BEAT_ENTRY_NAME, consent_tasks.beat_entry())
    schedule.setdefault(order_tasks.BEAT_ENTRY_NAME, order_tasks.beat_entry())
    schedule.setdefault(listing_tasks.BEAT_ENTRY_NAME, listing_tasks.beat_entry())
