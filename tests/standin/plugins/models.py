from django.db import models


class PluginConfiguration(models.Model):
    """Saleor's PluginConfiguration row: one per plugin (global plugins have no channel)."""

    identifier = models.CharField(max_length=128, unique=True)
    name = models.CharField(max_length=128)
    active = models.BooleanField(default=False)
    configuration = models.JSONField(default=list, blank=True)
