"""What the plugin needs from the platform it runs in.

Saleor is the real host (:mod:`saleor_amazon_channel.plugin`); the stand-in host
under ``tests/`` implements the same few functions for CI. The host is named by
the ``AMAZON_CHANNEL_HOST`` setting and defaults to the Saleor adapter.
"""

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any, NamedTuple

from django.conf import settings
from django.utils.module_loading import import_string

from saleor_amazon_channel.core.config import AmazonChannelConfig

DEFAULT_HOST = "saleor_amazon_channel.plugin.SaleorHost"

# Saleor permission enum names the plugin checks.
MANAGE_CHANNELS = "MANAGE_CHANNELS"
MANAGE_ORDERS = "MANAGE_ORDERS"


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


# --- Orders -------------------------------------------------------------------------------


class OrderStatus:
    """Saleor's order statuses the plugin writes (``saleor.order.OrderStatus`` values)."""

    UNCONFIRMED = "unconfirmed"
    UNFULFILLED = "unfulfilled"
    PARTIALLY_FULFILLED = "partially fulfilled"
    FULFILLED = "fulfilled"
    CANCELED = "canceled"


@dataclass(frozen=True)
class OrderAddress:
    """A delivery address as Amazon gave it; withheld fields are empty."""

    first_name: str = ""
    last_name: str = ""
    company_name: str = ""
    street_address_1: str = ""
    street_address_2: str = ""
    city: str = ""
    city_area: str = ""
    postal_code: str = ""
    country: str = ""  # ISO 3166-1 alpha-2
    country_area: str = ""
    phone: str = ""


@dataclass(frozen=True)
class NewOrderLine:
    """One line of an order to create: a variant, a quantity and Amazon's prices per unit."""

    variant_id: int
    quantity: int
    unit_price_net: Decimal
    unit_price_gross: Decimal
    tax_rate: Decimal  # a fraction: 0.2 for 20 %
    product_name: str = ""
    variant_name: str = ""
    sku: str = ""


@dataclass(frozen=True)
class NewOrder:
    """An order coming from outside the host's checkout (an Amazon order), priced by its source."""

    channel_id: int
    external_reference: str  # unique among the host's orders
    currency: str
    lines: tuple[NewOrderLine, ...]
    status: str = OrderStatus.UNFULFILLED  # UNCONFIRMED, UNFULFILLED or FULFILLED
    shipping_price_net: Decimal = Decimal(0)
    shipping_price_gross: Decimal = Decimal(0)
    shipping_method_name: str = ""
    user_email: str = ""  # a guest order with this e-mail; "" records no customer
    shipping_address: OrderAddress | None = None
    billing_address: OrderAddress | None = None
    allocate: bool = True  # reserve stock in the channel's warehouses
    customer_note: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    created_at: datetime | None = None


@dataclass(frozen=True)
class StockShortage:
    variant_id: int
    requested: int
    available: int


class OrderRefused(Exception):
    """The host would not create (or change) the order. ``code``: ``insufficient_stock``,
    ``variant_missing`` (deleted or not in the channel), ``channel_missing``, ``reference_taken``,
    ``invalid``; ``shortages`` for stock."""

    def __init__(self, code: str, message: str, shortages: tuple[StockShortage, ...] = ()):
        super().__init__(message)
        self.code = code
        self.message = message
        self.shortages = shortages


@dataclass(frozen=True)
class HostOrder:
    """What the plugin shows of a host order."""

    id: str  # the host's primary key, as text (Saleor: a UUID)
    number: str
    status: str
    external_reference: str
    graphql_id: str = ""  # the host API's global ID, for links into the Dashboard


@dataclass(frozen=True)
class FulfillmentLineInfo:
    variant_id: int | None
    sku: str
    quantity: int


@dataclass(frozen=True)
class HostFulfillment:
    id: int
    order_id: str
    status: str  # Saleor's FulfillmentStatus value ("fulfilled", "canceled", ...)
    tracking_number: str
    created_at: datetime
    lines: tuple[FulfillmentLineInfo, ...]
    shipping_method_name: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
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


class VariantFacts(NamedTuple):
    """What listing and price rules test about a variant besides its offer (one batch: :meth:`Host.variant_facts`).

    A named tuple: a preview builds one per variant of the channel, so it must be cheap to make."""

    variant_id: int
    product_id: int
    product_type_id: int
    # The product's category first, then its ancestors up to the root; () when the product has none.
    category_ids: tuple[int, ...]
    collection_ids: tuple[int, ...]
    # (attribute slug, value slug) of every value assigned at variant or product level.
    attribute_values: frozenset[tuple[str, str]]
    # The product in the channel: published (is_published and published_at not in the future) and
    # available for purchase (available_for_purchase_at set and not in the future). False when unlisted.
    published: bool
    available_for_purchase: bool


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

    # --- Orders ---------------------------------------------------------------------------

    def variants_by_sku(self, channel_id: int, skus: list[str]) -> dict[str, int]:
        """Variant ids by SKU among ``skus``, listed in the channel or not (one query)."""
        raise NotImplementedError

    def create_order(self, order: NewOrder) -> HostOrder:
        """Create the order through the host's own order logic, in the caller's transaction:
        lines at the given prices, stock allocated in the channel's warehouses when
        ``order.allocate`` (Saleor's ``allocate_stocks``), the host's order events and webhooks
        (``ORDER_CREATED``; ``ORDER_CONFIRMED``/``ORDER_FULLY_PAID`` as apply) after the commit.
        Raises :class:`OrderRefused`; nothing is written then."""
        raise NotImplementedError

    def find_orders(self, external_references: list[str]) -> dict[str, HostOrder]:
        """The host's orders with these external references (one query)."""
        raise NotImplementedError

    def get_orders(self, order_ids: list[str]) -> dict[str, HostOrder]:
        """The host's orders by id (one query); deleted ones are absent."""
        raise NotImplementedError

    def confirm_order(self, order_id: str, *, allocate: bool) -> HostOrder:
        """An UNCONFIRMED order becomes UNFULFILLED (allocating its stock first when ``allocate``
        and it holds none); ``ORDER_CONFIRMED`` fires. Other statuses are left as they are.
        Raises :class:`OrderRefused` (``insufficient_stock``)."""
        raise NotImplementedError

    def cancel_order(self, order_id: str) -> HostOrder:
        """Cancel the order through the host's logic (releases its allocations; ``ORDER_CANCELLED``).
        An already cancelled order is left as it is; a (partly) fulfilled one raises OrderRefused."""
        raise NotImplementedError

    def order_fulfillments(self, order_ids: list[str]) -> dict[str, list[HostFulfillment]]:
        """Every fulfillment of these orders with its lines, by order id (a constant number of queries)."""
        raise NotImplementedError

    def fulfillments_since(self, since: datetime, limit: int = 500) -> list[HostFulfillment]:
        """Fulfillments created at or after ``since`` of orders that have an external reference,
        oldest first (the shipment sweep)."""
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
        country_code: str | None = None,
    ) -> list[OfferVariant]:
        """One keyset batch of the variants listed in the channel, ids above ``after``, by id.

        ``available`` sums stock over ``warehouse_ids`` that serve the channel (None: every warehouse
        of the channel) and, with ``country_code`` (the store's marketplace country), only those the host
        would allocate an order shipped to that country from (Saleor: the channel's shipping zones covering
        it, when it allocates through shipping zones); ``attribute_value`` reads ``attribute_slug`` like
        :meth:`channel_variants`; ``variant_ids`` restricts the batch to those variants. A constant number
        of queries per batch.
        """
        raise NotImplementedError

    def variant_facts(self, channel_id: int, variant_ids: Sequence[int]) -> list[VariantFacts]:
        """Product type, categories (with ancestors), collections, attribute values and the product's
        publication in the channel of ``variant_ids`` (those that exist), by variant id. A constant
        number of queries, whatever the number of variants."""
        raise NotImplementedError

    def condition_counts(
        self,
        channel_id: int,
        trees: Sequence[dict[str, Any]],
        *,
        warehouse_ids: Sequence[str] | None = None,
        limit: int = 100,
        country_code: str | None = None,
    ) -> dict[tuple[bool, ...], tuple[int, list[int]]]:
        """Counted in the database: the variants listed in the channel grouped by which rule condition
        ``trees`` they meet (one bool a tree), with how many and the first ``limit`` ids of each group.
        Stock is summed like :meth:`offer_variants` over ``warehouse_ids`` for ``country_code``. A constant
        number of queries."""
        raise NotImplementedError


@cache
def _load(path: str) -> Host:
    host: Host = import_string(path)()
    return host


def get_host() -> Host:
    return _load(getattr(settings, "AMAZON_CHANNEL_HOST", DEFAULT_HOST))
