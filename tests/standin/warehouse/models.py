"""Saleor 3.23's warehouse tables (saleor/warehouse/models.py), reduced to what the plugin reads and writes:
same app label, table and field names. The stand-in has no orders: ``Allocation.order_line_id`` is Saleor's
column (a UUID) without its foreign key."""

import uuid

from django.db import models


class ChannelWarehouse(models.Model):
    channel = models.ForeignKey("channel.Channel", related_name="channelwarehouse", on_delete=models.CASCADE)
    warehouse = models.ForeignKey("Warehouse", related_name="channelwarehouse", on_delete=models.CASCADE)
    sort_order = models.IntegerField(editable=False, db_index=True, null=True)

    class Meta:
        unique_together = (("channel", "warehouse"),)
        ordering = ("sort_order", "pk")


class Warehouse(models.Model):
    id = models.UUIDField(default=uuid.uuid4, primary_key=True)
    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True, allow_unicode=True)
    channels = models.ManyToManyField("channel.Channel", related_name="warehouses", through=ChannelWarehouse)
    email = models.EmailField(blank=True, default="")

    class Meta:
        ordering = ("-slug",)


class Stock(models.Model):
    warehouse = models.ForeignKey(Warehouse, null=False, on_delete=models.CASCADE)
    product_variant = models.ForeignKey(
        "product.ProductVariant", null=False, on_delete=models.CASCADE, related_name="stocks"
    )
    quantity = models.IntegerField(default=0)
    quantity_allocated = models.IntegerField(default=0)

    class Meta:
        unique_together = [["warehouse", "product_variant"]]
        ordering = ("pk",)


class Allocation(models.Model):
    order_line_id = models.UUIDField()
    stock = models.ForeignKey(Stock, null=False, blank=False, on_delete=models.CASCADE, related_name="allocations")
    quantity_allocated = models.PositiveIntegerField(default=0)

    class Meta:
        unique_together = [["order_line_id", "stock"]]
        ordering = ("pk",)
