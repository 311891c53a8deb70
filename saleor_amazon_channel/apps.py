from django.apps import AppConfig, apps
from django.db.models.signals import pre_delete


class AmazonChannelAppConfig(AppConfig):
    name = "saleor_amazon_channel"
    label = "saleor_amazon_channel"
    verbose_name = "Amazon Sales Channel"
    default_auto_field = "django.db.models.AutoField"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
        from .stores import deactivate_for_deleted_channel

        def on_channel_delete(sender, instance, **kwargs):
            deactivate_for_deleted_channel(instance)

        pre_delete.connect(
            on_channel_delete,
            sender=apps.get_model("channel", "Channel"),
            dispatch_uid="saleor_amazon_channel.channel_deleted",
            weak=False,
        )
