"""Saleor's product tables, reduced to what the plugin reads (same app label, table and field names).

Saleor's Category is an MPTT tree; the plugin only reads ``parent``, so the stand-in has no MPTT columns.
"""

from django.db import models


class ProductType(models.Model):
    name = models.CharField(max_length=250)


class Category(models.Model):
    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True, allow_unicode=True)
    parent = models.ForeignKey("self", null=True, blank=True, related_name="children", on_delete=models.CASCADE)


class Product(models.Model):
    product_type = models.ForeignKey(ProductType, related_name="products", on_delete=models.CASCADE)
    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True, allow_unicode=True)
    category = models.ForeignKey(Category, related_name="products", null=True, blank=True, on_delete=models.SET_NULL)


class ProductChannelListing(models.Model):
    """Saleor's ProductChannelListing (a PublishableModel): publication and availability per channel."""

    product = models.ForeignKey(Product, related_name="channel_listings", on_delete=models.CASCADE)
    channel = models.ForeignKey("channel.Channel", related_name="product_listings", on_delete=models.CASCADE)
    is_published = models.BooleanField(default=False)
    published_at = models.DateTimeField(blank=True, null=True)
    visible_in_listings = models.BooleanField(default=False)
    available_for_purchase_at = models.DateTimeField(blank=True, null=True)
    currency = models.CharField(max_length=3, blank=True, default="")

    class Meta:
        unique_together = [["product", "channel"]]


class Collection(models.Model):
    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True, allow_unicode=True)
    products = models.ManyToManyField(Product, blank=True, related_name="collections", through="CollectionProduct",
                                      through_fields=("collection", "product"))


class CollectionProduct(models.Model):
    collection = models.ForeignKey(Collection, related_name="collectionproduct", on_delete=models.CASCADE)
    product = models.ForeignKey(Product, related_name="collectionproduct", on_delete=models.CASCADE)
    sort_order = models.IntegerField(null=True, db_index=True)

    class Meta:
        unique_together = (("collection", "product"),)


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
