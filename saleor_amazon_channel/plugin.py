"""The Saleor adapter: the only module that imports Saleor.

``AmazonChannelPlugin`` is what Saleor loads through the ``saleor.plugins`` entry
point; ``SaleorHost`` gives the rest of the package the few Saleor facilities it
needs (authentication, configuration, staff e-mails, notify, URLs, writer DB,
app installation). Saleor modules other than ``base_plugin`` are imported inside
the methods: they need Django's app registry, and this module must stay
importable by anything that only reads ``AmazonChannelPlugin``'s class attributes.

Saleor 3.21, 3.22 and 3.23 are supported; where their internals differ, the code asks
``saleor_version()`` (or, for a model column, the model) and says which version does what:
- ``allocate_stocks``: 3.23 takes the site settings, a requestor and whether stock is counted through
  shipping zones (``use_legacy_shipping_zone_stock_availability``); 3.21 and 3.22 take the plugins
  manager and always count through shipping zones.
- ``cancel_order``: 3.23 takes the site settings after the manager; 3.21 and 3.22 do not (a fifth
  argument there is ``webhook_event_map``).
- Stock offered to Amazon (``_zone_stocks``): counted, like ``allocate_stocks``, through the shipping zones
  covering the marketplace's country, always in 3.21 and 3.22, in 3.23 when the flag above is on.
- ``OrderLine.product_type_id`` exists from 3.22; ``AppExtension.settings`` (the manifest's
  ``options``) from 3.22 and ``AppExtension.identifier`` from 3.23.
"""

import copy
import logging
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponseBase
from django.utils.encoding import iri_to_uri
from saleor.plugins.base_plugin import BasePlugin, ConfigurationTypeField

from saleor_amazon_channel import APP_NAME, PLUGIN_ID, PLUGIN_NAME
from saleor_amazon_channel.catalog.variants import channel_variants
from saleor_amazon_channel.core import config as plugin_config
from saleor_amazon_channel.core.host import (
    ANONYMOUS,
    AuthenticationFailed,
    CatalogVariant,
    Host,
    HostFulfillment,
    HostOrder,
    HostWarehouse,
    NewOrder,
    OfferVariant,
    OrderAddress,
    Requestor,
    VariantFacts,
)
from saleor_amazon_channel.core.urls import OAUTH_CALLBACK, OAUTH_LOGIN, plugin_url
from saleor_amazon_channel.listings import variants as listing_variants
from saleor_amazon_channel.rules import facts as rule_facts

if TYPE_CHECKING:
    # Saleor publishes no types: to mypy these are Any; they name what Saleor hands the hooks.
    from saleor.account.models import Address
    from saleor.channel.models import Channel
    from saleor.order.models import Fulfillment, Order, OrderLine
    from saleor.plugins.models import PluginConfiguration
    from saleor.product.models import Product, ProductVariant
    from saleor.site.models import SiteSettings

logger = logging.getLogger(__name__)

# Read-only fields on the plugin page: what the merchant copies into Developer Central.
REDIRECT_URI = "oauth_redirect_uri"
LOGIN_URI = "oauth_login_uri"
OUTPUT_ROUTES = {REDIRECT_URI: OAUTH_CALLBACK, LOGIN_URI: OAUTH_LOGIN}


def _field(name: str, field_type: str) -> dict[str, str]:
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.config = plugin_config.AmazonChannelConfig.from_items(self.configuration, active=self.active)

    @classmethod
    def validate_plugin_configuration(cls, plugin_configuration: "PluginConfiguration", **kwargs: Any) -> None:
        values = {item["name"]: item["value"] for item in plugin_configuration.configuration}
        errors = plugin_config.validate(values, active=plugin_configuration.active)
        if errors:
            raise ValidationError({name: ValidationError(message, code="invalid") for name, message in errors.items()})

    def resolve_plugin_configuration(self, request: HttpRequest | None) -> list[dict[str, Any]]:
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
    def product_variant_updated(self, product_variant: "ProductVariant", previous_value: Any, **kwargs: Any) -> Any:
        from saleor_amazon_channel.listings.hooks import variants_changed

        variants_changed([product_variant.pk])
        return previous_value

    def product_variant_deleted(self, product_variant: "ProductVariant", previous_value: Any, **kwargs: Any) -> Any:
        from saleor_amazon_channel.listings.hooks import variants_changed

        variants_changed([product_variant.pk])
        return previous_value

    def product_updated(self, product: "Product", previous_value: Any, **kwargs: Any) -> Any:
        from saleor_amazon_channel.listings.hooks import variants_changed

        variants_changed(product.variants.values_list("pk", flat=True))
        return previous_value

    def webhook(self, request: HttpRequest, path: str, previous_value: Any) -> HttpResponseBase:
        from saleor_amazon_channel.routes import dispatch

        return dispatch(request, path, self.config)

    # Saleor's order hooks: a fulfillment of an Amazon order goes back to Amazon (orders/shipments.py).
    def fulfillment_created(
        self, fulfillment: "Fulfillment", *args: Any, previous_value: Any = None, **kwargs: Any
    ) -> Any:
        _fulfillment_hook(fulfillment)
        return previous_value

    def tracking_number_updated(
        self, fulfillment: "Fulfillment", *args: Any, previous_value: Any = None, **kwargs: Any
    ) -> Any:
        _fulfillment_hook(fulfillment)
        return previous_value

    def order_cancelled(self, order: "Order", *args: Any, previous_value: Any = None, **kwargs: Any) -> Any:
        from saleor_amazon_channel.orders.hooks import order_cancelled

        try:
            order_cancelled(str(order.pk))
        except Exception:
            logger.exception("amazon_channel.orders.cancel_hook_failed")
        return previous_value


class SaleorHost(Host):
    def authenticate(self, request: Any) -> Requestor:
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

    def requestor_has_permission(self, user_id: int | None, app_id: int | None, permission: str) -> bool:
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
        config: plugin_config.AmazonChannelConfig = plugin.config  # our plugin instance's
        return config

    def staff_notification_emails(self) -> list[str]:
        from saleor.account.models import StaffNotificationRecipient

        recipients = StaffNotificationRecipient.objects.filter(active=True).select_related("user")
        return sorted({email for recipient in recipients if (email := recipient.get_email())})

    def notify(self, event: str, payload: dict[str, Any]) -> None:
        """Saleor's notify (apps subscribed to NOTIFY_USER receive it), once the current
        transaction commits, as Saleor's own ``call_event`` does: a webhook delivery queued
        before the commit can run in a worker before the rows it names exist."""
        transaction.on_commit(partial(_send_notify, event, payload))

    def build_absolute_uri(self, path: str) -> str:
        """Joined relative to PUBLIC_URL, so a PUBLIC_URL with a path prefix keeps it."""
        from saleor.core.utils import get_public_url

        base: str = get_public_url()
        return iri_to_uri(urljoin(base if base.endswith("/") else base + "/", path.lstrip("/")))

    def allow_writer(self) -> AbstractContextManager[object]:
        from saleor.core.db.connection import allow_writer

        writer: AbstractContextManager[object] = allow_writer()
        return writer

    def install_app(self, manifest: dict[str, Any]) -> tuple[int, bool]:
        """Create or update the THIRDPARTY app and its extensions, as Saleor's installer would.

        The manifest is checked with Saleor's own ``clean_manifest_data`` (which also
        lowercases mount/target and turns permission names into Permission rows).
        No token is issued: the plugin authenticates the dashboard's tokens itself.
        """
        from saleor.app.manifest_validations import clean_manifest_data
        from saleor.app.models import App, AppExtension
        from saleor.app.types import AppType

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
            # As Saleor's own installer of each version: ``settings`` from 3.22, ``identifier`` from 3.23; without
            # a target the model's default (popup in every version).
            columns = _model_fields(AppExtension)
            for extension in cleaned.get("extensions", []):
                values = {"label": extension["label"], "url": extension["url"], "mount": extension["mount"],
                          "settings": extension.get("options", {}), "identifier": extension.get("identifier")}
                if "target" in extension:
                    values["target"] = extension["target"]
                row = AppExtension.objects.create(app=app, **{k: v for k, v in values.items() if k in columns})
                row.permissions.set(extension.get("permissions", []))
        return app.pk, created

    def dashboard_app_id(self) -> str | None:
        from saleor.app.models import App
        from saleor.graphql.core.utils import to_global_id_or_none

        from saleor_amazon_channel.dashboard import APP_IDENTIFIER

        app = App.objects.not_removed().filter(identifier=APP_IDENTIFIER, is_active=True).first()
        return to_global_id_or_none(app) if app is not None else None

    def schema_version(self) -> tuple[int, int]:
        return saleor_version()

    def channel_variants(
        self, channel_id: int, attribute_slug: str | None, *, after: int = 0, limit: int = 500
    ) -> list[CatalogVariant]:
        from saleor.attribute.models import AssignedProductAttributeValue, AssignedVariantAttributeValue
        from saleor.product.models import ProductVariantChannelListing

        return channel_variants(
            ProductVariantChannelListing, AssignedVariantAttributeValue, AssignedProductAttributeValue,
            channel_id, attribute_slug, after, limit,
        )

    def channel_warehouses(self, channel_id: int) -> list[HostWarehouse]:
        from saleor.warehouse.models import ChannelWarehouse

        return listing_variants.channel_warehouses(ChannelWarehouse, channel_id)

    def offer_variants(
        self,
        channel_id: int,
        *,
        warehouse_ids: Sequence[str] | None = None,
        attribute_slug: str | None = None,
        variant_ids: Sequence[int] | None = None,
        after: int = 0,
        limit: int = 500,
        country_code: str | None = None,
    ) -> list[OfferVariant]:
        from saleor.attribute.models import AssignedProductAttributeValue, AssignedVariantAttributeValue
        from saleor.product.models import ProductVariantChannelListing
        from saleor.warehouse.models import ChannelWarehouse, Stock

        return listing_variants.offer_variants(
            ProductVariantChannelListing, Stock, ChannelWarehouse, AssignedVariantAttributeValue,
            AssignedProductAttributeValue, channel_id, warehouse_ids, attribute_slug, variant_ids, after, limit,
            _zone_stocks(channel_id, country_code),
        )

    def variant_facts(self, channel_id: int, variant_ids: Sequence[int]) -> list[VariantFacts]:
        from django.utils import timezone
        from saleor.attribute.models import AssignedProductAttributeValue, AssignedVariantAttributeValue
        from saleor.product.models import Category, CollectionProduct, ProductChannelListing, ProductVariant

        return rule_facts.variant_facts(
            ProductVariant, Category, ProductChannelListing, CollectionProduct, AssignedVariantAttributeValue,
            AssignedProductAttributeValue, channel_id, variant_ids, timezone.now(),
        )

    def condition_counts(
        self,
        channel_id: int,
        trees: Sequence[dict[str, Any]],
        *,
        warehouse_ids: Sequence[str] | None = None,
        limit: int = 100,
        country_code: str | None = None,
    ) -> dict[tuple[bool, ...], tuple[int, list[int]]]:
        from django.utils import timezone
        from saleor.attribute.models import AssignedProductAttributeValue, AssignedVariantAttributeValue
        from saleor.product.models import (
            Category,
            CollectionProduct,
            ProductChannelListing,
            ProductVariantChannelListing,
        )
        from saleor.warehouse.models import ChannelWarehouse, Stock

        models = rule_facts.ConditionModels(
            ProductVariantChannelListing, Stock, ChannelWarehouse, Category, ProductChannelListing, CollectionProduct,
            AssignedVariantAttributeValue, AssignedProductAttributeValue,
        )
        return rule_facts.condition_counts(models, channel_id, trees, warehouse_ids, limit, timezone.now(),
                                           _zone_stocks(channel_id, country_code))


    # --- Orders: through Saleor's own order logic ------------------------------------------------------

    def variants_by_sku(self, channel_id: int, skus: list[str]) -> dict[str, int]:
        from saleor.product.models import ProductVariant

        return dict(ProductVariant.objects.filter(sku__in=list(skus)).values_list("sku", "pk"))

    def create_order(self, new: NewOrder) -> HostOrder:
        """An order as OrderBulkCreate builds one (origin BULK_CREATE, the given prices kept, no
        recalculation), its stock allocated by ``allocate_stocks``, then ``order_created`` (ORDER_CREATED
        and the plugins' hooks, after the commit) and ``order_confirmed`` when it is confirmed."""
        from saleor.channel.models import Channel
        from saleor.order import OrderOrigin, OrderStatus
        from saleor.order.actions import order_confirmed, order_created
        from saleor.order.fetch import fetch_order_info
        from saleor.order.models import Order, OrderLine
        from saleor.order.search import update_order_search_vector
        from saleor.plugins.manager import get_plugins_manager
        from saleor.product.models import ProductVariant, ProductVariantChannelListing
        from saleor.site.models import Site

        from saleor_amazon_channel.core.host import OrderRefused

        channel = Channel.objects.filter(pk=new.channel_id).first()
        if channel is None:
            raise OrderRefused("channel_missing", "The channel no longer exists.")
        if Order.objects.filter(external_reference=new.external_reference).exists():
            raise OrderRefused("reference_taken", f"An order already has the reference {new.external_reference}.")
        ids = [line.variant_id for line in new.lines]
        variants = ProductVariant.objects.select_related("product__product_type").in_bulk(ids)
        listed = set(ProductVariantChannelListing.objects.filter(channel=channel, variant_id__in=ids)
                     .values_list("variant_id", flat=True))
        missing = [vid for vid in ids if vid not in variants or vid not in listed]
        if missing:
            raise OrderRefused("variant_missing", f"Variants {missing} are deleted or not in the channel.")
        site_settings = Site.objects.get_current().settings
        subtotal_net = sum((line.unit_price_net * line.quantity for line in new.lines), start=Decimal(0))
        subtotal_gross = sum((line.unit_price_gross * line.quantity for line in new.lines), start=Decimal(0))
        shipping_address = _saleor_address(new.shipping_address)
        billing_address = _saleor_address(new.billing_address)
        order = Order(
            status=new.status, origin=OrderOrigin.BULK_CREATE, channel=channel, currency=new.currency,
            user_email=new.user_email, shipping_address=shipping_address, billing_address=billing_address,
            shipping_method_name=new.shipping_method_name or None, external_reference=new.external_reference,
            customer_note=new.customer_note, metadata=dict(new.metadata), lines_count=len(new.lines),
            shipping_price_net_amount=new.shipping_price_net, shipping_price_gross_amount=new.shipping_price_gross,
            base_shipping_price_amount=new.shipping_price_net,
            undiscounted_base_shipping_price_amount=new.shipping_price_net,
            subtotal_net_amount=subtotal_net, subtotal_gross_amount=subtotal_gross,
            total_net_amount=subtotal_net + new.shipping_price_net,
            total_gross_amount=subtotal_gross + new.shipping_price_gross,
            undiscounted_total_net_amount=subtotal_net + new.shipping_price_net,
            undiscounted_total_gross_amount=subtotal_gross + new.shipping_price_gross,
            should_refresh_prices=False, language_code=settings_language(),
        )
        if new.created_at is not None:
            order.created_at = new.created_at
        order.save()
        lines = []
        has_product_type = "product_type_id" in _model_fields(OrderLine)  # from Saleor 3.22
        for line in new.lines:
            variant = variants[line.variant_id]
            product = variant.product
            extra = {"product_type_id": product.product_type_id} if has_product_type else {}
            lines.append(OrderLine(
                order=order, variant=variant, product_name=line.product_name or product.name,
                variant_name=line.variant_name or variant.name, product_sku=variant.sku,
                product_variant_id=variant.get_global_id(), **extra,
                is_shipping_required=product.product_type.is_shipping_required, is_gift_card=False,
                quantity=line.quantity,
                quantity_fulfilled=line.quantity if new.status == OrderStatus.FULFILLED else 0,
                currency=new.currency,
                unit_price_net_amount=line.unit_price_net, unit_price_gross_amount=line.unit_price_gross,
                undiscounted_unit_price_net_amount=line.unit_price_net,
                undiscounted_unit_price_gross_amount=line.unit_price_gross,
                total_price_net_amount=line.unit_price_net * line.quantity,
                total_price_gross_amount=line.unit_price_gross * line.quantity,
                undiscounted_total_price_net_amount=line.unit_price_net * line.quantity,
                undiscounted_total_price_gross_amount=line.unit_price_gross * line.quantity,
                base_unit_price_amount=line.unit_price_net, undiscounted_base_unit_price_amount=line.unit_price_net,
                tax_rate=line.tax_rate,
            ))
        OrderLine.objects.bulk_create(lines)
        if new.allocate:
            _allocate(order, lines, channel, site_settings)
        update_order_search_vector(order)  # Saleor's order search finds it by Amazon's ID, e-mail, SKUs
        manager = get_plugins_manager(allow_replica=False)
        order_created(fetch_order_info(order), None, None, manager, site_settings=site_settings)
        if new.status == OrderStatus.UNFULFILLED and not channel.automatically_confirm_all_new_orders:
            order_confirmed(order, None, None, manager)
        return _host_order(order)

    def find_orders(self, external_references: list[str]) -> dict[str, HostOrder]:
        from saleor.order.models import Order

        return {o.external_reference: _host_order(o)
                for o in Order.objects.filter(external_reference__in=list(external_references))}

    def get_orders(self, order_ids: list[str]) -> dict[str, HostOrder]:
        from saleor.order.models import Order

        return {str(o.pk): _host_order(o) for o in Order.objects.filter(pk__in=list(order_ids))}

    def confirm_order(self, order_id: str, *, allocate: bool) -> HostOrder:
        from saleor.order import OrderStatus
        from saleor.order.actions import order_confirmed
        from saleor.order.models import Order
        from saleor.plugins.manager import get_plugins_manager
        from saleor.site.models import Site
        from saleor.warehouse.models import Allocation

        order = Order.objects.select_for_update().select_related("channel").get(pk=order_id)
        if order.status != OrderStatus.UNCONFIRMED:
            return _host_order(order)
        lines = list(order.lines.select_related("variant"))
        if allocate and not Allocation.objects.filter(order_line__in=lines).exists():
            _allocate(order, lines, order.channel, Site.objects.get_current().settings)
        order.status = OrderStatus.UNFULFILLED
        order.save(update_fields=["status", "updated_at"])
        order_confirmed(order, None, None, get_plugins_manager(allow_replica=False))
        return _host_order(order)

    def cancel_order(self, order_id: str) -> HostOrder:
        from saleor.order import OrderStatus
        from saleor.order.actions import cancel_order
        from saleor.order.models import Order
        from saleor.plugins.manager import get_plugins_manager
        from saleor.site.models import Site

        from saleor_amazon_channel.core.host import OrderRefused

        order = Order.objects.select_for_update().get(pk=order_id)
        if order.status == OrderStatus.CANCELED:
            return _host_order(order)
        if order.status not in (OrderStatus.UNCONFIRMED, OrderStatus.UNFULFILLED):
            raise OrderRefused("invalid", "Saleor cannot cancel an order with fulfilled items.")
        manager = get_plugins_manager(allow_replica=False)
        if saleor_version() >= (3, 23):
            cancel_order(order, None, None, manager, Site.objects.get_current().settings)
        else:  # 3.21, 3.22: no site settings (the fifth parameter is webhook_event_map)
            cancel_order(order, None, None, manager)
        return _host_order(order)

    def order_fulfillments(self, order_ids: list[str]) -> dict[str, list[HostFulfillment]]:
        from saleor.order.models import Fulfillment

        result: dict[str, list[HostFulfillment]] = {str(order_id): [] for order_id in order_ids}
        rows = (Fulfillment.objects.filter(order_id__in=list(order_ids)).select_related("order")
                .prefetch_related("lines__order_line").order_by("pk"))
        for fulfillment in rows:
            result[str(fulfillment.order_id)].append(_host_fulfillment(fulfillment))
        return result

    def fulfillments_since(self, since: datetime, limit: int = 500) -> list[HostFulfillment]:
        from saleor.order.models import Fulfillment

        rows = (Fulfillment.objects.filter(created_at__gte=since, order__external_reference__isnull=False)
                .select_related("order").prefetch_related("lines__order_line").order_by("created_at", "pk")[:limit])
        return [_host_fulfillment(f) for f in rows]


def saleor_version() -> tuple[int, int]:
    """Saleor's (major, minor), e.g. (3, 23): what the version checks of this module compare."""
    import saleor

    major, minor = saleor.schema_version.split(".")[:2]
    return int(major), int(minor)


def _zone_stocks(channel_id: int, country_code: str | None) -> Any | None:
    """The stock rows ``allocate_stocks`` takes for an order of the channel shipped to ``country_code`` when
    Saleor allocates through shipping zones (3.21, 3.22 always; 3.23 with
    ``use_legacy_shipping_zone_stock_availability``, on by default): Saleor's own ``for_channel_and_country``.
    None when every warehouse of the channel counts (3.23 with the flag off, or no country given). One query
    (the channel's slug and the flag), whatever the batch."""
    from django.conf import settings
    from django.db.models import Subquery, Value
    from saleor.channel.models import Channel
    from saleor.site.models import SiteSettings
    from saleor.warehouse.models import Stock

    if not country_code:
        return None
    channel = Channel.objects.filter(pk=channel_id)
    if saleor_version() >= (3, 23):
        # Read afresh (not Site.objects.get_current().settings: cached per process, and a cold cache costs queries).
        # Saleor sets SITE_ID (its get_current() reads it too); without it no row, and zones count (safe side).
        flag = SiteSettings.objects.filter(site_id=getattr(settings, "SITE_ID", None)).values(
            "use_legacy_shipping_zone_stock_availability")[:1]
        row = channel.annotate(legacy=Subquery(flag)).values_list("slug", "legacy").first()
    else:
        row = channel.annotate(legacy=Value(True)).values_list("slug", "legacy").first()
    if row is None:
        return Stock.objects.none()
    slug, legacy = row
    # Without a settings row Saleor would fail to allocate at all; the narrower count is the safe one.
    if legacy is False:
        return None
    return Stock.objects.for_channel_and_country(slug, country_code)


def _model_fields(model: Any) -> set[str]:
    return {field.name for field in model._meta.get_fields()}


def settings_language() -> str:
    from django.conf import settings

    return settings.LANGUAGE_CODE


def _fulfillment_hook(fulfillment: "Fulfillment") -> None:
    """Never breaks Saleor's own mutation: a failure is logged, and the periodic sweep records it later."""
    from saleor_amazon_channel.orders.hooks import fulfillment_created

    try:
        fulfillment_created(str(fulfillment.order_id), fulfillment.pk)
    except Exception:
        logger.exception("amazon_channel.orders.fulfillment_hook_failed")


def _saleor_address(address: OrderAddress | None) -> "Address | None":
    from saleor.account.models import Address

    if address is None:
        return None
    # Amazon's addresses are not Saleor's validated ones (withheld fields, free-form lines): kept as they are.
    return Address.objects.create(
        first_name=address.first_name, last_name=address.last_name, company_name=address.company_name,
        street_address_1=address.street_address_1, street_address_2=address.street_address_2, city=address.city,
        city_area=address.city_area, postal_code=address.postal_code, country=address.country,
        country_area=address.country_area, phone=address.phone, validation_skipped=True,
    )


def _host_order(order: "Order") -> HostOrder:
    from saleor.graphql.core.utils import to_global_id_or_none

    from saleor_amazon_channel.core.host import HostOrder

    return HostOrder(id=str(order.pk), number=str(order.number), status=order.status,
                     external_reference=order.external_reference or "", graphql_id=to_global_id_or_none(order) or "")


def _host_fulfillment(fulfillment: "Fulfillment") -> HostFulfillment:
    from saleor_amazon_channel.core.host import FulfillmentLineInfo, HostFulfillment

    return HostFulfillment(
        id=fulfillment.pk, order_id=str(fulfillment.order_id), status=fulfillment.status,
        tracking_number=fulfillment.tracking_number or "", created_at=fulfillment.created_at,
        lines=tuple(FulfillmentLineInfo(line.order_line.variant_id, line.order_line.product_sku or "", line.quantity)
                    for line in fulfillment.lines.all()),
        shipping_method_name=fulfillment.order.shipping_method_name or "",
        metadata={k: str(v) for k, v in (fulfillment.metadata or {}).items()},
    )


def _allocate(order: "Order", lines: list["OrderLine"], channel: "Channel", site_settings: "SiteSettings") -> None:
    """Saleor's allocate_stocks for the order's lines in the channel's warehouses (InsufficientStock → refused)."""
    from saleor.core.exceptions import InsufficientStock
    from saleor.order.fetch import OrderLineInfo
    from saleor.plugins.manager import get_plugins_manager
    from saleor.warehouse.management import allocate_stocks

    from saleor_amazon_channel.core.host import OrderRefused, StockShortage

    country = (order.shipping_address.country.code if order.shipping_address_id and order.shipping_address.country
               else channel.default_country.code)
    lines_info = [OrderLineInfo(line=line, quantity=line.quantity, variant=line.variant) for line in lines]
    try:
        if saleor_version() >= (3, 23):
            allocate_stocks(
                lines_info, country, channel, site_settings, None,
                calculate_stocks_with_shipping_zones=site_settings.use_legacy_shipping_zone_stock_availability,
            )
        else:  # 3.21, 3.22: the manager instead, and stock always counted through the shipping zones
            allocate_stocks(lines_info, country, channel, get_plugins_manager(allow_replica=False))
    except InsufficientStock as error:
        shortages = tuple(
            StockShortage(item.variant.pk if item.variant else 0, item.order_line.quantity if item.order_line else 0,
                          item.available_quantity or 0)
            for item in error.items
        )
        raise OrderRefused("insufficient_stock", str(error), shortages) from None


def _send_notify(event: str, payload: dict[str, Any]) -> None:
    """Runs after the commit: a failure is logged and goes no further (what it follows is saved)."""
    from saleor.core.db.connection import allow_writer
    from saleor.plugins.manager import get_plugins_manager

    try:
        with allow_writer():
            get_plugins_manager(allow_replica=False).notify(event, payload_func=lambda: payload)
    except Exception:
        logger.exception("amazon_channel.notify.failed", extra={"event": event})
