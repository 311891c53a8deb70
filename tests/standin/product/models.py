"""Saleor's product tables, reduced to what the catalog match reads (same app label and names)."""

from django.db import models


class ProductType(models.Model):
    name = models.CharField(max_length=250)


class Product(models.Model):
    product_type = models.ForeignKey(ProductType, related_name="products", on_delete=models.CASCADE)
    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True, allow_unicode=True)


class ProductVariant(models.Model):
    sku = models.CharField(max_length=255, unique=True, null=True, blank=True)
    name = models.CharField(max_length=255, blank=True)
    product = models.ForeignKey(Product, related_name="variants", on_delete=models.CASCADE)
    track_inventory = models.BooleanField(default=True)


class ProductVariantChannelListing(models.Model):
    variant = models.ForeignKey(ProductVariant, related_name="channel_listings", on_delete=models.CASCADE)
    channel = models.ForeignKey("channel.Channel", related_name="variant_listings", on_delete=models.CASCADE)
    currency = models.CharField(max_length=3)
    price_amount = models.DecimalField(max_digits=12, decimal_places=3, blank=True, null=True)
    cost_price_amount = models.DecimalField(max_digits=12, decimal_places=3, blank=True, null=True)

    class Meta:
        unique_together = [["variant", "channel"]]
