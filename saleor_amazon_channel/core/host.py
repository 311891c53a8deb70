"""What the plugin needs from the platform it runs in.

Saleor is the real host (:mod:`saleor_amazon_channel.plugin`); the stand-in host
under ``tests/`` implements the same few functions for CI. The host is named by
the ``AMAZON_CHANNEL_HOST`` setting and defaults to the Saleor adapter.
"""

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from saleor_amazon_channel.core.config import AmazonChannelConfig

DEFAULT_HOST = "saleor_amazon_channel.plugin.SaleorHost"

# Saleor permission enum names the plugin checks.
MANAGE_CHANNELS = "MANAGE_CHANNELS"


class AuthenticationFailed(Exception):
    """The request carried a token that is bad, expired or revoked (HTTP 401)."""


@dataclass(frozen=True)
class Requestor:
    """Who is calling: a staff user, an app, or nobody."""

    user_id: int | None = None
    app_id: int | None = None
    label: str = ""
    permissions: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None or self.app_id is not None

    def has_perm(self, permission: str) -> bool:
        return permission in self.permissions


ANONYMOUS = Requestor()
SYSTEM = Requestor(label="system")


@dataclass(frozen=True)
class CatalogVariant:
    """A variant listed in a channel, with the identifier the store's mapping reads from it."""

    variant_id: int
    sku: str
    name: str  # the variant's own name, often empty
    product_name: str
    identifier: str  # raw, as stored in Saleor; "" when there is none


@dataclass(frozen=True)
class OfferVariant:
    """What an Amazon offer is computed from: a variant listed in a channel, as the host has it now."""

    variant_id: int
    sku: str  # "" when the variant has none
    product_id: int
    price: Decimal | None  # the channel listing's price_amount; None when unpriced
    currency: str  # the channel listing's currency
    cost_price: Decimal | None
    track_inventory: bool
    # Σ over the counted warehouses of max(quantity − quantity_allocated, 0): what the host can still sell.
    available: int
    attribute_value: str  # the value of the requested attribute (variant level, else product level); "" if none


@dataclass(frozen=True)
class HostWarehouse:
    id: str  # the host's primary key as text (Saleor: a UUID)
    name: str


class Host:
    """The interface; every method is required."""

    def authenticate(self, request: Any) -> Requestor:
        """Return the requestor of ``request`` (ANONYMOUS without a token); raise AuthenticationFailed."""
        raise NotImplementedError

    def requestor_has_permission(self, user_id: int | None, app_id: int | None, permission: str) -> bool:
        """Whether that user (or app) still exists, is active and holds ``permission`` now (read fresh:
        a consent started earlier completes only for a requestor still allowed to start it)."""
        raise NotImplementedError

    def get_config(self) -> AmazonChannelConfig:
        """The plugin's current configuration, read fresh from the database."""
        raise NotImplementedError

    def staff_notification_emails(self) -> list[str]:
        """Addresses of the staff who get Saleor's staff notifications."""
        raise NotImplementedError

    def notify(self, event: str, payload: dict[str, Any]) -> None:
        """Emit a notify event apps can subscribe to."""
        raise NotImplementedError

    def build_absolute_uri(self, path: str) -> str:
        """Absolute public URL for an absolute path, e.g. the plugin's OAuth callback."""
        raise NotImplementedError

    def allow_writer(self) -> AbstractContextManager[object]:
        """Context for code that writes from a Celery task (Saleor's writer-database rule)."""
        raise NotImplementedError

    def install_app(self, manifest: dict[str, Any]) -> tuple[int, bool]:
        """Create (or update) the dashboard app from ``manifest`` without fetching it: (app pk, created)."""
        raise NotImplementedError

    def dashboard_app_id(self) -> str | None:
        """The GraphQL ID of the installed, active dashboard app (``App`` row of the manifest's
        identifier), as the Dashboard's ``/extensions/app/<id>`` route spells it; None if missing."""
        raise NotImplementedError

    def schema_version(self) -> tuple[int, int]:
        """The host's GraphQL schema version, e.g. (3, 23); decides the manifest's extensions."""
        raise NotImplementedError

    def channel_variants(
        self, channel_id: int, attribute_slug: str | None, *, after: int = 0, limit: int = 500
    ) -> list[CatalogVariant]:
        """One keyset batch of the variants listed in the channel, ids above ``after``, by id.

        The identifier is the value of the attribute ``attribute_slug``, at variant level
        if the variant has it, else at product level; the variant SKU when the slug is None.
        A constant number of queries per batch, whatever ``limit``.
        """
        raise NotImplementedError

    def channel_warehouses(self, channel_id: int) -> list[HostWarehouse]:
        """The warehouses that serve the channel (Saleor's channel ↔ warehouse relation), by name."""
        raise NotImplementedError

    def offer_variants(
        self,
        channel_id: int,
        *,
        warehouse_ids: Sequence[str] | None = None,
        attribute_slug: str | None = None,
        variant_ids: Sequence[int] | None = None,
        after: int = 0,
        limit: int = 500,
    ) -> list[OfferVariant]:
        """One keyset batch of the variants listed in the channel, ids above ``after``, by id.

        ``available`` sums stock over ``warehouse_ids`` that serve the channel (None: every warehouse
        of the channel); ``attribute_value`` reads ``attribute_slug`` like :meth:`channel_variants`;
        ``variant_ids`` restricts the batch to those variants. A constant number of queries per batch.
        """
        raise NotImplementedError


@cache
def _load(path: str) -> Host:
    host: Host = import_string(path)()
    return host


def get_host() -> Host:
    return _load(getattr(settings, "AMAZON_CHANNEL_HOST", DEFAULT_HOST))
