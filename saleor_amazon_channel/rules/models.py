"""A store's listing rules (one condition tree) and its price rules (applied by priority, 1 first)."""

from datetime import datetime

from django.db import models
from django.utils import timezone


class ListingRules(models.Model):
    """Which of the channel's variants the store offers on Amazon; the others are Ineligible.

    ``conditions`` is a tree (:mod:`.conditions`); empty: every variant is eligible (Adobe's default)."""

    store = models.OneToOneField(
        "saleor_amazon_channel.AmazonStore", on_delete=models.CASCADE, related_name="listing_rules"
    )
    conditions = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)


class PriceAction(models.TextChoices):
    INCREASE = "INCREASE"
    DECREASE = "DECREASE"


class AmountType(models.TextChoices):
    PERCENTAGE = "PERCENTAGE"
    FIXED = "FIXED"


class Rounding(models.TextChoices):
    NONE = "NONE"
    UP = "UP"  # to the next price with the ending (23.41 → 23.99)
    DOWN = "DOWN"  # to the previous one (23.41 → 22.99)
    NEAREST = "NEAREST"


class FloorType(models.TextChoices):
    NONE = "NONE"
    FIXED = "FIXED"  # never below floor_amount
    COST_MARGIN = "COST_MARGIN"  # never below the variant's cost price in the channel + floor_amount %


class CeilingType(models.TextChoices):
    NONE = "NONE"
    FIXED = "FIXED"  # never above ceiling_amount
    PRICE_MARGIN = "PRICE_MARGIN"  # never above the channel price + ceiling_amount %


class PriceRule(models.Model):
    """Raise or lower the channel price of the variants meeting ``conditions`` (all of them when empty).

    Rules apply one after the other by ``priority`` (1 first, then by creation), each from the price the
    previous ones made; ``stop_further_rules`` discards the rules after it (Adobe's *Discard Subsequent
    Rules*). The price is rounded after the rule's action, then held between the floors and ceilings of
    every rule applied (a floor wins over a ceiling)."""

    store = models.ForeignKey("saleor_amazon_channel.AmazonStore", on_delete=models.CASCADE,
                              related_name="price_rules")
    name = models.CharField(max_length=250)
    description = models.TextField(blank=True, default="")
    is_active = models.BooleanField(default=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    priority = models.PositiveIntegerField(default=1)
    stop_further_rules = models.BooleanField(default=False)
    conditions = models.JSONField(default=dict, blank=True)
    action = models.CharField(max_length=8, choices=PriceAction.choices, default=PriceAction.INCREASE)
    amount_type = models.CharField(max_length=10, choices=AmountType.choices, default=AmountType.PERCENTAGE)
    amount = models.DecimalField(max_digits=14, decimal_places=4, default=0)
    rounding = models.CharField(max_length=8, choices=Rounding.choices, default=Rounding.NONE)
    rounding_ending = models.DecimalField(max_digits=6, decimal_places=3, default="0.99")
    floor_type = models.CharField(max_length=12, choices=FloorType.choices, default=FloorType.NONE)
    floor_amount = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    ceiling_type = models.CharField(max_length=12, choices=CeilingType.choices, default=CeilingType.NONE)
    ceiling_amount = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("priority", "pk")
        indexes = [models.Index(fields=["store", "priority"], name="amazon_channel_price_rules")]

    def in_effect(self, now: datetime) -> bool:
        return self.is_active and (self.starts_at is None or self.starts_at <= now) and (
            self.ends_at is None or now < self.ends_at
        )
