"""Consents in progress."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from saleor_amazon_channel.stores.models import AmazonStore


class PendingConnection(models.Model):
    """A consent in progress: what the signed OAuth ``state`` points at.

    Created only for an authenticated staff user or app. Bound to one browser when
    that browser opens the start route (``browser_hash``: SHA-256 of the random value
    in its HttpOnly cookie; set once, which makes the start link single-use). Single
    use: consumed atomically when Amazon calls back, so a replayed state fails.
    """

    store = models.ForeignKey(AmazonStore, on_delete=models.CASCADE, related_name="pending_connections")
    nonce = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    app = models.ForeignKey("app.App", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    consumed_at = models.DateTimeField(null=True, blank=True)
    browser_hash = models.CharField(max_length=64, blank=True, default="")
    # The seller Amazon named for this consent (its Log-in URI call): the callback must match it.
    expected_seller = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["created_at"], name="amazon_channel_pending_age"),
            models.Index(fields=["user", "created_at"], name="amazon_channel_pending_user"),
        ]
