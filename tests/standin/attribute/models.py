from django.db import models


class AttributeType:
    PRODUCT_TYPE = "product-type"
    PAGE_TYPE = "page-type"


class Attribute(models.Model):
    """Saleor's Attribute: slug, name and type are what the plugin reads."""

    slug = models.SlugField(max_length=250, unique=True, allow_unicode=True)
    name = models.CharField(max_length=255)
    type = models.CharField(max_length=50, default=AttributeType.PRODUCT_TYPE)
    input_type = models.CharField(max_length=50, default="dropdown")

    class Meta:
        ordering = ("slug",)
