"""Demo data: a staff user, Saleor channels and attributes, the configured plugin, the app."""

from saleor_amazon_channel import APP_NAME, PLUGIN_ID, PLUGIN_NAME
from saleor_amazon_channel.dashboard import APP_IDENTIFIER, app_url

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
        email=DEMO_STAFF_EMAIL, defaults={"is_staff": True, "permissions": ["MANAGE_CHANNELS", "MANAGE_PRODUCTS"]}
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
    app, _ = App.objects.update_or_create(
        identifier=APP_IDENTIFIER,
        defaults={"name": APP_NAME, "permissions": ["MANAGE_CHANNELS"], "app_url": app_url()},
    )
    return app
