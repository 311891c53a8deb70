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


class AttributeValue(models.Model):
    """Saleor's AttributeValue: ``name`` for choices and numbers, ``plain_text`` for plain-text attributes."""

    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, allow_unicode=True)
    attribute = models.ForeignKey(Attribute, related_name="values", on_delete=models.CASCADE)
    plain_text = models.TextField(blank=True, null=True)


class AttributeProduct(models.Model):
    attribute = models.ForeignKey(Attribute, related_name="attributeproduct", on_delete=models.CASCADE)
    product_type = models.ForeignKey("product.ProductType", related_name="attributeproduct", on_delete=models.CASCADE)


class AssignedProductAttributeValue(models.Model):
    value = models.ForeignKey(AttributeValue, on_delete=models.CASCADE, related_name="productvalueassignment")
    product = models.ForeignKey("product.Product", related_name="attributevalues", on_delete=models.CASCADE)
    sort_order = models.IntegerField(null=True, db_index=True)

    class Meta:
        unique_together = (("value", "product"),)


class AttributeVariant(models.Model):
    attribute = models.ForeignKey(Attribute, related_name="attributevariant", on_delete=models.CASCADE)
    product_type = models.ForeignKey("product.ProductType", related_name="attributevariant", on_delete=models.CASCADE)


class AssignedVariantAttribute(models.Model):
    variant = models.ForeignKey("product.ProductVariant", related_name="attributes", on_delete=models.CASCADE)
    assignment = models.ForeignKey(AttributeVariant, on_delete=models.CASCADE, related_name="variantassignments")

    class Meta:
        unique_together = (("variant", "assignment"),)


class AssignedVariantAttributeValue(models.Model):
    value = models.ForeignKey(AttributeValue, on_delete=models.CASCADE, related_name="variantvalueassignment")
    assignment = models.ForeignKey(
        AssignedVariantAttribute, on_delete=models.CASCADE, related_name="variantvalueassignment"
    )
    variant = models.ForeignKey(
        "product.ProductVariant", related_name="attributevalues", on_delete=models.CASCADE, null=True, blank=True
    )
    sort_order = models.IntegerField(null=True, db_index=True)

    class Meta:
        unique_together = (("value", "assignment"),)
