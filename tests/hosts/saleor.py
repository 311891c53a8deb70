"""Host fixtures for real Saleor (``pytest --saleor``).

Imported by the root conftest after ``django.setup()`` with Saleor's test settings.
The module-level part mirrors Saleor's own root conftest.py (3.23): both databases
in every test, the replica connection faked onto the writer, Saleor's fixture
modules. Those fixtures include an autouse one that sets ``settings.PLUGINS`` to
dummy gateways, so the plugin is only loaded where ``configure_plugin`` puts it.

Run from this repository with Saleor's environment, this package installed in it
(its ``saleor.plugins`` entry point) and the ``test`` extra's import-linter::

    DATABASE_URL=postgres://…/saleor pytest --saleor --reuse-db -p no:randomly

``--reuse-db`` keeps Saleor's test database (minutes to create); pytest-django
still applies new migrations, ours included, on every run.
"""

import itertools
from datetime import timedelta

import django.test
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from saleor.account.models import StaffNotificationRecipient
from saleor.app.models import App
from saleor.attribute import AttributeType
from saleor.attribute.models import Attribute
from saleor.channel.models import Channel
from saleor.core.jwt import (
    JWT_ACCESS_TYPE,
    JWT_THIRDPARTY_ACCESS_TYPE,
    PERMISSIONS_FIELD,
    USER_PERMISSION_FIELD,
    jwt_encode,
    jwt_user_payload,
)
from saleor.permission.enums import get_permission_names, get_permissions_from_names
from saleor.plugins.manager import get_plugins_manager
from saleor.plugins.models import PluginConfiguration
from saleor.tests.utils import prepare_test_db_connections

from saleor_amazon_channel import PLUGIN_ID, PLUGIN_NAME
from saleor_amazon_channel.core.marketplaces import MARKETPLACES

try:  # Saleor 3.23: test users come from this helper (it sets the user's customer type)
    from saleor.account.tests.fixtures.user import dangerously_create_test_user
except ImportError:  # Saleor 3.21 and 3.22: the manager's create_user, which 3.23 replaced by the helper
    from saleor.account.models import User

    dangerously_create_test_user = User.objects.create_user

HOST_NAME = "saleor"
# Every Amazon marketplace's country: the shipping zone of a test warehouse covers them all.
MARKETPLACE_COUNTRIES = tuple(sorted({m.country_code for m in MARKETPLACES}))
PLUGIN_PATH = "saleor_amazon_channel.plugin.AmazonChannelPlugin"

TEST_DATABASES = {settings.DATABASE_CONNECTION_DEFAULT_NAME, settings.DATABASE_CONNECTION_REPLICA_NAME}
django.test.TransactionTestCase.databases = TEST_DATABASES
django.test.TestCase.databases = TEST_DATABASES
prepare_test_db_connections()
# Saleor 3.22's and 3.23's test settings have this PUBLIC_URL; 3.21's have none (URLs then take the Site's domain).
if not settings.PUBLIC_URL:
    settings.PUBLIC_URL = "https://example.com"

pytest_plugins = [
    "saleor.tests.fixtures",
    "saleor.app.tests.fixtures",
    "saleor.plugins.tests.fixtures",
    "saleor.graphql.tests.fixtures",
    "saleor.webhook.tests.fixtures",
    "saleor.tax.tests.fixtures",
    "saleor.channel.tests.fixtures",
    "saleor.page.tests.fixtures",
    "saleor.menu.tests.fixtures",
    "saleor.warehouse.tests.fixtures",
    "saleor.thumbnail.tests.fixtures",
    "saleor.order.tests.fixtures",
    "saleor.product.tests.fixtures",
    "saleor.site.tests.fixtures",
    "saleor.shipping.tests.fixtures",
    "saleor.permission.tests.fixtures",
    "saleor.giftcard.tests.fixtures",
    "saleor.discount.tests.fixtures",
    "saleor.checkout.tests.fixtures",
    "saleor.attribute.tests.fixtures",
    "saleor.account.tests.fixtures",
    "saleor.graphql.account.tests.fixtures",
    "saleor.payment.tests.fixtures",
    "saleor.webhook.tests.circuit_breaker.fixtures",
]

_counter = itertools.count(1)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The test database is ``<DATABASE_URL's name>_test`` (not pytest-django's ``test_<name>``): every
    database a run touches then starts with the name it was given, so parallel checkouts can keep theirs apart."""
    default = settings.DATABASES[settings.DATABASE_CONNECTION_DEFAULT_NAME]
    default.setdefault("TEST", {})["NAME"] = f"{default['NAME']}_test"


@pytest.fixture
def make_channel(db):
    def make(slug=None, name=None, currency_code="USD"):
        n = next(_counter)
        slug = slug or f"amazon-test-channel-{n}"
        return Channel.objects.create(
            slug=slug, name=name or slug.title(), currency_code=currency_code, default_country="US", is_active=True
        )

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
        email = email or f"amazon-staff{next(_counter)}@example.com"
        user = dangerously_create_test_user(email=email, is_staff=True, is_active=True)
        user.user_permissions.set(get_permissions_from_names(list(permissions)))
        return user

    return make


@pytest.fixture
def set_staff_permissions(db):
    """Replace a staff user's permissions (as an administrator would, after the fact)."""

    def set_permissions(user, permissions=()):
        user.user_permissions.set(get_permissions_from_names(list(permissions)))
        user.groups.clear()

    return set_permissions


@pytest.fixture
def make_app(db):
    """Returns (app, raw token): a LOCAL app with an App token, as ``manage.py create_app`` makes."""

    def make(permissions=("MANAGE_CHANNELS",), name="Amazon helper app"):
        app = App.objects.create(name=name, is_active=True)
        app.permissions.set(get_permissions_from_names(list(permissions)))
        _, raw_token = app.tokens.create(name="Default token")
        return app, raw_token

    return make


@pytest.fixture
def auth_header():
    """HTTP headers (Django test-client kwargs) with a token Saleor issues.

    ``token_type="thirdparty"`` is the dashboard's app/extension token; its
    ``permissions`` claim (app ∩ user) is what Saleor then grants.
    """

    def make(user=None, app_token=None, token_type="access", permissions=None, expired=False):
        if app_token:
            return {"HTTP_AUTHORIZATION": f"Bearer {app_token}"}
        if user is None:
            return {}
        claims = {}
        if permissions is not None:
            claims[PERMISSIONS_FIELD] = list(permissions)
            claims[USER_PERMISSION_FIELD] = sorted(get_permission_names(user.effective_permissions))
        jwt_type = JWT_THIRDPARTY_ACCESS_TYPE if token_type == "thirdparty" else JWT_ACCESS_TYPE
        ttl = timedelta(seconds=-30) if expired else timedelta(minutes=5)
        token = jwt_encode(jwt_user_payload(user, jwt_type, ttl, additional_payload=claims))
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    return make


@pytest.fixture
def configure_plugin(db, settings):
    """Load the plugin (PLUGINS) and save its configuration through Saleor's manager.

    Saleor's validation refuses an active plugin without credentials; tests of that
    state (a credential cleared in the database) get the row written directly.
    """
    settings.PLUGINS = [PLUGIN_PATH]

    def configure(active=True, **values):
        items = [{"name": name, "value": value} for name, value in values.items()]
        manager = get_plugins_manager(allow_replica=False)
        try:
            return manager.save_plugin_configuration(PLUGIN_ID, None, {"active": active, "configuration": items})
        except ValidationError:
            return _write_configuration_row(active, items)

    return configure


def _write_configuration_row(active, items):
    row, _ = PluginConfiguration.objects.get_or_create(
        identifier=PLUGIN_ID, channel=None, defaults={"name": PLUGIN_NAME, "configuration": []}
    )
    current = {item["name"]: item["value"] for item in row.configuration}
    current.update({item["name"]: item["value"] for item in items})
    row.configuration = [{"name": name, "value": value} for name, value in current.items()]
    row.active = active
    row.save()
    return row


@pytest.fixture
def add_staff_notification_recipient(db):
    def add(email):
        return StaffNotificationRecipient.objects.create(staff_email=email, active=True)

    return add


@pytest.fixture
def notify_events(monkeypatch):
    """(event, payload) of every SaleorHost.notify call, as the stand-in records them.

    Recorded when called: Saleor gets them at the commit, which a test's transaction
    never reaches (tests/saleor/test_host.py follows one through to an app's webhook).
    """
    from saleor_amazon_channel.plugin import SaleorHost

    events = []
    original = SaleorHost.notify

    def recording_notify(self, event, payload):
        events.append((event, payload))
        return original(self, event, payload)

    monkeypatch.setattr(SaleorHost, "notify", recording_notify)
    return events


@pytest.fixture
def make_variant(db):
    """``make_variant(channel, sku=..., variant_values={slug: value}, product_values={slug: value})``: a variant
    listed in ``channel`` (None: not listed) with plain-text attribute values, as Saleor stores them."""
    from saleor.attribute import AttributeInputType
    from saleor.attribute.models import (
        AssignedProductAttributeValue,
        AssignedVariantAttribute,
        AssignedVariantAttributeValue,
        AttributeProduct,
        AttributeValue,
        AttributeVariant,
    )
    from saleor.product.models import Product, ProductType, ProductVariant, ProductVariantChannelListing

    n = next(_counter)
    product_type = ProductType.objects.create(name=f"Catalog test type {n}", slug=f"catalog-test-type-{n}")

    def attribute(slug):
        return Attribute.objects.get_or_create(
            slug=slug,
            defaults={
                "name": slug.upper(),
                "type": AttributeType.PRODUCT_TYPE,
                "input_type": AttributeInputType.PLAIN_TEXT,
            },
        )[0]

    def value(slug, text):
        return AttributeValue.objects.create(
            attribute=attribute(slug), name=text[:250], slug=f"{slug}-{next(_counter)}", plain_text=text
        )

    # The value's own ``variant`` column exists from Saleor 3.22 (3.21 reaches the variant through the assignment).
    has_variant = "variant" in {field.name for field in AssignedVariantAttributeValue._meta.get_fields()}

    def make(channel, sku=None, name="", product_name=None, variant_values=None, product_values=None, product=None):
        k = next(_counter)
        if product is None:
            product = Product.objects.create(product_type=product_type, name=product_name or f"Product {k}",
                                             slug=f"amazon-catalog-product-{k}")
            for slug, text in (product_values or {}).items():
                AttributeProduct.objects.get_or_create(attribute=attribute(slug), product_type=product_type)
                AssignedProductAttributeValue.objects.create(value=value(slug, text), product=product)
        variant = ProductVariant.objects.create(sku=sku, name=name, product=product)
        variant_field = {"variant": variant} if has_variant else {}
        for slug, text in (variant_values or {}).items():
            assignment, _ = AttributeVariant.objects.get_or_create(attribute=attribute(slug), product_type=product_type)
            assigned = AssignedVariantAttribute.objects.create(variant=variant, assignment=assignment)
            AssignedVariantAttributeValue.objects.create(value=value(slug, text), assignment=assigned, **variant_field)
        if channel is not None:
            ProductVariantChannelListing.objects.create(
                variant=variant, channel=channel, currency=channel.currency_code, price_amount=10
            )
        return variant

    return make


@pytest.fixture
def set_variant_value(db):
    from saleor.attribute.models import AssignedVariantAttributeValue

    def set_value(variant, slug, text):
        assigned = AssignedVariantAttributeValue.objects.get(assignment__variant=variant, value__attribute__slug=slug)
        assigned.value.name, assigned.value.plain_text = text[:250], text
        assigned.value.save()

    return set_value


@pytest.fixture
def unlist_variant(db):
    def unlist(variant, channel):
        from saleor.product.models import ProductVariantChannelListing

        ProductVariantChannelListing.objects.filter(variant=variant, channel=channel).delete()

    return unlist


# --- Orders: stock, Saleor's orders, fulfilling one through Saleor's own actions --------------------------


@pytest.fixture
def make_stock(db):
    """``make_stock(variant, channel, quantity)``: stock in a warehouse serving the channel (one per channel)."""
    from saleor.account.models import Address
    from saleor.shipping.models import ShippingZone
    from saleor.warehouse.models import ChannelWarehouse, Stock, Warehouse

    def make(variant, channel, quantity):
        link = ChannelWarehouse.objects.filter(channel=channel).select_related("warehouse").first()
        if link is None:
            n = next(_counter)
            address = Address.objects.create(street_address_1="1 Dock Road", city="Seattle", postal_code="98101",
                                             country="US", country_area="WA")
            warehouse = Warehouse.objects.create(name=f"Amazon test warehouse {n}", slug=f"amazon-test-wh-{n}",
                                                 address=address, is_private=False)
            link = ChannelWarehouse.objects.create(channel=channel, warehouse=warehouse)
            # Saleor may count stock by shipping zone (use_legacy_shipping_zone_stock_availability).
            zone = ShippingZone.objects.create(name=f"Amazon test zone {n}", countries=["US", "CA", "GB", "DE"])
            zone.channels.add(channel)
            warehouse.shipping_zones.add(zone)
        stock, _ = Stock.objects.update_or_create(
            warehouse=link.warehouse, product_variant=variant, defaults={"quantity": quantity}
        )
        return stock

    return make


@pytest.fixture
def stock_of(db):
    from django.db.models import Sum
    from saleor.warehouse.models import Stock

    def read(variant):
        totals = Stock.objects.filter(product_variant=variant).aggregate(q=Sum("quantity"), a=Sum("quantity_allocated"))
        return totals["q"] or 0, totals["a"] or 0

    return read


@pytest.fixture
def host_orders(db):
    from saleor.order.models import Order

    def address(row):
        if row is None:
            return None
        return {"country": row.country.code, "street_address_1": row.street_address_1,
                "postal_code": row.postal_code, "city": row.city}

    def read():
        return [
            {
                "id": str(order.pk), "external_reference": order.external_reference, "status": order.status,
                "user_email": order.user_email, "currency": order.currency, "channel_id": order.channel_id,
                "total_gross": order.total_gross_amount, "total_net": order.total_net_amount,
                "shipping_gross": order.shipping_price_gross_amount, "customer_note": order.customer_note,
                "metadata": order.metadata, "shipping_address": address(order.shipping_address),
                "lines": [(line.variant_id, line.quantity, line.unit_price_gross_amount, line.unit_price_net_amount)
                          for line in order.lines.all()],
            }
            # Orders the database held before the test (a populated template) are not the test's.
            for order in Order.objects.filter(external_reference__isnull=False).select_related("shipping_address")
            .order_by("number")
        ]

    return read


@pytest.fixture
def order_webhooks(monkeypatch):
    """(EVENT, external reference) of Saleor's order webhook events, recorded when Saleor calls them."""
    from saleor.order import actions

    events = []
    original_one, original_many = actions.call_order_event, actions.call_order_events

    def one(manager, event_name, order, *args, **kwargs):
        events.append((event_name.upper(), order.external_reference or str(order.pk)))
        return original_one(manager, event_name, order, *args, **kwargs)

    def many(manager, event_names, order, *args, **kwargs):
        events.extend((name.upper(), order.external_reference or str(order.pk)) for name in event_names)
        return original_many(manager, event_names, order, *args, **kwargs)

    monkeypatch.setattr(actions, "call_order_event", one)
    monkeypatch.setattr(actions, "call_order_events", many)
    return events


@pytest.fixture
def fulfill(db, monkeypatch):
    """``fulfill(order_id, {variant_id: quantity}, tracking_number="", carrier="")``: Saleor's create_fulfillments
    (its fulfillment_created hook reaches the plugin at the commit). ``hook=False``: the plugin misses it."""
    from collections import defaultdict

    from saleor.order.actions import create_fulfillments
    from saleor.order.models import Order
    from saleor.site.models import Site
    from saleor.warehouse.models import Stock

    def make(order_id, quantities, tracking_number="", carrier="", hook=True):
        if not hook:
            monkeypatch.setattr("saleor_amazon_channel.plugin._fulfillment_hook", lambda fulfillment: None)
        order = Order.objects.get(pk=order_id)
        by_warehouse = defaultdict(list)
        for line in order.lines.all():
            quantity = quantities.get(line.variant_id, 0)
            if quantity:
                allocation = line.allocations.select_related("stock").first()
                stock = allocation.stock if allocation else Stock.objects.filter(
                    product_variant_id=line.variant_id).first()
                by_warehouse[stock.warehouse_id].append({"order_line": line, "quantity": quantity})
        [fulfillment] = create_fulfillments(
            None, None, order, dict(by_warehouse), get_plugins_manager(allow_replica=False),
            Site.objects.get_current().settings, notify_customer=False, tracking_number=tracking_number,
        )
        if carrier:
            fulfillment.store_value_in_metadata({"carrier": carrier})
            fulfillment.save(update_fields=["metadata"])
        return fulfillment.pk

    return make


@pytest.fixture
def set_tracking(db):
    """``set_tracking(fulfillment_id, number)``: what Saleor's fulfillmentUpdateTracking does."""
    from saleor.core.utils.events import call_event
    from saleor.order.models import Fulfillment

    def update(fulfillment_id, number):
        fulfillment = Fulfillment.objects.get(pk=fulfillment_id)
        fulfillment.tracking_number = number
        fulfillment.save(update_fields=["tracking_number"])
        call_event(get_plugins_manager(allow_replica=False).tracking_number_updated, fulfillment)

    return update
@pytest.fixture
def make_warehouse(db):
    from saleor.account.models import Address
    from saleor.shipping.models import ShippingZone
    from saleor.warehouse.models import ChannelWarehouse, Warehouse

    def make(*channels, name=None, countries=MARKETPLACE_COUNTRIES):
        """Serving ``channels``, in a shipping zone of theirs covering ``countries`` (none: in no zone), as Saleor
        allocates through shipping zones (3.21, 3.22; 3.23 with ``use_legacy_shipping_zone_stock_availability``)."""
        n = next(_counter)
        address = Address.objects.create(street_address_1="1 Test Street", city="New York", postal_code="10001",
                                         country="US", country_area="NY")
        warehouse = Warehouse.objects.create(name=name or f"Amazon test warehouse {n}",
                                             slug=f"amazon-test-warehouse-{n}", address=address)
        for channel in channels:
            ChannelWarehouse.objects.create(channel=channel, warehouse=warehouse)
        if countries and channels:
            zone = ShippingZone.objects.create(name=f"Amazon test warehouse zone {n}", countries=list(countries))
            zone.channels.add(*channels)
            warehouse.shipping_zones.add(zone)
        return warehouse

    return make


@pytest.fixture
def set_stock(db):
    """Saleor's Stock row; ``quantity_allocated`` is Saleor's running total of the order lines' allocations."""
    from saleor.warehouse.models import Stock

    def set_stock(variant, warehouse, quantity, allocated=0):
        stock, _ = Stock.objects.update_or_create(
            warehouse=warehouse, product_variant=variant,
            defaults={"quantity": quantity, "quantity_allocated": allocated},
        )
        return stock

    return set_stock


@pytest.fixture
def set_channel_price(db):
    from saleor.product.models import ProductVariant, ProductVariantChannelListing

    def set_price(variant, channel, price, cost=None, currency=None, track_inventory=None):
        ProductVariantChannelListing.objects.filter(variant=variant, channel=channel).update(
            price_amount=price, cost_price_amount=cost, currency=currency or channel.currency_code
        )
        if track_inventory is not None:
            ProductVariant.objects.filter(pk=variant.pk).update(track_inventory=track_inventory)

    return set_price


@pytest.fixture
def rule_catalog(db):
    """What rules test about products, as Saleor stores it (categories are Saleor's MPTT tree)."""
    from types import SimpleNamespace

    from saleor.attribute import AttributeInputType
    from saleor.attribute.models import (
        AssignedProductAttributeValue,
        AssignedVariantAttribute,
        AssignedVariantAttributeValue,
        AttributeValue,
        AttributeVariant,
    )
    from saleor.product.models import (
        Category,
        Collection,
        CollectionProduct,
        Product,
        ProductChannelListing,
        ProductType,
    )

    def product_type(name):
        n = next(_counter)
        return ProductType.objects.create(name=name, slug=f"rules-type-{n}")

    def category(name, parent=None):
        return Category.objects.create(name=name, slug=f"rules-category-{next(_counter)}", parent=parent)

    def collection(name):
        return Collection.objects.create(name=name, slug=f"rules-collection-{next(_counter)}")

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
        attribute = Attribute.objects.get_or_create(
            slug=attribute_slug,
            defaults={"name": attribute_slug, "type": AttributeType.PRODUCT_TYPE,
                      "input_type": AttributeInputType.DROPDOWN},
        )[0]
        found = AttributeValue.objects.get_or_create(attribute=attribute, slug=value_slug,
                                                     defaults={"name": value_slug})[0]
        product = Product.objects.get(pk=variant.product_id)
        if level == "product":
            AssignedProductAttributeValue.objects.create(value=found, product=product)
        else:
            assignment = AttributeVariant.objects.get_or_create(attribute=attribute,
                                                                product_type_id=product.product_type_id)[0]
            assigned = AssignedVariantAttribute.objects.get_or_create(variant=variant, assignment=assignment)[0]
            # Saleor 3.22 added AssignedVariantAttributeValue.variant; 3.21 has only the assignment.
            has_variant = "variant" in {field.name for field in AssignedVariantAttributeValue._meta.get_fields()}
            AssignedVariantAttributeValue.objects.create(value=found, assignment=assigned,
                                                         **({"variant": variant} if has_variant else {}))

    def attribute_value(attribute_slug, value_slug, value_name):
        attribute = Attribute.objects.get_or_create(
            slug=attribute_slug,
            defaults={"name": attribute_slug, "type": AttributeType.PRODUCT_TYPE,
                      "input_type": AttributeInputType.DROPDOWN},
        )[0]
        return AttributeValue.objects.create(attribute=attribute, slug=value_slug, name=value_name)

    def publish(variant, channel, published=True, published_at=None, available_at=None):
        ProductChannelListing.objects.update_or_create(
            product_id=variant.product_id, channel=channel,
            defaults={"is_published": published, "published_at": published_at,
                      "available_for_purchase_at": available_at, "currency": channel.currency_code},
        )

    return SimpleNamespace(product_type=product_type, category=category, collection=collection, place=place,
                           value=value, attribute_value=attribute_value, publish=publish)
