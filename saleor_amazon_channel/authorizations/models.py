"""Seller authorizations: one per seller and region, shared by that seller's stores, with the
encrypted refresh token and the state of its 365-day term."""

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.db import models
from django.utils import timezone

from saleor_amazon_channel.core import crypto, marketplaces

AUTHORIZATION_LIFETIME = timedelta(days=365)
EXPIRY_WARNING = timedelta(days=30)


class ConnectionStatus(StrEnum):
    NOT_CONNECTED = "not_connected"
    CONNECTED = "connected"
    AUTHORIZATION_EXPIRING = "authorization_expiring"
    AUTHORIZATION_EXPIRED = "authorization_expired"
    AUTHORIZATION_REVOKED = "authorization_revoked"
    ERROR = "error"


class SellerAuthorization(models.Model):
    """One Amazon authorization: a seller's consent for our application in one region.

    Amazon grants one per seller per region, so the US, Canada and Mexico stores of
    one seller share it; renewing it renews them all.
    """

    selling_partner_id = models.CharField(max_length=64)
    region = models.CharField(max_length=2, choices=[(r.value, r.value) for r in marketplaces.Region])
    encrypted_refresh_token = models.TextField(editable=False)
    authorized_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    # When the daily check should next look at it; spreads Sellers API calls out.
    next_check_at = models.DateTimeField(null=True, blank=True)
    # Consecutive transient failures: one 5xx never flips a healthy store to ERROR.
    failure_count = models.PositiveIntegerField(default=0)
    last_error_code = models.CharField(max_length=64, blank=True, default="")
    last_error_message = models.CharField(max_length=500, blank=True, default="")
    # getMarketplaceParticipations, as last read:
    # [{"marketplaceId", "storeName", "isParticipating", "hasSuspendedListings"}]
    participations = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["selling_partner_id", "region"], name="amazon_channel_one_authorization_per_seller_region"
            )
        ]
        indexes = [
            models.Index(fields=["expires_at", "id"], name="amazon_channel_auth_expiry"),
            models.Index(fields=["next_check_at", "id"], name="amazon_channel_auth_next_check"),
        ]

    def __str__(self) -> str:
        return f"{self.selling_partner_id} ({self.region})"

    def __repr__(self) -> str:
        return f"<SellerAuthorization {self.pk} {self.selling_partner_id} {self.region}>"

    @property
    def refresh_token(self) -> str:
        return crypto.decrypt(self.encrypted_refresh_token)

    @refresh_token.setter
    def refresh_token(self, value: str) -> None:
        self.encrypted_refresh_token = crypto.encrypt(value)

    def renew(self, refresh_token: str, now: datetime | None = None) -> None:
        """A fresh consent: new token, a new 365-day term, alerts cleared."""
        now = now or timezone.now()
        self.refresh_token = refresh_token
        self.authorized_at = now
        self.expires_at = now + AUTHORIZATION_LIFETIME
        self.revoked_at = None
        self.failure_count = 0
        self.last_error_code = ""
        self.last_error_message = ""

    def status(self, now: datetime | None = None) -> ConnectionStatus:
        now = now or timezone.now()
        if self.revoked_at:
            return ConnectionStatus.AUTHORIZATION_REVOKED
        if self.expires_at <= now:
            return ConnectionStatus.AUTHORIZATION_EXPIRED
        if self.last_error_code:
            return ConnectionStatus.ERROR
        if self.expires_at - now <= EXPIRY_WARNING:
            return ConnectionStatus.AUTHORIZATION_EXPIRING
        return ConnectionStatus.CONNECTED

    def participation(self, marketplace_id: str) -> dict[str, Any] | None:
        """The stored entry (JSON, as :func:`amazon.sellers.normalize` made it) of ``marketplace_id``."""
        entries: list[dict[str, Any]] = self.participations or []
        for entry in entries:
            if entry.get("marketplaceId") == marketplace_id:
                return entry
        return None
