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
        slug = slug or f"channel-{n}"
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
