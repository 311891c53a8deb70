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
