"""Demo data: a staff user, Saleor channels and attributes, the configured plugin, the app."""

from saleor_amazon_channel import APP_NAME, PLUGIN_ID, PLUGIN_NAME
from saleor_amazon_channel.core.urls import app_url
from saleor_amazon_channel.dashboard import APP_IDENTIFIER

DEMO_APPLICATION_ID = "amzn1.sellerapps.app.5a1e0000-demo-4000-8000-000000000001"
DEMO_CLIENT_ID = "amzn1.application-oa2-client.demo0000000000000000000000000001"
DEMO_CLIENT_SECRET = "amzn1.oa2-cs.v1.demo-secret-only-for-the-local-emulator"

CHANNELS = [
    ("default-channel", "Default Channel", "USD"),
    ("channel-ca", "Canada", "CAD"),
    ("channel-uk", "United Kingdom", "GBP"),
]
ATTRIBUTES = [("isbn", "ISBN"), ("ean", "EAN"), ("upc", "UPC"), ("asin", "ASIN"), ("gtin", "GTIN")]


def seed():
    from tests.standin.account.models import StaffNotificationRecipient, User
    from tests.standin.app.models import App
    from tests.standin.attribute.models import Attribute
    from tests.standin.channel.models import Channel
    from tests.standin.demo_views import DEMO_STAFF_EMAIL
    from tests.standin.plugins.models import PluginConfiguration

    user, _ = User.objects.get_or_create(
        email=DEMO_STAFF_EMAIL,
        defaults={"is_staff": True, "permissions": ["MANAGE_CHANNELS", "MANAGE_PRODUCTS", "MANAGE_ORDERS"]},
    )
    StaffNotificationRecipient.objects.get_or_create(user=user)
    for slug, name, currency in CHANNELS:
        Channel.objects.get_or_create(slug=slug, defaults={"name": name, "currency_code": currency, "is_active": True})
    for slug, name in ATTRIBUTES:
        Attribute.objects.get_or_create(slug=slug, defaults={"name": name})
    PluginConfiguration.objects.update_or_create(
        identifier=PLUGIN_ID,
        defaults={
            "name": PLUGIN_NAME,
            "active": True,
            "configuration": [
                {"name": "application_id", "value": DEMO_APPLICATION_ID},
                {"name": "lwa_client_id", "value": DEMO_CLIENT_ID},
                {"name": "lwa_client_secret", "value": DEMO_CLIENT_SECRET},
                {"name": "draft_app", "value": False},
            ],
        },
    )
    seed_catalog()
    seed_stock()
    app, _ = App.objects.update_or_create(
        identifier=APP_IDENTIFIER,
        defaults={"name": APP_NAME, "permissions": ["MANAGE_CHANNELS", "MANAGE_ORDERS"], "app_url": app_url()},
    )
    return app


ADJECTIVES = ["Classic", "Compact", "Deluxe", "Eco", "Travel", "Vintage", "Smart", "Pro", "Mini", "Family"]
NOUNS = ["Desk Lamp", "Water Bottle", "Backpack", "Notebook", "Headphones", "Coffee Mug"]
SIZES = ["Small", "Large"]
STOCK_BASE, STOCK_SPREAD = 5, 20  # 5 to 24 units a variant


def demo_ean(n: int) -> str:
    body = f"{400638100000 + n:012d}"
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(reversed(body), start=1))
    return body + str((10 - total % 10) % 10)


def seed_catalog():
    """60 products, 120 variants listed in the default channel, with EANs on the ``ean`` attribute.

    Most EANs are valid (the emulator's seeded catalog knows about three in four of them),
    every 13th has a wrong check digit and every 17th none, so a catalog match shows every outcome.
    Each product has a category (Lighting and Kitchen under Home, so a rule on Home takes both) and a cost
    price (water bottles cost more: a floor at cost + margin holds their price); the first six variants have
    5 units each in the channel's warehouse (the rules' browser test reads them drop to 0 when excluded),
    and ``seed_stock`` gives every other variant some.
    """
    from tests.standin.attribute.models import (
        AssignedVariantAttribute,
        AssignedVariantAttributeValue,
        Attribute,
        AttributeValue,
        AttributeVariant,
    )
    from tests.standin.channel.models import Channel
    from tests.standin.product.models import (
        Category,
        Collection,
        CollectionProduct,
        Product,
        ProductType,
        ProductVariant,
        ProductVariantChannelListing,
    )
    from tests.standin.warehouse.models import Stock, Warehouse

    if Product.objects.exists():
        return
    channel = Channel.objects.get(slug="default-channel")
    ean = Attribute.objects.get(slug="ean")
    product_type = ProductType.objects.create(name="Demo goods")
    assignment = AttributeVariant.objects.create(attribute=ean, product_type=product_type)
    home = Category.objects.create(name="Home", slug="home")
    categories = {
        "Desk Lamp": Category.objects.create(name="Lighting", slug="lighting", parent=home),
        "Water Bottle": Category.objects.create(name="Kitchen", slug="kitchen", parent=home),
        "Coffee Mug": Category.objects.get(slug="kitchen"),
        "Backpack": Category.objects.create(name="Bags", slug="bags"),
        "Notebook": Category.objects.create(name="Office", slug="office"),
        "Headphones": Category.objects.create(name="Audio", slug="audio"),
    }
    travel = Collection.objects.create(name="Travel picks", slug="travel-picks")
    warehouse = Warehouse.objects.create(name="Demo warehouse", slug="demo-warehouse")
    warehouse.channels.add(channel)
    n = 0
    for a, adjective in enumerate(ADJECTIVES):
        for b, noun in enumerate(NOUNS):
            product = Product.objects.create(
                product_type=product_type, name=f"{adjective} {noun}", slug=f"demo-{a}-{b}", category=categories[noun]
            )
            if adjective == "Travel":
                CollectionProduct.objects.create(collection=travel, product=product)
            for size in SIZES:
                n += 1
                variant = ProductVariant.objects.create(product=product, name=size, sku=f"DEMO-{n:04d}")
                ProductVariantChannelListing.objects.create(
                    variant=variant, channel=channel, currency="USD", price_amount=20,
                    cost_price_amount=22 if noun == "Water Bottle" else 12,
                )
                if n <= 6:
                    Stock.objects.create(warehouse=warehouse, product_variant=variant, quantity=5)
                if n % 17 == 0:
                    continue
                value = demo_ean(n)
                if n % 13 == 0:
                    value = value[:-1] + str((int(value[-1]) + 1) % 10)
                assigned = AssignedVariantAttribute.objects.create(variant=variant, assignment=assignment)
                AssignedVariantAttributeValue.objects.create(
                    variant=variant, assignment=assigned, sort_order=0,
                    value=AttributeValue.objects.create(attribute=ean, name=value, slug=f"ean-{n}", plain_text=value),
                )


def seed_stock():
    """A warehouse serving the default channel with stock for each of its variants (so their offers go
    Active on the emulated Amazon). Only variants without stock there get some: a restart keeps what the
    merchant changed."""
    from tests.standin.channel.models import Channel
    from tests.standin.product.models import ProductVariantChannelListing
    from tests.standin.warehouse.models import ChannelWarehouse, Stock, Warehouse

    channel = Channel.objects.get(slug="default-channel")
    warehouse, _ = Warehouse.objects.get_or_create(slug="demo-warehouse", defaults={"name": "Demo warehouse"})
    ChannelWarehouse.objects.get_or_create(channel=channel, warehouse=warehouse)
    stocked = set(Stock.objects.filter(warehouse=warehouse).values_list("product_variant_id", flat=True))
    variant_ids = ProductVariantChannelListing.objects.filter(channel=channel).order_by("variant_id").values_list(
        "variant_id", flat=True)
    Stock.objects.bulk_create([
        Stock(warehouse=warehouse, product_variant_id=pk, quantity=STOCK_BASE + pk % STOCK_SPREAD)
        for pk in variant_ids if pk not in stocked
    ])
