"""The Saleor adapter: the only module that imports Saleor.

``AmazonChannelPlugin`` is what Saleor loads through the ``saleor.plugins`` entry
point; ``SaleorHost`` gives the rest of the package the few Saleor facilities it
needs (authentication, configuration, staff e-mails, notify, URLs, writer DB,
app installation). Saleor modules other than ``base_plugin`` are imported inside
the methods: they need Django's app registry, and this module must stay
importable by anything that only reads ``AmazonChannelPlugin``'s class attributes.
"""

import copy
import logging
from functools import partial
from urllib.parse import urljoin

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.encoding import iri_to_uri
from saleor.plugins.base_plugin import BasePlugin, ConfigurationTypeField

from saleor_amazon_channel import APP_NAME, PLUGIN_ID, PLUGIN_NAME
from saleor_amazon_channel.catalog.variants import channel_variants
from saleor_amazon_channel.core import config as plugin_config
from saleor_amazon_channel.core.host import ANONYMOUS, AuthenticationFailed, Host, Requestor
from saleor_amazon_channel.core.urls import OAUTH_CALLBACK, OAUTH_LOGIN, plugin_url
from saleor_amazon_channel.listings import variants as listing_variants

logger = logging.getLogger(__name__)

# Read-only fields on the plugin page: what the merchant copies into Developer Central.
REDIRECT_URI = "oauth_redirect_uri"
LOGIN_URI = "oauth_login_uri"
OUTPUT_ROUTES = {REDIRECT_URI: OAUTH_CALLBACK, LOGIN_URI: OAUTH_LOGIN}


def _field(name, field_type):
    label, help_text = plugin_config.FIELD_HELP[name]
    return {"type": field_type, "label": label, "help_text": help_text}


class AmazonChannelPlugin(BasePlugin):
    PLUGIN_ID = PLUGIN_ID
    PLUGIN_NAME = PLUGIN_NAME
    PLUGIN_DESCRIPTION = (
        "The SP-API credentials of the Amazon Sales Channel. The Amazon stores themselves are managed in "
        f"the {APP_NAME} app: Extensions → Installed → {APP_NAME}."
    )
    CONFIGURATION_PER_CHANNEL = False
    DEFAULT_ACTIVE = False
    DEFAULT_CONFIGURATION = plugin_config.DEFAULT_CONFIGURATION + [
        {"name": plugin_config.SECRET_SOURCE, "value": ""},
        {"name": REDIRECT_URI, "value": ""},
        {"name": LOGIN_URI, "value": ""},
    ]
    CONFIG_STRUCTURE = {
        plugin_config.APPLICATION_ID: _field(plugin_config.APPLICATION_ID, ConfigurationTypeField.STRING),
        plugin_config.CLIENT_ID: _field(plugin_config.CLIENT_ID, ConfigurationTypeField.STRING),
        plugin_config.CLIENT_SECRET: _field(plugin_config.CLIENT_SECRET, ConfigurationTypeField.SECRET),
        plugin_config.DRAFT_APP: _field(plugin_config.DRAFT_APP, ConfigurationTypeField.BOOLEAN),
        plugin_config.SECRET_SOURCE: {
            "type": ConfigurationTypeField.OUTPUT,
            "label": "LWA client secret in use",
            "help_text": f"Where the secret comes from: this page, or {plugin_config.CLIENT_SECRET_SETTING}.",
        },
        REDIRECT_URI: {
            "type": ConfigurationTypeField.OUTPUT,
            "label": "OAuth Redirect URI",
            "help_text": "Copy into your application's OAuth Redirect URI in Developer Central (App settings > Edit).",
        },
        LOGIN_URI: {
            "type": ConfigurationTypeField.OUTPUT,
            "label": "OAuth Log-in URI",
            "help_text": "Copy into your application's Log-in URI in Developer Central (App settings > Edit).",
        },
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.config = plugin_config.AmazonChannelConfig.from_items(self.configuration, active=self.active)

    @classmethod
    def validate_plugin_configuration(cls, plugin_configuration, **kwargs):
        values = {item["name"]: item["value"] for item in plugin_configuration.configuration}
        errors = plugin_config.validate(values, active=plugin_configuration.active)
        if errors:
            raise ValidationError({name: ValidationError(message, code="invalid") for name, message in errors.items()})

    def resolve_plugin_configuration(self, request):
        """The configuration as the plugin page shows it, with the two URIs filled in.

        Computed on every read (never stored), so they follow PUBLIC_URL.
        """
        host = SaleorHost()
        configuration = [dict(item) for item in self.configuration]
        for item in configuration:
            if item["name"] in OUTPUT_ROUTES:
                item["value"] = host.build_absolute_uri(plugin_url(OUTPUT_ROUTES[item["name"]]))
            elif item["name"] == plugin_config.SECRET_SOURCE:
                item["value"] = plugin_config.secret_source_label(self.config)
        return configuration

    # Saleor has no stock hook (the listings' periodic scan covers stock); these mark variants at once.
    # Saleor also calls product_variant_updated when a variant's channel listings change.
    def product_variant_updated(self, product_variant, previous_value, **kwargs):
        from saleor_amazon_channel.listings.hooks import variants_changed

        variants_changed([product_variant.pk])
        return previous_value

    def product_variant_deleted(self, product_variant, previous_value, **kwargs):
        from saleor_amazon_channel.listings.hooks import variants_changed

        variants_changed([product_variant.pk])
        return previous_value

    def product_updated(self, product, previous_value, **kwargs):
        from saleor_amazon_channel.listings.hooks import variants_changed

        variants_changed(product.variants.values_list("pk", flat=True))
        return previous_value

    def webhook(self, request, path, previous_value):
        from saleor_amazon_channel.routes import dispatch

        return dispatch(request, path, self.config)


class SaleorHost(Host):
    def authenticate(self, request) -> Requestor:
        """Saleor's own request authentication, as its GraphQL view does it.

        A bad Saleor token (expired, bad signature, revoked, user gone) is a 401;
        no token or one Saleor does not recognise at all is anonymous, as on /graphql/.
        """
        import jwt
        from saleor.graphql.app.dataloaders.utils import get_app_promise
        from saleor.graphql.context import get_context_value
        from saleor.graphql.core.context import setup_context_user
        from saleor.permission.enums import get_permission_names

        request.dataloaders = {}
        # Plugin views run under allow_writer(); read what was just written.
        request.allow_replica = False
        try:
            # Before get_context_value: it resolves app tokens only on Saleor's API path.
            request.app = get_app_promise(request).get()
            context = get_context_value(request)
            setup_context_user(context)
        except jwt.PyJWTError as error:
            raise AuthenticationFailed(str(error)) from None
        if context.app is not None:
            app = context.app
            return Requestor(
                app_id=app.pk, label=app.name, permissions=frozenset(get_permission_names(app.permissions.all()))
            )
        user = context.user
        if user is None:
            return ANONYMOUS
        # For dashboard/extension tokens Saleor has replaced these by the token's app ∩ user permissions.
        return Requestor(
            user_id=user.pk, label=user.email, permissions=frozenset(get_permission_names(user.effective_permissions))
        )

    def requestor_has_permission(self, user_id, app_id, permission) -> bool:
        from saleor.account.models import User
        from saleor.app.models import App
        from saleor.permission.enums import get_permission_names

        if user_id is not None:
            user = User.objects.filter(pk=user_id, is_active=True).first()
            return user is not None and permission in get_permission_names(user.effective_permissions)
        if app_id is not None:
            app = App.objects.not_removed().filter(pk=app_id, is_active=True).first()
            return app is not None and permission in get_permission_names(app.permissions.all())
        return False

    def get_config(self) -> plugin_config.AmazonChannelConfig:
        from saleor.plugins.manager import get_plugins_manager

        plugin = get_plugins_manager(allow_replica=False).get_plugin(PLUGIN_ID)
        if plugin is None:  # not in settings.PLUGINS
            return plugin_config.AmazonChannelConfig(active=False)
        return plugin.config

    def staff_notification_emails(self) -> list[str]:
        from saleor.account.models import StaffNotificationRecipient

        recipients = StaffNotificationRecipient.objects.filter(active=True).select_related("user")
        return sorted({email for recipient in recipients if (email := recipient.get_email())})

    def notify(self, event: str, payload: dict) -> None:
        """Saleor's notify (apps subscribed to NOTIFY_USER receive it), once the current
        transaction commits, as Saleor's own ``call_event`` does: a webhook delivery queued
        before the commit can run in a worker before the rows it names exist."""
        transaction.on_commit(partial(_send_notify, event, payload))

    def build_absolute_uri(self, path: str) -> str:
        """Joined relative to PUBLIC_URL, so a PUBLIC_URL with a path prefix keeps it."""
        from saleor.core.utils import get_public_url

        base = get_public_url()
        return iri_to_uri(urljoin(base if base.endswith("/") else base + "/", path.lstrip("/")))

    def allow_writer(self):
        from saleor.core.db.connection import allow_writer

        return allow_writer()

    def install_app(self, manifest: dict) -> tuple[int, bool]:
        """Create or update the THIRDPARTY app and its extensions, as Saleor's installer would.

        The manifest is checked with Saleor's own ``clean_manifest_data`` (which also
        lowercases mount/target and turns permission names into Permission rows).
        No token is issued: the plugin authenticates the dashboard's tokens itself.
        """
        from saleor.app.manifest_validations import clean_manifest_data
        from saleor.app.models import App, AppExtension
        from saleor.app.types import DEFAULT_APP_TARGET, AppType

        with transaction.atomic():
            app = App.objects.not_removed().select_for_update().filter(identifier=manifest["id"]).first()
            cleaned = copy.deepcopy(manifest)
            if app is not None:
                # Saleor refuses an identifier that is already installed; ours is, on purpose.
                cleaned["id"] = f"{manifest['id']}.update-check"
            clean_manifest_data(cleaned)
            fields = {
                "name": cleaned["name"],
                "about_app": cleaned.get("about"),
                "homepage_url": cleaned.get("homepageUrl"),
                "support_url": cleaned.get("supportUrl"),
                "app_url": cleaned.get("appUrl"),
                "version": cleaned.get("version"),
                "author": cleaned.get("author"),
                "is_active": True,
                "is_installed": True,
            }
            created = app is None
            if created:
                app = App.objects.create(identifier=manifest["id"], type=AppType.THIRDPARTY, **fields)
            else:
                App.objects.filter(pk=app.pk).update(**fields)
            app.permissions.set(cleaned["permissions"])
            app.extensions.all().delete()
            for extension in cleaned.get("extensions", []):
                row = AppExtension.objects.create(
                    app=app,
                    label=extension["label"],
                    url=extension["url"],
                    mount=extension["mount"],
                    target=extension.get("target", DEFAULT_APP_TARGET),
                    settings=extension.get("options", {}),
                    identifier=extension.get("identifier"),
                )
                row.permissions.set(extension.get("permissions", []))
        return app.pk, created

    def dashboard_app_id(self) -> str | None:
        from saleor.app.models import App
        from saleor.graphql.core.utils import to_global_id_or_none

        from saleor_amazon_channel.dashboard import APP_IDENTIFIER

        app = App.objects.not_removed().filter(identifier=APP_IDENTIFIER, is_active=True).first()
        return to_global_id_or_none(app) if app is not None else None

    def schema_version(self) -> tuple[int, int]:
        import saleor

        major, minor = saleor.schema_version.split(".")[:2]
        return int(major), int(minor)

    def channel_variants(self, channel_id, attribute_slug, *, after=0, limit=500):
        from saleor.attribute.models import AssignedProductAttributeValue, AssignedVariantAttributeValue
        from saleor.product.models import ProductVariantChannelListing

        return channel_variants(
            ProductVariantChannelListing, AssignedVariantAttributeValue, AssignedProductAttributeValue,
            channel_id, attribute_slug, after, limit,
        )

    def channel_warehouses(self, channel_id):
        from saleor.warehouse.models import ChannelWarehouse

        return listing_variants.channel_warehouses(ChannelWarehouse, channel_id)

    def offer_variants(self, channel_id, *, warehouse_ids=None, attribute_slug=None, variant_ids=None, after=0,
                       limit=500):
        from saleor.attribute.models import AssignedProductAttributeValue, AssignedVariantAttributeValue
        from saleor.product.models import ProductVariantChannelListing
        from saleor.warehouse.models import ChannelWarehouse, Stock

        return listing_variants.offer_variants(
            ProductVariantChannelListing, Stock, ChannelWarehouse, AssignedVariantAttributeValue,
            AssignedProductAttributeValue, channel_id, warehouse_ids, attribute_slug, variant_ids, after, limit,
        )


def _send_notify(event: str, payload: dict) -> None:
    """Runs after the commit: a failure is logged and goes no further (what it follows is saved)."""
    from saleor.core.db.connection import allow_writer
    from saleor.plugins.manager import get_plugins_manager

    try:
        with allow_writer():
            get_plugins_manager(allow_replica=False).notify(event, payload_func=lambda: payload)
    except Exception:
        logger.exception("amazon_channel.notify.failed", extra={"event": event})
