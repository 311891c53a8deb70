"""Listing settings per store, one listing per store × variant (or third-party SKU), sync runs, feeds, and
the cached product type requirements.

A listing holds three versions of its offer: the **desired** one (computed from Saleor, numbered by
``desired_version``), the one **last accepted** by Amazon (``accepted_*``, ``accepted_version``) and
what Amazon **shows** (``amazon_*``, read back). The engine sends while ``accepted_version <
desired_version``; ``sending_version`` is the version a worker holds (claimed with a lease).
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

CONDITIONS = (
    "new_new", "new_open_box", "new_oem", "refurbished_refurbished", "used_like_new", "used_very_good",
    "used_good", "used_acceptable", "collectible_like_new", "collectible_very_good", "collectible_good",
    "collectible_acceptable", "club_club",
)
MERCHANT_FULFILLED = "DEFAULT"


class ListingState(models.TextChoices):
    INCOMPLETE = "INCOMPLETE"
    READY_TO_LIST = "READY_TO_LIST"
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"
    ENDED = "ENDED"
    ERROR = "ERROR"
    THIRD_PARTY = "THIRD_PARTY"
    # Excluded by the store's listing rules: not listed; an offer already on Amazon gets quantity 0.
    INELIGIBLE = "INELIGIBLE"


class Operation(models.TextChoices):
    NONE = ""
    PUT = "put"  # a new offer (LISTING_OFFER_ONLY)
    PATCH = "patch"  # price, quantity, handling time of an existing offer
    DELETE = "delete"  # ended


class ListingSettings(models.Model):
    store = models.OneToOneField(
        "saleor_amazon_channel.AmazonStore", on_delete=models.CASCADE, related_name="listing_settings"
    )
    # Automatically list eligible offers (Adobe's default), or hold them in Ready to list.
    auto_list = models.BooleanField(default=True)
    handling_time = models.PositiveSmallIntegerField(default=2)
    # An Amazon condition code (new_new, ...), unless condition_attribute names a Saleor attribute to read it from.
    condition = models.CharField(max_length=32, default="new_new")
    condition_attribute = models.CharField(max_length=255, blank=True, default="")
    # Saleor warehouse ids counted towards quantity; empty: every warehouse of the channel.
    warehouse_ids = models.JSONField(default=list, blank=True)
    out_of_stock_threshold = models.PositiveIntegerField(default=0)
    max_quantity = models.PositiveIntegerField(null=True, blank=True)
    untracked_quantity = models.PositiveIntegerField(default=100)
    import_third_party = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)


class Listing(models.Model):
    store = models.ForeignKey("saleor_amazon_channel.AmazonStore", on_delete=models.CASCADE, related_name="listings")
    # Null for third-party offers, and once the variant is deleted (the offer is then ended on Amazon).
    variant = models.ForeignKey(
        "product.ProductVariant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seller_sku = models.CharField(max_length=40)
    sku_generated = models.BooleanField(default=False)  # the variant has no SKU: a stable one was made up
    asin = models.CharField(max_length=10, blank=True, default="")
    asin_assigned = models.BooleanField(default=False)  # chosen by the merchant, wins over the catalog match
    product_type = models.CharField(max_length=100, blank=True, default="")
    name = models.CharField(max_length=512, blank=True, default="")
    state = models.CharField(max_length=16, choices=ListingState.choices, default=ListingState.INCOMPLETE)
    state_reason = models.CharField(max_length=64, blank=True, default="")
    # Merchant actions: list (when auto-list is off), end.
    list_requested = models.BooleanField(default=False)
    ended = models.BooleanField(default=False)
    # Found on Amazon (the seller's existing offer) rather than created by the channel.
    adopted = models.BooleanField(default=False)

    desired_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    desired_currency = models.CharField(max_length=3, blank=True, default="")
    desired_quantity = models.PositiveIntegerField(null=True, blank=True)
    desired_handling_time = models.PositiveSmallIntegerField(null=True, blank=True)
    desired_condition = models.CharField(max_length=32, blank=True, default="")
    # Rules and overrides applied, in order, for the listing's page ("why this price").
    desired_notes = models.JSONField(default=list, blank=True)
    desired_operation = models.CharField(max_length=8, choices=Operation.choices, blank=True, default="")
    desired_version = models.PositiveIntegerField(default=0)
    # 0 decreases and ends, 1 other changes, 2 new offers: the order the engine sends in.
    priority = models.PositiveSmallIntegerField(default=1)

    override_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    override_quantity = models.PositiveIntegerField(null=True, blank=True)
    override_handling_time = models.PositiveSmallIntegerField(null=True, blank=True)
    override_condition = models.CharField(max_length=32, blank=True, default="")

    accepted_version = models.PositiveIntegerField(default=0)
    accepted_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    accepted_quantity = models.PositiveIntegerField(null=True, blank=True)
    accepted_handling_time = models.PositiveSmallIntegerField(null=True, blank=True)
    accepted_condition = models.CharField(max_length=32, blank=True, default="")
    accepted_at = models.DateTimeField(null=True, blank=True)
    submission_id = models.CharField(max_length=100, blank=True, default="")

    # In flight: the version a worker (or a feed) sent or is sending (marked right before its request), and the
    # claim it holds until ``claimed_until``.
    sending_version = models.PositiveIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)  # whose claim it is: a fencing token per claim
    feed = models.ForeignKey("ListingFeed", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    # What Amazon shows (getListingsItem, the listings report).
    on_amazon = models.BooleanField(default=False)
    fulfillment_channel = models.CharField(max_length=32, blank=True, default=MERCHANT_FULFILLED)
    amazon_status = models.JSONField(default=list, blank=True)  # BUYABLE, DISCOVERABLE
    amazon_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    amazon_quantity = models.IntegerField(null=True, blank=True)
    issues = models.JSONField(default=list, blank=True)
    verify_after = models.DateTimeField(null=True, blank=True)
    verify_attempts = models.PositiveSmallIntegerField(default=0)
    checked_at = models.DateTimeField(null=True, blank=True)
    last_error_code = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "seller_sku"], name="amazon_channel_listing_sku"),
            models.UniqueConstraint(
                fields=["store", "variant"], condition=Q(variant__isnull=False), name="amazon_channel_listing_variant"
            ),
        ]
        indexes = [
            models.Index(fields=["store", "state", "name"], name="amazon_channel_listing_state"),
            models.Index(fields=["store", "priority", "id"], name="amazon_channel_listing_todo",
                         condition=Q(desired_operation__in=["put", "patch", "delete"])),
        ]

    @property
    def has_override(self) -> bool:
        return (
            self.override_price is not None or self.override_quantity is not None
            or self.override_handling_time is not None or bool(self.override_condition)
        )

    @property
    def in_progress(self) -> bool:
        return self.accepted_version < self.desired_version and bool(self.desired_operation)


class SyncStatus(models.TextChoices):
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


ACTIVE_SYNC_STATUSES = (SyncStatus.PENDING, SyncStatus.RUNNING)


class ListingSync(models.Model):
    """One sync run of a store: import existing offers (first run), scan, send, read back."""

    class Phase(models.TextChoices):
        IMPORT = "import"
        SCAN = "scan"
        SEND = "send"
        VERIFY = "verify"

    store = models.ForeignKey("saleor_amazon_channel.AmazonStore", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=SyncStatus.choices, default=SyncStatus.PENDING)
    phase = models.CharField(max_length=8, choices=Phase.choices, default=Phase.IMPORT)
    report_id = models.CharField(max_length=100, blank=True, default="")
    scanned = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    amazon_calls = models.PositiveIntegerField(default=0)
    actor = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    last_error_code = models.CharField(max_length=64, blank=True, default="")
    last_error_message = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["store"], condition=Q(status__in=["PENDING", "RUNNING"]),
                name="amazon_channel_one_active_listing_sync",
            )
        ]


class ListingStoreState(models.Model):
    """What a store's sync has done once and for all: the first import of the seller's existing offers."""

    store = models.OneToOneField("saleor_amazon_channel.AmazonStore", on_delete=models.CASCADE, related_name="+")
    imported_at = models.DateTimeField(null=True, blank=True)


class ListingFeed(models.Model):
    """A JSON_LISTINGS_FEED in flight: its listings are held (``Listing.feed``) until it is DONE or FATAL."""

    store = models.ForeignKey("saleor_amazon_channel.AmazonStore", on_delete=models.CASCADE, related_name="+")
    feed_id = models.CharField(max_length=100, blank=True, default="")
    status = models.CharField(max_length=16, default="IN_QUEUE")
    # [[listing id, version, messageId], ...]
    messages = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)


class ProductTypeRequirements(models.Model):
    """The LISTING_OFFER_ONLY required attributes of a product type in a marketplace (Product Type Definitions)."""

    product_type = models.CharField(max_length=100)
    marketplace_id = models.CharField(max_length=20)
    version = models.CharField(max_length=100, blank=True, default="")
    required = models.JSONField(default=list)
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product_type", "marketplace_id"], name="amazon_channel_ptd_once")
        ]
