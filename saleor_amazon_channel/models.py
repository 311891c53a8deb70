"""Amazon stores, the seller authorizations they share, pending connections and the audit trail.

Saleor models are referenced by app label ("channel.Channel", "app.App", the user
model), never imported: the stand-in host under ``tests/`` provides the same labels.
"""

from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from . import crypto, marketplaces

AUTHORIZATION_LIFETIME = timedelta(days=365)
EXPIRY_WARNING = timedelta(days=30)


class ProductIdType(models.TextChoices):
    ASIN = "ASIN"
    EAN = "EAN"
    GTIN = "GTIN"
    ISBN = "ISBN"
    JAN = "JAN"
    UPC = "UPC"
    SKU = "SKU"


class ProductIdSource(models.TextChoices):
    ATTRIBUTE = "attribute", "Saleor attribute"
    VARIANT_SKU = "variant_sku", "Variant SKU"


class ConnectionStatus(StrEnum):
    NOT_CONNECTED = "not_connected"
    CONNECTED = "connected"
    AUTHORIZATION_EXPIRING = "authorization_expiring"
    AUTHORIZATION_EXPIRED = "authorization_expired"
    AUTHORIZATION_REVOKED = "authorization_revoked"
    ERROR = "error"


class EventType(models.TextChoices):
    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"
    ACTIVATED = "activated"
    DEACTIVATED = "deactivated"
    CONNECT_STARTED = "connect_started"
    CONNECTED = "connected"
    CONNECT_FAILED = "connect_failed"
    RENEWED = "renewed"
    DISCONNECTED = "disconnected"
    REVOKED = "revoked"
    EXPIRED = "expired"
    CHECKED = "checked"
    CHECK_FAILED = "check_failed"
    CHANNEL_DELETED = "channel_deleted"
    REMINDER_SENT = "reminder_sent"


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

    def __str__(self):
        return f"{self.selling_partner_id} ({self.region})"

    def __repr__(self):
        return f"<SellerAuthorization {self.pk} {self.selling_partner_id} {self.region}>"

    @property
    def refresh_token(self) -> str:
        return crypto.decrypt(self.encrypted_refresh_token)

    @refresh_token.setter
    def refresh_token(self, value: str):
        self.encrypted_refresh_token = crypto.encrypt(value)

    def renew(self, refresh_token: str, now=None):
        """A fresh consent: new token, a new 365-day term, alerts cleared."""
        now = now or timezone.now()
        self.refresh_token = refresh_token
        self.authorized_at = now
        self.expires_at = now + AUTHORIZATION_LIFETIME
        self.revoked_at = None
        self.failure_count = 0
        self.last_error_code = ""
        self.last_error_message = ""

    def status(self, now=None) -> ConnectionStatus:
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

    def participation(self, marketplace_id: str) -> dict | None:
        for entry in self.participations or []:
            if entry.get("marketplaceId") == marketplace_id:
                return entry
        return None


class AmazonStore(models.Model):
    """A merchant's Amazon store: one Amazon marketplace sold to from one Saleor channel."""

    name = models.CharField(max_length=100, unique=True)
    contact_email = models.EmailField(max_length=254)
    # SET_NULL: deleting a Saleor channel must not destroy the store and its Amazon
    # authorization; the store is deactivated and asks for a new channel instead.
    channel = models.ForeignKey(
        "channel.Channel", null=True, blank=True, on_delete=models.SET_NULL, related_name="amazon_stores"
    )
    marketplace_id = models.CharField(max_length=20, choices=marketplaces.CHOICES)
    product_id_type = models.CharField(max_length=8, choices=ProductIdType.choices)
    product_id_source = models.CharField(max_length=16, choices=ProductIdSource.choices)
    product_id_attribute = models.CharField(max_length=250, blank=True, default="")
    is_active = models.BooleanField(default=True)
    authorization = models.ForeignKey(
        SellerAuthorization, null=True, blank=True, on_delete=models.SET_NULL, related_name="stores"
    )
    # Problems of this store alone (its marketplace not participating, say).
    last_error_code = models.CharField(max_length=64, blank=True, default="")
    last_error_message = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("name", "pk")
        constraints = [
            # One seller's marketplace feeds one store.
            models.UniqueConstraint(
                fields=["authorization", "marketplace_id"], name="amazon_channel_one_store_per_seller_marketplace"
            ),
            # "Race Store" and "race store" are one name; the database decides, so concurrent creates cannot both win.
            models.UniqueConstraint(Lower("name"), name="amazon_channel_store_name_ci_unique"),
        ]
        indexes = [models.Index(fields=["marketplace_id"], name="amazon_channel_store_mkt")]

    def __str__(self):
        return self.name

    @property
    def marketplace(self) -> marketplaces.Marketplace:
        return marketplaces.get(self.marketplace_id)

    def status(self, now=None) -> ConnectionStatus:
        if self.authorization_id is None:
            return ConnectionStatus.NOT_CONNECTED
        assert self.authorization is not None  # authorization_id is set
        status = self.authorization.status(now)
        if status in (ConnectionStatus.CONNECTED, ConnectionStatus.AUTHORIZATION_EXPIRING) and self.last_error_code:
            return ConnectionStatus.ERROR
        return status

    @property
    def last_error(self) -> str:
        if self.last_error_message:
            return self.last_error_message
        if self.authorization_id and self.authorization is not None:
            return self.authorization.last_error_message
        return ""


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


class AmazonStoreEvent(models.Model):
    """The audit trail. Never holds a secret: no token, code or state reaches it."""

    store = models.ForeignKey(AmazonStore, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    # Kept so the trail still reads after the store is deleted.
    store_name = models.CharField(max_length=100)
    authorization = models.ForeignKey(
        SellerAuthorization, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    type = models.CharField(max_length=32, choices=EventType.choices)
    date = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    app = models.ForeignKey("app.App", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor = models.CharField(max_length=255, blank=True, default="")
    message = models.CharField(max_length=500, blank=True, default="")
    parameters = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("-date", "-pk")
        indexes = [models.Index(fields=["store", "-date"], name="amazon_channel_event_store")]


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


class SetupTask(models.Model):
    """A pre-configuration task the merchant ticked as done (what only they can know).

    One row per task for the whole installation: the tasks are about the merchant's Amazon
    accounts, shared by every staff member, so they live on the server, not in one browser.
    """

    class Key(models.TextChoices):
        SELLER_ACCOUNT = "seller_account", "Amazon seller account"
        PRIMARY_USER = "primary_user", "Primary user"
        ATTRIBUTES = "attributes", "Product attributes"
        SP_API_APP = "sp_api_app", "SP-API application"
        SELLER_SETTINGS = "seller_settings", "Seller Central settings"

    key = models.CharField(max_length=32, choices=Key.choices, unique=True)
    done = models.BooleanField(default=False)
    # Who ticked it last (staff e-mail or app name), for the page's "done by".
    actor = models.CharField(max_length=255, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)


# The catalog match tables live with their code; importing them here registers them.
from .catalog.models import CatalogMatch, CatalogMatchBatch, CatalogMatchRun, RateBucket  # noqa: E402,F401
