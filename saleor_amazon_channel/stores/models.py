"""Amazon stores, their audit trail and the merchant's setup checklist.

Saleor models are referenced by app label ("channel.Channel", "app.App", the user
model), never imported: the stand-in host under ``tests/`` provides the same labels."""

from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from saleor_amazon_channel.authorizations.models import ConnectionStatus, SellerAuthorization
from saleor_amazon_channel.core import marketplaces
from saleor_amazon_channel.outcomes import lookup as lookup_outcome


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


# The unique index on Lower(name): read back by name when a write violates it.
NAME_CONSTRAINT = "amazon_channel_store_name_ci_unique"


class AmazonStore(models.Model):
    """A merchant's Amazon store: one Amazon marketplace sold to from one Saleor channel."""

    # Unique through NAME_CONSTRAINT (Lower(name)) alone: a plain unique index would be a second one.
    name = models.CharField(max_length=100)
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
            models.UniqueConstraint(Lower("name"), name=NAME_CONSTRAINT),
        ]
        indexes = [models.Index(fields=["marketplace_id"], name="amazon_channel_store_mkt")]

    def __str__(self) -> str:
        return self.name

    @property
    def marketplace(self) -> marketplaces.Marketplace:
        return marketplaces.get(self.marketplace_id)

    def status(self, now: datetime | None = None) -> ConnectionStatus:
        if self.authorization_id is None:
            return ConnectionStatus.NOT_CONNECTED
        assert self.authorization is not None  # authorization_id is set
        status = self.authorization.status(now)
        if status in (ConnectionStatus.CONNECTED, ConnectionStatus.AUTHORIZATION_EXPIRING) and self.last_error_code:
            return ConnectionStatus.ERROR
        return status

    @property
    def last_error(self) -> str:
        error = shown_error(self)
        return error.message if error else ""


class ShownError(NamedTuple):
    code: str  # an outcome code (or Amazon's), for a client to word in its language
    message: str  # in English, for logs, the check command and API users


def shown_error(store: AmazonStore) -> ShownError | None:
    """The one answer to "what error does this store show" (GraphQL, the check command, audit events).

    The store's own problem first (its marketplace not participating), else its authorization's
    (a refused token, Amazon unavailable...). A code alone, which already makes the status ERROR,
    still comes with words: the outcome's own message.
    """
    sources: list[AmazonStore | SellerAuthorization] = [store]
    if store.authorization_id and store.authorization is not None:
        sources.append(store.authorization)
    for source in sources:
        code, message = source.last_error_code, source.last_error_message
        if code or message:
            if not message:
                outcome = lookup_outcome(code)
                message = outcome.message if outcome else f"Amazon answered with an error ({code})."
            return ShownError(code, message)
    return None


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
