"""Catalog match runs, their batches, and one result per (store, variant).

Imported by ``saleor_amazon_channel.models`` so Django registers them in the app.
Saleor's variant is referenced by app label ("product.ProductVariant"): deleting
a variant deletes its results.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class MatchStatus(models.TextChoices):
    MATCHED = "MATCHED"
    MULTIPLE_MATCHES = "MULTIPLE_MATCHES"
    NO_MATCH = "NO_MATCH"
    INVALID_IDENTIFIER = "INVALID_IDENTIFIER"
    NO_IDENTIFIER = "NO_IDENTIFIER"
    ERROR = "ERROR"


class RunStatus(models.TextChoices):
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


ACTIVE_RUN_STATUSES = (RunStatus.PENDING, RunStatus.RUNNING)


class CatalogMatchRun(models.Model):
    store = models.ForeignKey(
        "saleor_amazon_channel.AmazonStore", on_delete=models.CASCADE, related_name="catalog_runs"
    )
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.PENDING)
    # Variants listed in the channel, and how many of them are settled (looked up, or needing no call).
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # Settled by planning alone (unchanged, no or invalid identifier): the ETA only counts lookups.
    planned_done = models.PositiveIntegerField(default=0)
    amazon_calls = models.PositiveIntegerField(default=0)
    actor = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Moved on by every planned run and committed batch: a run that stopped moving lost its task.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    last_error_code = models.CharField(max_length=64, blank=True, default="")
    last_error_message = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            # One run per store at a time, whoever starts it (staff, beat, a retried task).
            models.UniqueConstraint(
                fields=["store"],
                condition=Q(status__in=["PENDING", "RUNNING"]),
                name="amazon_channel_one_active_catalog_run",
            )
        ]
        indexes = [models.Index(fields=["store", "-created_at"], name="amazon_channel_catrun_store")]

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_RUN_STATUSES


class CatalogMatchBatch(models.Model):
    """Up to 20 identifiers for one searchCatalogItems call; claimed, then committed with its results."""

    class Status(models.TextChoices):
        PENDING = "pending"
        CLAIMED = "claimed"
        DONE = "done"

    run = models.ForeignKey(CatalogMatchRun, on_delete=models.CASCADE, related_name="batches")
    number = models.PositiveIntegerField()
    # [[variant_id, identifier sent to Amazon], ...]
    items = models.JSONField(default=list)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    # A claimed batch whose lease ran out (its worker died) is claimed again.
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "number"], name="amazon_channel_catbatch_number")]
        indexes = [models.Index(fields=["run", "status", "number"], name="amazon_channel_catbatch_todo")]


class CatalogMatch(models.Model):
    """The latest result of one variant for one store."""

    store = models.ForeignKey(
        "saleor_amazon_channel.AmazonStore", on_delete=models.CASCADE, related_name="catalog_matches"
    )
    variant = models.ForeignKey("product.ProductVariant", on_delete=models.CASCADE, related_name="+")
    # channel|type|source|attribute the result was computed under: a mapping change hides it at once.
    mapping = models.CharField(max_length=300)
    # Copied from Saleor at planning time: lists and search read no Saleor table.
    sku = models.CharField(max_length=255, blank=True, default="")
    name = models.CharField(max_length=512, blank=True, default="")
    identifier = models.CharField(max_length=255, blank=True, default="")
    status = models.CharField(max_length=20, choices=MatchStatus.choices, null=True, blank=True)
    asin = models.CharField(max_length=10, blank=True, default="")
    asins = models.JSONField(default=list, blank=True)
    title = models.CharField(max_length=500, blank=True, default="")
    brand = models.CharField(max_length=255, blank=True, default="")
    image_url = models.URLField(max_length=1000, blank=True, default="")
    error_code = models.CharField(max_length=64, blank=True, default="")
    # Amazon's product type of the matched item in the store's marketplace (productTypes), for listing offers.
    product_type = models.CharField(max_length=100, blank=True, default="")
    # When Amazon was last asked (null: never, or settled locally); decides staleness.
    checked_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "variant"], name="amazon_channel_one_match_per_variant")
        ]
        indexes = [
            models.Index(fields=["store", "mapping", "status"], name="amazon_channel_catmatch_status"),
            models.Index(fields=["store", "name", "variant"], name="amazon_channel_catmatch_list"),
        ]


class RateBucket(models.Model):
    """A usage-plan token bucket shared by every worker: GCRA's theoretical arrival time per key."""

    key = models.CharField(max_length=200, unique=True)
    tat = models.FloatField(default=0.0)  # epoch seconds
    rate = models.FloatField()
    burst = models.PositiveIntegerField()
