import hashlib

from django.db import models


class App(models.Model):
    """Saleor's App: a name, permissions, and tokens."""

    name = models.CharField(max_length=60)
    identifier = models.CharField(max_length=256, blank=True, default="")
    is_active = models.BooleanField(default=True)
    permissions = models.JSONField(default=list, blank=True)
    app_url = models.URLField(blank=True, default="")


class AppToken(models.Model):
    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


class AppExtension(models.Model):
    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="extensions")
    label = models.CharField(max_length=256)
    url = models.URLField(max_length=512)
    mount = models.CharField(max_length=256)
    target = models.CharField(max_length=128)
    permissions = models.JSONField(default=list, blank=True)
    options = models.JSONField(default=dict, blank=True)
