"""Saleor 3.23's order tables (saleor/order/models.py), reduced to what the plugin writes and reads:
same app label, table and field names. Addresses are kept on the order as JSON (Saleor: account.Address
rows); the order number comes from a sequence table (Saleor: a database sequence)."""

import uuid

from django.db import models
from django.utils import timezone


class OrderNumber(models.Model):
    """Saleor's ``order_order_number_seq``: one row per number handed out."""


def next_order_number() -> int:
    return OrderNumber.objects.create().pk


class Order(models.Model):
    id = models.UUIDField(primary_key=True, editable=False, unique=True, default=uuid.uuid4)
    number = models.IntegerField(unique=True, default=next_order_number, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False, db_index=True)
    status = models.CharField(max_length=32, default="unfulfilled")
    origin = models.CharField(max_length=32, default="bulk_create")
    user_email = models.EmailField(blank=True, default="")
    currency = models.CharField(max_length=3)
    channel = models.ForeignKey("channel.Channel", related_name="orders", on_delete=models.PROTECT)
    shipping_method_name = models.CharField(max_length=255, null=True, default=None, blank=True)
    shipping_price_net_amount = models.DecimalField(max_digits=20, decimal_places=3, default=0)
    shipping_price_gross_amount = models.DecimalField(max_digits=20, decimal_places=3, default=0)
    total_net_amount = models.DecimalField(max_digits=20, decimal_places=3, default=0)
    total_gross_amount = models.DecimalField(max_digits=20, decimal_places=3, default=0)
    subtotal_net_amount = models.DecimalField(max_digits=20, decimal_places=3, default=0)
    subtotal_gross_amount = models.DecimalField(max_digits=20, decimal_places=3, default=0)
    lines_count = models.PositiveIntegerField(default=0)
    customer_note = models.TextField(blank=True, default="")
    external_reference = models.CharField(max_length=250, unique=True, blank=True, null=True, db_index=True)
    metadata = models.JSONField(blank=True, null=True, default=dict)
    private_metadata = models.JSONField(blank=True, null=True, default=dict)
    shipping_address = models.JSONField(null=True, blank=True)
    billing_address = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ("-number",)


class OrderLine(models.Model):
    id = models.UUIDField(primary_key=True, editable=False, unique=True, default=uuid.uuid4)
    created_at = models.DateTimeField(auto_now_add=True)
    order = models.ForeignKey(Order, related_name="lines", editable=False, on_delete=models.CASCADE)
    variant = models.ForeignKey(
        "product.ProductVariant", related_name="order_lines", on_delete=models.SET_NULL, blank=True, null=True
    )
    product_name = models.CharField(max_length=386)
    variant_name = models.CharField(max_length=255, default="", blank=True)
    product_sku = models.CharField(max_length=255, null=True, blank=True)
    quantity = models.IntegerField()
    quantity_fulfilled = models.IntegerField(default=0)
    currency = models.CharField(max_length=3)
    unit_price_net_amount = models.DecimalField(max_digits=20, decimal_places=3)
    unit_price_gross_amount = models.DecimalField(max_digits=20, decimal_places=3)
    total_price_net_amount = models.DecimalField(max_digits=20, decimal_places=3)
    total_price_gross_amount = models.DecimalField(max_digits=20, decimal_places=3)
    tax_rate = models.DecimalField(max_digits=5, decimal_places=4, blank=True, null=True)
    is_shipping_required = models.BooleanField(default=True)
    is_gift_card = models.BooleanField(default=False)

    class Meta:
        ordering = ("created_at", "id")


class Fulfillment(models.Model):
    fulfillment_order = models.PositiveIntegerField(editable=False)
    order = models.ForeignKey(Order, related_name="fulfillments", editable=False, on_delete=models.CASCADE)
    status = models.CharField(max_length=32, default="fulfilled")
    tracking_number = models.CharField(max_length=255, default="", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    metadata = models.JSONField(blank=True, null=True, default=dict)
    private_metadata = models.JSONField(blank=True, null=True, default=dict)

    class Meta:
        ordering = ("pk",)


class FulfillmentLine(models.Model):
    order_line = models.ForeignKey(OrderLine, related_name="+", on_delete=models.CASCADE)
    fulfillment = models.ForeignKey(Fulfillment, related_name="lines", on_delete=models.CASCADE)
    quantity = models.PositiveIntegerField()
    stock = models.ForeignKey("warehouse.Stock", related_name="+", on_delete=models.SET_NULL, blank=True, null=True)
