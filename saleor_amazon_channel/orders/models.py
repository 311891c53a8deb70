"""Amazon orders: per-store settings, one record per (store, Amazon order ID), its lines, the
shipments confirmed back, and each store's poll state.

An :class:`AmazonOrder` row is written (and committed) before anything else is done with the
order: the unique (store, amazon_order_id) key makes every later read of the same order an
update of that row, and the Saleor order is created in the same transaction that links it
(``saleor_order_id``). Imported by ``saleor_amazon_channel.models`` so Django registers them.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class AmazonStatus(models.TextChoices):
    """Amazon's ``fulfillment.fulfillmentStatus`` (Orders API v2026-01-01)."""

    PENDING_AVAILABILITY = "PENDING_AVAILABILITY"
    PENDING = "PENDING"
    UNSHIPPED = "UNSHIPPED"
    PARTIALLY_SHIPPED = "PARTIALLY_SHIPPED"
    SHIPPED = "SHIPPED"
    CANCELLED = "CANCELLED"
    UNFULFILLABLE = "UNFULFILLABLE"


class Problem(models.TextChoices):
    """Why an Amazon order has no (up-to-date) Saleor order; empty when there is none."""

    UNKNOWN_SKU = "UNKNOWN_SKU"  # a seller SKU maps to no variant
    VARIANT_MISSING = "VARIANT_MISSING"  # the variant was deleted or is not in the store's channel
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"  # Saleor refused: not enough stock in the channel's warehouses
    NO_CHANNEL = "NO_CHANNEL"  # the store has no Saleor channel
    REFERENCE_TAKEN = "REFERENCE_TAKEN"  # another Saleor order already uses the Amazon order ID
    CANCEL_REFUSED = "CANCEL_REFUSED"  # cancelled on Amazon, but Saleor has already fulfilled some of it
    HOST_ERROR = "HOST_ERROR"  # Saleor refused for another reason (message kept)
    CANCELLED_IN_SALEOR = "CANCELLED_IN_SALEOR"  # cancelled in Saleor, still open on Amazon


class CustomerMode(models.TextChoices):
    GUEST_EMAIL = "GUEST_EMAIL"  # a guest order with the buyer's (Amazon-masked) e-mail
    NONE = "NONE"  # no customer on the order


class OrderReference(models.TextChoices):
    """Saleor numbers its orders itself (an integer sequence): Amazon's ID cannot be the number."""

    EXTERNAL_REFERENCE = "EXTERNAL_REFERENCE"  # Saleor's number; Amazon's ID as external reference and metadata
    EXTERNAL_REFERENCE_AND_NOTE = "EXTERNAL_REFERENCE_AND_NOTE"  # also in the customer note (shown on the order)


class OrderSettings(models.Model):
    store = models.OneToOneField(
        "saleor_amazon_channel.AmazonStore", on_delete=models.CASCADE, related_name="order_settings"
    )
    import_enabled = models.BooleanField(default=True)
    # Orders created on Amazon before this are never imported (null: from when settings were saved).
    import_from = models.DateTimeField(default=timezone.now)
    # True: a Pending order becomes an UNCONFIRMED Saleor order holding stock; False: nothing until Unshipped.
    reserve_pending = models.BooleanField(default=False)
    # Fulfilled-by-Amazon orders: imported once Shipped, as fulfilled, with no stock movement.
    import_fba = models.BooleanField(default=False)
    customer = models.CharField(max_length=16, choices=CustomerMode.choices, default=CustomerMode.GUEST_EMAIL)
    order_reference = models.CharField(
        max_length=32, choices=OrderReference.choices, default=OrderReference.EXTERNAL_REFERENCE
    )
    updated_at = models.DateTimeField(auto_now=True)


class AmazonOrder(models.Model):
    store = models.ForeignKey("saleor_amazon_channel.AmazonStore", on_delete=models.CASCADE, related_name="orders")
    amazon_order_id = models.CharField(max_length=50)
    amazon_status = models.CharField(max_length=24, choices=AmazonStatus.choices)
    fulfilled_by = models.CharField(max_length=16, default="MERCHANT")  # MERCHANT or AMAZON
    purchased_at = models.DateTimeField(null=True, blank=True)
    # Amazon's lastUpdatedTime of the data we applied: an older read never overwrites a newer one.
    amazon_updated_at = models.DateTimeField()
    currency = models.CharField(max_length=3, blank=True, default="")
    total_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    shipping_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    shipping_tax_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    buyer_name = models.CharField(max_length=255, blank=True, default="")
    buyer_email = models.CharField(max_length=255, blank=True, default="")
    # Amazon withholds buyer and address fields unless the application has the PII roles.
    pii_withheld = models.BooleanField(default=False)
    address = models.JSONField(default=dict, blank=True)
    buyer_cancel_requested = models.BooleanField(default=False)
    cancel_reason = models.CharField(max_length=255, blank=True, default="")
    # The Saleor order (its id as text: a UUID in Saleor). Set in the transaction that creates it.
    saleor_order_id = models.CharField(max_length=64, blank=True, default="", db_index=True)
    # What the Saleor order reflects: "" (nothing yet), UNCONFIRMED, UNFULFILLED, FULFILLED, CANCELED.
    saleor_state = models.CharField(max_length=24, blank=True, default="")
    problem = models.CharField(max_length=24, choices=Problem.choices, blank=True, default="")
    problem_message = models.CharField(max_length=500, blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    # Set when work is left (a problem to retry, a status to apply); cleared when the order is settled.
    needs_sync = models.BooleanField(default=True)
    # Raw Amazon order (without PII we do not keep), for the details page.
    raw = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-purchased_at", "-pk")
        constraints = [
            models.UniqueConstraint(fields=["store", "amazon_order_id"], name="amazon_channel_one_order_per_store"),
        ]
        indexes = [
            models.Index(fields=["store", "-purchased_at", "-id"], name="amazon_channel_order_list"),
            models.Index(fields=["store", "problem"], name="amazon_channel_order_problem"),
            models.Index(fields=["needs_sync"], name="amazon_channel_order_todo", condition=Q(needs_sync=True)),
        ]

    def __str__(self) -> str:
        return self.amazon_order_id


class AmazonOrderLine(models.Model):
    order = models.ForeignKey(AmazonOrder, on_delete=models.CASCADE, related_name="lines")
    order_item_id = models.CharField(max_length=50)
    seller_sku = models.CharField(max_length=255, blank=True, default="")
    asin = models.CharField(max_length=10, blank=True, default="")
    title = models.CharField(max_length=500, blank=True, default="")
    quantity = models.PositiveIntegerField()
    quantity_shipped = models.PositiveIntegerField(default=0)
    # Per unit, as Amazon charged (tax included / excluded), in the order's currency.
    unit_price = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    unit_tax = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    shipping_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    shipping_tax_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    variant_id = models.IntegerField(null=True, blank=True)
    cancel_requested = models.BooleanField(default=False)

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(fields=["order", "order_item_id"], name="amazon_channel_one_line_per_item"),
        ]


class ShipmentStatus(models.TextChoices):
    WAITING_TRACKING = "WAITING_TRACKING"  # the fulfillment has no tracking number yet
    PENDING = "PENDING"  # to send (or being sent)
    CONFIRMED = "CONFIRMED"  # Amazon answered 204
    REFUSED = "REFUSED"  # Amazon refused it (4xx): shown with its reason, retryable by hand
    FAILED = "FAILED"  # gave up after transient errors: retryable


class AmazonShipment(models.Model):
    """One Saleor fulfillment of an Amazon order, confirmed to Amazon once (confirmShipment)."""

    order = models.ForeignKey(AmazonOrder, on_delete=models.CASCADE, related_name="shipments")
    fulfillment_id = models.BigIntegerField()
    status = models.CharField(max_length=20, choices=ShipmentStatus.choices, default=ShipmentStatus.PENDING)
    carrier_code = models.CharField(max_length=100, blank=True, default="")
    carrier_name = models.CharField(max_length=100, blank=True, default="")
    tracking_number = models.CharField(max_length=255, blank=True, default="")
    ship_date = models.DateTimeField(null=True, blank=True)
    items = models.JSONField(default=list)  # [{"orderItemId", "quantity"}]
    attempts = models.PositiveIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    error_code = models.CharField(max_length=64, blank=True, default="")
    error_message = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(fields=["fulfillment_id"], name="amazon_channel_one_shipment_per_fulfillment"),
        ]


class OrderSync(models.Model):
    """A store's order poll: its cursor, the page in progress, and what happened last."""

    store = models.OneToOneField("saleor_amazon_channel.AmazonStore", on_delete=models.CASCADE,
                                 related_name="order_sync")
    # lastUpdatedAfter of the next window (Amazon's echoed lastUpdatedBefore of the last finished one).
    cursor = models.DateTimeField(null=True, blank=True)
    # The window in progress: its bounds and the next page's token (resumed by the next poll).
    window_after = models.DateTimeField(null=True, blank=True)
    window_before = models.DateTimeField(null=True, blank=True)
    page_token = models.CharField(max_length=2000, blank=True, default="")
    # A poller holds the store until then (a killed one's lease runs out).
    lease_until = models.DateTimeField(null=True, blank=True)
    last_poll_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True)
    last_error_code = models.CharField(max_length=64, blank=True, default="")
    last_error_message = models.CharField(max_length=500, blank=True, default="")
    orders_seen = models.PositiveIntegerField(default=0)
