"""Host fixtures for the stand-in host (tests/standin)."""

import itertools

import pytest

from saleor_amazon_channel import PLUGIN_ID, PLUGIN_NAME
from tests.standin import adapter, tokens
from tests.standin.account.models import StaffNotificationRecipient, User
from tests.standin.app.models import App
from tests.standin.attribute.models import Attribute, AttributeType
from tests.standin.channel.models import Channel
from tests.standin.plugins.models import PluginConfiguration

_counter = itertools.count(1)

HOST_NAME = "standin"


@pytest.fixture
def make_channel(db):
    def make(slug=None, name=None, currency_code="USD"):
        n = next(_counter)
        slug = slug or f"amazon-test-channel-{n}"
        return Channel.objects.create(slug=slug, name=name or slug.title(), currency_code=currency_code, is_active=True)

    return make


@pytest.fixture
def make_attribute(db):
    def make(slug, name=None, page=False):
        return Attribute.objects.create(
            slug=slug, name=name or slug.upper(), type=AttributeType.PAGE_TYPE if page else AttributeType.PRODUCT_TYPE
        )

    return make


@pytest.fixture
def make_staff(db):
    def make(permissions=("MANAGE_CHANNELS",), email=None):
        email = email or f"staff{next(_counter)}@example.com"
        return User.objects.create(email=email, is_staff=True, permissions=list(permissions))

    return make


@pytest.fixture
def set_staff_permissions(db):
    """Replace a staff user's permissions (as an administrator would, after the fact)."""

    def set_permissions(user, permissions=()):
        User.objects.filter(pk=user.pk).update(permissions=list(permissions))

    return set_permissions


@pytest.fixture
def make_app(db):
    """Returns (app, raw token)."""

    def make(permissions=("MANAGE_CHANNELS",), name="Amazon helper app"):
        app = App.objects.create(name=name, permissions=list(permissions))
        return app, tokens.create_app_token(app)

    return make


@pytest.fixture
def auth_header():
    """HTTP headers (Django test-client kwargs) authenticating a user or an app token."""

    def make(user=None, app_token=None, token_type="access", permissions=None, expired=False):
        if app_token:
            return {"HTTP_AUTHORIZATION": f"Bearer {app_token}"}
        if user is None:
            return {}
        from datetime import timedelta

        ttl = timedelta(seconds=-30) if expired else timedelta(minutes=5)
        token = tokens.create_access_token(user, type=token_type, permissions=permissions, ttl=ttl)
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    return make


@pytest.fixture
def configure_plugin(db):
    def configure(active=True, **values):
        items = [{"name": name, "value": value} for name, value in values.items()]
        row, _ = PluginConfiguration.objects.get_or_create(identifier=PLUGIN_ID, defaults={"name": PLUGIN_NAME})
        current = {item["name"]: item["value"] for item in row.configuration}
        current.update({item["name"]: item["value"] for item in items})
        row.configuration = [{"name": k, "value": v} for k, v in current.items()]
        row.active = active
        row.save()
        return row

    return configure


@pytest.fixture
def add_staff_notification_recipient(db):
    def add(email):
        return StaffNotificationRecipient.objects.create(staff_email=email, active=True)

    return add


@pytest.fixture
def notify_events():
    adapter.NOTIFY_EVENTS.clear()
    yield adapter.NOTIFY_EVENTS
    adapter.NOTIFY_EVENTS.clear()


@pytest.fixture
def make_variant(db):
    """``make_variant(channel, sku=..., variant_values={slug: value}, product_values={slug: value})``: a variant
    listed in ``channel`` (None: not listed), its product and attribute values, the host's way."""
    from tests.standin.attribute.models import (
        AssignedProductAttributeValue,
        AssignedVariantAttribute,
        AssignedVariantAttributeValue,
        AttributeProduct,
        AttributeValue,
        AttributeVariant,
    )
    from tests.standin.product.models import Product, ProductType, ProductVariant, ProductVariantChannelListing

    product_type = ProductType.objects.create(name="Catalog test type")

    def attribute(slug):
        return Attribute.objects.get_or_create(slug=slug, defaults={"name": slug.upper(), "input_type": "plain-text"})[
            0
        ]

    def value(slug, text):
        n = next(_counter)
        return AttributeValue.objects.create(
            attribute=attribute(slug), name=text[:250], slug=f"{slug}-{n}", plain_text=text
        )

    def make(channel, sku=None, name="", product_name=None, variant_values=None, product_values=None, product=None):
        n = next(_counter)
        if product is None:
            product = Product.objects.create(
                product_type=product_type, name=product_name or f"Product {n}", slug=f"product-{n}"
            )
            for slug, text in (product_values or {}).items():
                AttributeProduct.objects.get_or_create(attribute=attribute(slug), product_type=product_type)
                AssignedProductAttributeValue.objects.create(value=value(slug, text), product=product, sort_order=0)
        variant = ProductVariant.objects.create(sku=sku, name=name, product=product)
        for slug, text in (variant_values or {}).items():
            assignment, _ = AttributeVariant.objects.get_or_create(attribute=attribute(slug), product_type=product_type)
            assigned = AssignedVariantAttribute.objects.create(variant=variant, assignment=assignment)
            AssignedVariantAttributeValue.objects.create(
                value=value(slug, text), assignment=assigned, variant=variant, sort_order=0
            )
        if channel is not None:
            ProductVariantChannelListing.objects.create(
                variant=variant, channel=channel, currency=channel.currency_code, price_amount=10
            )
        return variant

    return make


@pytest.fixture
def set_variant_value(db):
    """Change a variant's (variant-level) attribute value, as an edit in the dashboard does."""
    from tests.standin.attribute.models import AssignedVariantAttributeValue

    def set_value(variant, slug, text):
        assigned = AssignedVariantAttributeValue.objects.get(variant=variant, value__attribute__slug=slug)
        assigned.value.name, assigned.value.plain_text = text[:250], text
        assigned.value.save()

    return set_value


@pytest.fixture
def unlist_variant(db):
    def unlist(variant, channel):
        from tests.standin.product.models import ProductVariantChannelListing

        ProductVariantChannelListing.objects.filter(variant=variant, channel=channel).delete()

    return unlist


# --- Orders: stock, the orders Saleor holds, fulfilling one (what the Saleor adapter's hooks see) -------


@pytest.fixture
def make_stock(db):
    """``make_stock(variant, channel, quantity)``: stock in a warehouse serving the channel (one per channel)."""
    from tests.standin.warehouse.models import ChannelWarehouse, Stock, Warehouse

    def make(variant, channel, quantity):
        link = ChannelWarehouse.objects.filter(channel=channel).select_related("warehouse").first()
        if link is None:
            n = next(_counter)
            warehouse = Warehouse.objects.create(name=f"Warehouse {n}", slug=f"warehouse-{n}")
            link = ChannelWarehouse.objects.create(channel=channel, warehouse=warehouse, sort_order=0)
        stock, _ = Stock.objects.update_or_create(
            warehouse=link.warehouse, product_variant=variant, defaults={"quantity": quantity}
        )
        return stock

    return make


@pytest.fixture
def stock_of(db):
    """``stock_of(variant)``: (quantity, quantity_allocated) summed over warehouses."""
    from django.db.models import Sum

    from tests.standin.warehouse.models import Stock

    def read(variant):
        totals = Stock.objects.filter(product_variant=variant).aggregate(q=Sum("quantity"), a=Sum("quantity_allocated"))
        return totals["q"] or 0, totals["a"] or 0

    return read


@pytest.fixture
def host_orders(db):
    """``host_orders()``: every order the host holds, as dicts (reference, status, lines, totals, e-mail)."""
    from tests.standin.order.models import Order

    def read():
        return [
            {
                "id": str(order.pk), "external_reference": order.external_reference, "status": order.status,
                "user_email": order.user_email, "currency": order.currency, "channel_id": order.channel_id,
                "total_gross": order.total_gross_amount, "total_net": order.total_net_amount,
                "shipping_gross": order.shipping_price_gross_amount, "customer_note": order.customer_note,
                "metadata": order.metadata, "shipping_address": order.shipping_address,
                "lines": [(line.variant_id, line.quantity, line.unit_price_gross_amount, line.unit_price_net_amount)
                          for line in order.lines.all()],
            }
            for order in Order.objects.order_by("number")
        ]

    return read


@pytest.fixture
def order_webhooks():
    from tests.standin import adapter

    adapter.ORDER_EVENTS.clear()
    yield adapter.ORDER_EVENTS
    adapter.ORDER_EVENTS.clear()


@pytest.fixture
def fulfill(db):
    """``fulfill(order_id, {variant_id: quantity}, tracking_number="", carrier="")``: a fulfillment as the
    Dashboard makes it, then what the Saleor adapter's ``fulfillment_created`` hook does. Returns its id."""
    from django.db import transaction

    from saleor_amazon_channel.orders.hooks import fulfillment_created
    from tests.standin.order.models import Fulfillment, FulfillmentLine, Order

    def make(order_id, quantities, tracking_number="", carrier="", hook=True):
        with transaction.atomic():
            order = Order.objects.get(pk=order_id)
            fulfillment = Fulfillment.objects.create(
                order=order, fulfillment_order=order.fulfillments.count() + 1, tracking_number=tracking_number,
                metadata={"carrier": carrier} if carrier else {},
            )
            for line in order.lines.all():
                quantity = quantities.get(line.variant_id, 0)
                if quantity:
                    FulfillmentLine.objects.create(order_line=line, fulfillment=fulfillment, quantity=quantity)
                    line.quantity_fulfilled += quantity
                    line.save()
            done = all(line.quantity_fulfilled >= line.quantity for line in order.lines.all())
            order.status = "fulfilled" if done else "partially fulfilled"
            order.save()
            if hook:
                fulfillment_created(str(order.pk), fulfillment.pk)
        return fulfillment.pk

    return make


@pytest.fixture
def set_tracking(db):
    """``set_tracking(fulfillment_id, number)``: Saleor's fulfillmentUpdateTracking, then the adapter's hook."""
    from saleor_amazon_channel.orders.hooks import fulfillment_created
    from tests.standin.order.models import Fulfillment

    def update(fulfillment_id, number):
        fulfillment = Fulfillment.objects.get(pk=fulfillment_id)
        fulfillment.tracking_number = number
        fulfillment.save()
        fulfillment_created(str(fulfillment.order_id), fulfillment.pk)

    return update
@pytest.fixture
def make_warehouse(db):
    """``make_warehouse(*channels, name=...)``: a warehouse serving those channels."""
    from tests.standin.warehouse.models import ChannelWarehouse, Warehouse

    def make(*channels, name=None):
        n = next(_counter)
        warehouse = Warehouse.objects.create(name=name or f"Warehouse {n}", slug=f"warehouse-{n}")
        for channel in channels:
            ChannelWarehouse.objects.create(channel=channel, warehouse=warehouse)
        return warehouse

    return make


@pytest.fixture
def set_stock(db):
    """``set_stock(variant, warehouse, quantity, allocated=0)``, as Saleor keeps it (allocations by order line)."""
    import uuid

    from tests.standin.warehouse.models import Allocation, Stock

    def set_stock(variant, warehouse, quantity, allocated=0):
        stock, _ = Stock.objects.update_or_create(
            warehouse=warehouse, product_variant=variant,
            defaults={"quantity": quantity, "quantity_allocated": allocated},
        )
        Allocation.objects.filter(stock=stock).delete()
        if allocated:
            Allocation.objects.create(order_line_id=uuid.uuid4(), stock=stock, quantity_allocated=allocated)
        return stock

    return set_stock


@pytest.fixture
def set_channel_price(db):
    """``set_channel_price(variant, channel, price, cost=None, currency=None)``; ``track_inventory`` too."""
    from tests.standin.product.models import ProductVariant, ProductVariantChannelListing

    def set_price(variant, channel, price, cost=None, currency=None, track_inventory=None):
        ProductVariantChannelListing.objects.filter(variant=variant, channel=channel).update(
            price_amount=price, cost_price_amount=cost, currency=currency or channel.currency_code
        )
        if track_inventory is not None:
            ProductVariant.objects.filter(pk=variant.pk).update(track_inventory=track_inventory)

    return set_price


@pytest.fixture
def rule_catalog(db):
    """What rules test about products, the host's way: product types, categories (a tree), collections,
    attribute values by slug, and the product's publication in a channel."""
    from types import SimpleNamespace

    from tests.standin.attribute.models import (
        AssignedProductAttributeValue,
        AssignedVariantAttribute,
        AssignedVariantAttributeValue,
        AttributeValue,
        AttributeVariant,
    )
    from tests.standin.product.models import (
        Category,
        Collection,
        CollectionProduct,
        Product,
        ProductChannelListing,
        ProductType,
    )

    def product_type(name):
        return ProductType.objects.create(name=name)

    def category(name, parent=None):
        return Category.objects.create(name=name, slug=f"category-{next(_counter)}", parent=parent)

    def collection(name):
        return Collection.objects.create(name=name, slug=f"collection-{next(_counter)}")

    def place(variant, product_type=None, category=None, collections=()):
        product = Product.objects.get(pk=variant.product_id)
        if product_type is not None:
            product.product_type = product_type
        if category is not None:
            product.category = category
        product.save()
        for found in collections:
            CollectionProduct.objects.get_or_create(collection=found, product=product)

    def value(variant, attribute_slug, value_slug, level="product"):
        attribute = Attribute.objects.get_or_create(slug=attribute_slug, defaults={"name": attribute_slug})[0]
        found = AttributeValue.objects.get_or_create(attribute=attribute, slug=value_slug,
                                                     defaults={"name": value_slug})[0]
        product = Product.objects.get(pk=variant.product_id)
        if level == "product":
            AssignedProductAttributeValue.objects.create(value=found, product=product, sort_order=0)
        else:
            assignment = AttributeVariant.objects.get_or_create(attribute=attribute,
                                                                product_type_id=product.product_type_id)[0]
            assigned = AssignedVariantAttribute.objects.get_or_create(variant=variant, assignment=assignment)[0]
            AssignedVariantAttributeValue.objects.create(value=found, assignment=assigned, variant=variant)

    def attribute_value(attribute_slug, value_slug, value_name):
        attribute = Attribute.objects.get_or_create(slug=attribute_slug, defaults={"name": attribute_slug})[0]
        return AttributeValue.objects.create(attribute=attribute, slug=value_slug, name=value_name)

    def publish(variant, channel, published=True, published_at=None, available_at=None):
        ProductChannelListing.objects.update_or_create(
            product_id=variant.product_id, channel=channel,
            defaults={"is_published": published, "published_at": published_at,
                      "available_for_purchase_at": available_at, "currency": channel.currency_code},
        )

    return SimpleNamespace(product_type=product_type, category=category, collection=collection, place=place,
                           value=value, attribute_value=attribute_value, publish=publish)
