"""SaleorHost against Saleor's own pieces: configuration, recipients, notify, URLs, writer DB, app install."""

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import saleor
from django.core.management import call_command
from django.db import connection
from django.test import Client
from saleor.app.manifest_validations import clean_manifest_data
from saleor.app.models import App
from saleor.core.db.connection import UnsafeWriterAccessError, restrict_writer
from saleor.plugins.models import PluginConfiguration
from saleor.webhook.event_types import WebhookEventAsyncType
from saleor.webhook.models import Webhook

from saleor_amazon_channel import PLUGIN_ID
from saleor_amazon_channel.core.urls import plugin_url
from saleor_amazon_channel.dashboard import APP_IDENTIFIER, WIDGET_MIN_VERSION, build_manifest
from saleor_amazon_channel.plugin import SaleorHost
from tests.fixtures import CLIENT_ID
from tests.hosts.saleor import PLUGIN_PATH

# The Saleor this suite runs in (3.21, 3.22 or 3.23: README, "Checking another Saleor version").
SALEOR_VERSION = tuple(int(part) for part in saleor.schema_version.split("."))
# The home-page widget is offered from 3.23 on (dashboard.build_manifest).
MOUNTS = ["navigation_catalog", "homepage_widgets"] if SALEOR_VERSION >= WIDGET_MIN_VERSION else ["navigation_catalog"]

pytestmark = pytest.mark.django_db

WEBHOOK_PLUGIN = "saleor.plugins.webhook.plugin.WebhookPlugin"


def test_config_of_a_plugin_saleor_does_not_load_is_inactive(settings):
    assert PLUGIN_PATH not in settings.PLUGINS  # Saleor's test settings load dummy gateways only
    config = SaleorHost().get_config()
    assert config.active is False and config.missing == ["applicationId", "lwaClientId", "lwaClientSecret"]


def test_config_follows_the_saved_plugin_configuration(plugin, configure_plugin):
    config = SaleorHost().get_config()
    assert (config.active, config.client_id, config.is_complete) == (True, CLIENT_ID, True)
    configure_plugin(active=False)
    config = SaleorHost().get_config()
    assert config.active is False and config.client_id == CLIENT_ID


def test_an_inactive_plugin_answers_404_through_saleor(configure_plugin):
    configure_plugin(active=False)
    assert Client().get(plugin_url("manifest")).status_code == 404
    configure_plugin(active=True, application_id="", lwa_client_id="", lwa_client_secret="")
    assert Client().get(plugin_url("manifest")).status_code == 200


def test_staff_notification_emails_are_saleors_active_recipients(make_staff, add_staff_notification_recipient):
    from saleor.account.models import StaffNotificationRecipient

    add_staff_notification_recipient("ops@example.com")
    StaffNotificationRecipient.objects.create(user=make_staff(email="lead@example.com"), active=True)
    StaffNotificationRecipient.objects.create(staff_email="former@example.com", active=False)
    assert SaleorHost().staff_notification_emails() == ["lead@example.com", "ops@example.com"]


class _Receiver(BaseHTTPRequestHandler):
    bodies: list = []

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.bodies.append((dict(self.headers), json.loads(self.rfile.read(length))))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def app_webhook_receiver():
    """A Saleor app's webhook endpoint on a local port."""
    _Receiver.bodies = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/webhooks", _Receiver.bodies
    server.shutdown()
    server.server_close()


def test_notify_reaches_an_app_subscribed_to_notify_user_after_the_commit(
    plugin, settings, make_app, app_webhook_receiver, django_capture_on_commit_callbacks
):
    """A notify event goes out as Saleor's NOTIFY_USER webhook, as apps (e-mail, Slack...) receive it."""
    url, received = app_webhook_receiver
    settings.PLUGINS = [WEBHOOK_PLUGIN, PLUGIN_PATH]
    app, _ = make_app(permissions=("MANAGE_USERS",), name="Mailer")  # NOTIFY_USER needs it
    webhook = Webhook.objects.create(app=app, name="notify", target_url=url, is_active=True)
    webhook.events.create(event_type=WebhookEventAsyncType.NOTIFY_USER)

    with django_capture_on_commit_callbacks(execute=True):
        SaleorHost().notify("amazon_channel_authorization_expiring", {"store_ids": [3], "days_left": 7})
        assert received == []  # nothing before the commit

    [(headers, body)] = received
    assert headers["Saleor-Event"] == "notify_user"
    assert body["notify_event"] == "amazon_channel_authorization_expiring"
    assert body["payload"] == {"store_ids": [3], "days_left": 7}


def test_notify_of_a_rolled_back_transaction_never_goes_out(plugin, monkeypatch, django_capture_on_commit_callbacks):
    from django.db import transaction
    from saleor.plugins.manager import PluginsManager

    told = []
    monkeypatch.setattr(PluginsManager, "notify", lambda self, event, payload_func, **kwargs: told.append(event))
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            SaleorHost().notify("amazon_channel_authorization_revoked", {"store_ids": [1]})
            raise RuntimeError
        SaleorHost().notify("amazon_channel_authorization_expiring", {"store_ids": [2]})
    assert told == ["amazon_channel_authorization_expiring"]


def test_a_failing_notify_is_logged_not_raised(plugin, monkeypatch, caplog):
    from saleor.plugins.manager import PluginsManager

    def broken(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(PluginsManager, "notify", broken)
    with transaction_committed():
        SaleorHost().notify("amazon_channel_authorization_revoked", {"store_ids": [1]})
    ours = [record.message for record in caplog.records if record.name == "saleor_amazon_channel.plugin"]
    assert ours == ["amazon_channel.notify.failed"]


def transaction_committed():
    """Runs on-commit callbacks at the end of the block, as a real commit would."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_notify_events_fixture_records_what_saleor_is_told(plugin, notify_events):
    SaleorHost().notify("amazon_channel_authorization_revoked", {"store_ids": [1]})
    assert notify_events == [("amazon_channel_authorization_revoked", {"store_ids": [1]})]


@pytest.mark.parametrize(
    ("public_url", "expected"),
    [
        ("https://shop.example.com", "https://shop.example.com/plugins/global/saleor_amazon_channel/oauth/callback"),
        ("https://shop.example.com/", "https://shop.example.com/plugins/global/saleor_amazon_channel/oauth/callback"),
        ("https://example.com/saleor/", "https://example.com/saleor/plugins/global/saleor_amazon_channel/oauth/callback"),
    ],
)
def test_absolute_uris_are_built_on_public_url(settings, public_url, expected):
    settings.PUBLIC_URL = public_url
    assert SaleorHost().build_absolute_uri(plugin_url("oauth/callback")) == expected


def test_absolute_uris_without_public_url_use_the_site_domain(settings, site_settings):
    settings.PUBLIC_URL = None
    settings.ENABLE_SSL = True
    site_settings.site.domain = "store.example.org"
    site_settings.site.save()
    from django.contrib.sites.models import Site

    Site.objects.clear_cache()
    assert SaleorHost().build_absolute_uri(plugin_url("app/")) == "https://store.example.org" + plugin_url("app/")


def test_allow_writer_lets_a_task_write_where_saleor_restricts_it():
    """Under Saleor's test settings a Celery task may not touch the writer DB unannounced."""
    with connection.execute_wrapper(restrict_writer):
        with pytest.raises(UnsafeWriterAccessError):
            PluginConfiguration.objects.count()
        with SaleorHost().allow_writer():
            assert PluginConfiguration.objects.filter(identifier=PLUGIN_ID).count() == 0


def test_schema_version_is_saleors():
    major, minor, _ = saleor.__version__.split(".", 2)
    assert SaleorHost().schema_version() == (int(major), int(minor))
    assert SaleorHost().schema_version() in {(3, 21), (3, 22), (3, 23)}


def test_manifest_served_to_saleor_passes_saleors_own_validation(plugin):
    response = Client().get(plugin_url("manifest"), HTTP_SALEOR_SCHEMA_VERSION=saleor.schema_version)
    manifest = response.json()
    assert [ext["mount"] for ext in manifest["extensions"]] == [mount.upper() for mount in MOUNTS]
    clean_manifest_data(manifest, raise_for_saleor_version=True)  # raises ValidationError when Saleor refuses it
    assert [ext["mount"] for ext in manifest["extensions"]] == MOUNTS


def test_install_app_creates_then_updates_the_saleor_app(plugin):
    out = io.StringIO()
    call_command("amazon_channel_install_app", stdout=out)
    app = App.objects.get(identifier=APP_IDENTIFIER)
    assert out.getvalue().startswith(f"Installed the app “Amazon Sales Channel” (id {app.pk})")
    assert (app.type, app.is_active, app.is_installed) == ("thirdparty", True, True)
    assert app.app_url == "https://example.com" + plugin_url("app/")
    # MANAGE_ORDERS: the Amazon orders section reads orders
    assert app.get_permissions() == {"channel.manage_channels", "order.manage_orders"}
    extensions = {ext.mount: ext for ext in app.extensions.all()}
    assert set(extensions) == set(MOUNTS)
    assert (extensions["navigation_catalog"].target, extensions["navigation_catalog"].url) == ("app_page", "/")
    if "homepage_widgets" in extensions:
        assert extensions["homepage_widgets"].target == "widget"
        assert extensions["homepage_widgets"].settings == {"homeWidgetTarget": {"method": "GET"}}
    assert {p.codename for p in extensions["navigation_catalog"].permissions.all()} == {"manage_channels"}

    out = io.StringIO()
    call_command("amazon_channel_install_app", stdout=out)
    assert out.getvalue().startswith(f"Updated the app “Amazon Sales Channel” (id {app.pk})")
    assert App.objects.filter(identifier=APP_IDENTIFIER).count() == 1
    assert App.objects.get(pk=app.pk).extensions.count() == len(MOUNTS)


def test_install_app_refuses_a_manifest_saleor_would_refuse(plugin):
    from django.core.exceptions import ValidationError

    manifest = build_manifest(SALEOR_VERSION)
    manifest["permissions"] = ["MANAGE_EVERYTHING"]
    with pytest.raises(ValidationError):
        SaleorHost().install_app(manifest)
    assert not App.objects.filter(identifier=APP_IDENTIFIER).exists()
