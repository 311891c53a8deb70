"""Reminders owed for an authorization's term."""

from django.db import models
from django.utils import timezone

from saleor_amazon_channel.authorizations.models import SellerAuthorization


class AuthorizationReminder(models.Model):
    """A reminder owed for one term of an authorization; the unique key makes it go out once."""

    class Kind(models.TextChoices):
        DAYS_30 = "days_30", "30 days before expiry"
        DAYS_7 = "days_7", "7 days before expiry"
        DAYS_1 = "days_1", "1 day before expiry"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

    authorization = models.ForeignKey(SellerAuthorization, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The term the reminder belongs to: a renewal starts a new term, and new reminders.
    term_expires_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["authorization", "kind", "term_expires_at"], name="amazon_channel_reminder_once"
            )
        ]
