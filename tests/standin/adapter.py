"""The stand-in host's side of :class:`saleor_amazon_channel.host.Host`.

Mirrors what the Saleor adapter does with Saleor's own pieces: JWT staff tokens
(access and the dashboard's "thirdparty" extension tokens), hashed App tokens,
the PluginConfiguration row, staff notification recipients and PUBLIC_URL.
"""

import contextlib
import logging

import jwt
from django.conf import settings
from django.db.models import F

from saleor_amazon_channel import PLUGIN_ID
from saleor_amazon_channel.core.config import AmazonChannelConfig
from saleor_amazon_channel.core.host import ANONYMOUS, AuthenticationFailed, Host, Requestor

from .account.models import StaffNotificationRecipient, User
from .app.models import App, AppToken
from .plugins.models import PluginConfiguration

logger = logging.getLogger(__name__)

# Notify events emitted, for tests to read (the Saleor adapter calls manager.notify).
NOTIFY_EVENTS: list[tuple[str, dict]] = []


def token_from_request(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION_BEARER")
    if header:
        return header.strip()
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    parts = auth.split()
    if len(parts) == 2 and parts[0].lower() in ("jwt", "bearer"):
        return parts[1]
    return None


class StandInHost(Host):
    def authenticate(self, request) -> Requestor:
        raw = token_from_request(request)
        if not raw:
            return ANONYMOUS
        if raw.count(".") == 2:
            return self._from_jwt(raw)
        app = App.objects.filter(tokens__token_hash=AppToken.hash(raw), is_active=True).first()
        if app is None:
            raise AuthenticationFailed("Invalid token.")
        return Requestor(app_id=app.pk, label=app.name, permissions=frozenset(app.permissions))

    def _from_jwt(self, raw: str) -> Requestor:
        try:
            payload = jwt.decode(raw, settings.SECRET_KEY, algorithms=["HS256"])
        except jwt.PyJWTError as exc:
            raise AuthenticationFailed(str(exc)) from None
        if payload.get("type") not in ("access", "thirdparty"):
            raise AuthenticationFailed("Invalid token type.")
        user = User.objects.filter(pk=payload.get("user_id"), is_active=True).first()
        if user is None or payload.get("token") != str(user.jwt_token_key):
            raise AuthenticationFailed("Invalid token.")
        permissions = set(user.permissions)
        if "permissions" in payload:
            # Extension tokens carry app ∩ user permissions, as Saleor's do.
            permissions &= set(payload["permissions"])
        return Requestor(user_id=user.pk, label=user.email, permissions=frozenset(permissions))

    def requestor_has_permission(self, user_id, app_id, permission) -> bool:
        if user_id is not None:
            user = User.objects.filter(pk=user_id, is_active=True).first()
            return user is not None and permission in user.permissions
        if app_id is not None:
            app = App.objects.filter(pk=app_id, is_active=True).first()
            return app is not None and permission in app.permissions
        return False

    def get_config(self) -> AmazonChannelConfig:
        row = PluginConfiguration.objects.filter(identifier=PLUGIN_ID).first()
        if row is None:
            return AmazonChannelConfig(active=False)
        return AmazonChannelConfig.from_items(row.configuration, active=row.active)

    def staff_notification_emails(self) -> list[str]:
        recipients = StaffNotificationRecipient.objects.filter(active=True).select_related("user")
        return sorted({r.get_email() for r in recipients if r.get_email()})

    def notify(self, event: str, payload: dict) -> None:
        NOTIFY_EVENTS.append((event, payload))

    def build_absolute_uri(self, path: str) -> str:
        return settings.PUBLIC_URL.rstrip("/") + path

    def allow_writer(self):
        return contextlib.nullcontext()

    def install_app(self, manifest: dict) -> tuple[int, bool]:
        from django.db import transaction

        with transaction.atomic():
            app, created = App.objects.update_or_create(
                identifier=manifest["id"],
                defaults={
                    "name": manifest["name"],
                    "permissions": manifest.get("permissions", []),
                    "app_url": manifest.get("appUrl", ""),
                    "is_active": True,
                },
            )
            app.extensions.all().delete()
            for extension in manifest.get("extensions", []):
                app.extensions.create(
                    label=extension["label"],
                    url=extension["url"],
                    mount=extension["mount"],
                    target=extension.get("target", "POPUP"),
                    permissions=extension.get("permissions", []),
                    options=extension.get("options", {}),
                )
        return app.pk, created

    def dashboard_app_id(self) -> str | None:
        from saleor_amazon_channel.core import ids
        from saleor_amazon_channel.dashboard import APP_IDENTIFIER

        pk = App.objects.filter(identifier=APP_IDENTIFIER, is_active=True).values_list("pk", flat=True).first()
        return ids.to_global_id("App", pk) if pk else None

    def schema_version(self) -> tuple[int, int]:
        return (3, 23)

    def channel_variants(self, channel_id, attribute_slug, *, after=0, limit=500):
        # The Saleor adapter's own helper: the queries are the same on Saleor's tables.
        from saleor_amazon_channel.catalog.variants import channel_variants

        from .attribute.models import AssignedProductAttributeValue, AssignedVariantAttributeValue
        from .product.models import ProductVariantChannelListing

        return channel_variants(
            ProductVariantChannelListing, AssignedVariantAttributeValue, AssignedProductAttributeValue,
            channel_id, attribute_slug, after, limit,
        )

    def channel_warehouses(self, channel_id):
        from saleor_amazon_channel.listings.variants import channel_warehouses

        from .warehouse.models import ChannelWarehouse

        return channel_warehouses(ChannelWarehouse, channel_id)

    def offer_variants(self, channel_id, *, warehouse_ids=None, attribute_slug=None, variant_ids=None, after=0,
                       limit=500, country_code=None):
        # The Saleor adapter's own helper, on the stand-in's copies of Saleor's tables. The stand-in has no
        # shipping zones: whatever ``country_code``, every warehouse of the channel counts, as Saleor 3.23 with
        # use_legacy_shipping_zone_stock_availability off (tests/saleor/test_stock_zones.py covers the zones).
        from saleor_amazon_channel.listings.variants import offer_variants

        from .attribute.models import AssignedProductAttributeValue, AssignedVariantAttributeValue
        from .product.models import ProductVariantChannelListing
        from .warehouse.models import ChannelWarehouse, Stock

        return offer_variants(
            ProductVariantChannelListing, Stock, ChannelWarehouse, AssignedVariantAttributeValue,
            AssignedProductAttributeValue, channel_id, warehouse_ids, attribute_slug, variant_ids, after, limit,
        )

    # --- Orders: Saleor's order logic, reduced (allocate_stocks, cancel_order, order events) ----------

    def variants_by_sku(self, channel_id, skus):
        from .product.models import ProductVariant

        return dict(ProductVariant.objects.filter(sku__in=list(skus)).values_list("sku", "pk"))

    def create_order(self, order):
        from django.db import IntegrityError, transaction

        from saleor_amazon_channel.core.host import OrderRefused

        from .channel.models import Channel
        from .order.models import Order, OrderLine
        from .product.models import ProductVariant, ProductVariantChannelListing

        channel = Channel.objects.filter(pk=order.channel_id).first()
        if channel is None:
            raise OrderRefused("channel_missing", "The channel no longer exists.")
        variant_ids = [line.variant_id for line in order.lines]
        variants = ProductVariant.objects.in_bulk(variant_ids)
        listed = set(ProductVariantChannelListing.objects.filter(channel=channel, variant_id__in=variant_ids)
                     .values_list("variant_id", flat=True))
        missing = [vid for vid in variant_ids if vid not in variants or vid not in listed]
        if missing:
            raise OrderRefused("variant_missing", f"Variants {missing} are deleted or not in the channel.")
        subtotal_net = sum(line.unit_price_net * line.quantity for line in order.lines)
        subtotal_gross = sum(line.unit_price_gross * line.quantity for line in order.lines)
        try:
            with transaction.atomic():
                saved = Order.objects.create(
                    status=order.status, origin="bulk_create", user_email=order.user_email,
                    currency=order.currency, channel=channel, shipping_method_name=order.shipping_method_name,
                    shipping_price_net_amount=order.shipping_price_net,
                    shipping_price_gross_amount=order.shipping_price_gross,
                    subtotal_net_amount=subtotal_net, subtotal_gross_amount=subtotal_gross,
                    total_net_amount=subtotal_net + order.shipping_price_net,
                    total_gross_amount=subtotal_gross + order.shipping_price_gross,
                    lines_count=len(order.lines), customer_note=order.customer_note,
                    external_reference=order.external_reference, metadata=dict(order.metadata),
                    shipping_address=_address_json(order.shipping_address),
                    billing_address=_address_json(order.billing_address),
                    **({"created_at": order.created_at} if order.created_at else {}),
                )
                lines = [
                    OrderLine.objects.create(
                        order=saved, variant=variants[line.variant_id],
                        product_name=line.product_name or variants[line.variant_id].product.name,
                        variant_name=line.variant_name or variants[line.variant_id].name,
                        product_sku=variants[line.variant_id].sku, quantity=line.quantity,
                        quantity_fulfilled=line.quantity if order.status == "fulfilled" else 0,
                        currency=order.currency, unit_price_net_amount=line.unit_price_net,
                        unit_price_gross_amount=line.unit_price_gross,
                        total_price_net_amount=line.unit_price_net * line.quantity,
                        total_price_gross_amount=line.unit_price_gross * line.quantity, tax_rate=line.tax_rate,
                    )
                    for line in order.lines
                ]
                if order.allocate:
                    _allocate(channel, lines)
        except IntegrityError:
            raise OrderRefused(
                "reference_taken", f"An order already has the reference {order.external_reference}."
            ) from None
        _order_event("ORDER_CREATED", saved)
        if order.status == "unfulfilled":
            _order_event("ORDER_CONFIRMED", saved)
        return _host_order(saved)

    def find_orders(self, external_references):
        from .order.models import Order

        return {o.external_reference: _host_order(o) for o in
                Order.objects.filter(external_reference__in=list(external_references))}

    def get_orders(self, order_ids):
        from .order.models import Order

        return {str(o.pk): _host_order(o) for o in Order.objects.filter(pk__in=list(order_ids))}

    def confirm_order(self, order_id, *, allocate):
        from .order.models import Order
        from .warehouse.models import Allocation

        order = Order.objects.select_for_update().get(pk=order_id)
        if order.status != "unconfirmed":
            return _host_order(order)
        lines = list(order.lines.select_related("variant"))
        if allocate and not Allocation.objects.filter(order_line_id__in=[line.pk for line in lines]).exists():
            _allocate(order.channel, lines)
        order.status = "unfulfilled"
        order.save(update_fields=["status", "updated_at"])
        _order_event("ORDER_CONFIRMED", order)
        return _host_order(order)

    def cancel_order(self, order_id):
        from saleor_amazon_channel.core.host import OrderRefused

        from .order.models import Order
        from .warehouse.models import Allocation, Stock

        order = Order.objects.select_for_update().get(pk=order_id)
        if order.status == "canceled":
            return _host_order(order)
        if order.status in ("fulfilled", "partially fulfilled"):
            raise OrderRefused("invalid", "Saleor cannot cancel an order with fulfilled items.")
        allocations = Allocation.objects.select_for_update().filter(
            order_line_id__in=list(order.lines.values_list("pk", flat=True)))
        for allocation in allocations:
            Stock.objects.filter(pk=allocation.stock_id).update(
                quantity_allocated=F("quantity_allocated") - allocation.quantity_allocated)
        allocations.delete()
        order.status = "canceled"
        order.save(update_fields=["status", "updated_at"])
        _order_event("ORDER_CANCELLED", order)
        return _host_order(order)

    def order_fulfillments(self, order_ids):
        from .order.models import Fulfillment

        result = {str(order_id): [] for order_id in order_ids}
        for fulfillment in Fulfillment.objects.filter(order_id__in=list(order_ids)).select_related(
                "order").prefetch_related("lines__order_line"):
            result[str(fulfillment.order_id)].append(_host_fulfillment(fulfillment))
        return result

    def fulfillments_since(self, since, limit=500):
        from .order.models import Fulfillment

        rows = (Fulfillment.objects.filter(created_at__gte=since, order__external_reference__isnull=False)
                .select_related("order").prefetch_related("lines__order_line").order_by("created_at", "pk")[:limit])
        return [_host_fulfillment(f) for f in rows]

    def variant_facts(self, channel_id, variant_ids):
        # The Saleor adapter's own helper, on the stand-in's copies of Saleor's tables.
        from django.utils import timezone

        from saleor_amazon_channel.rules.facts import variant_facts

        from .attribute.models import AssignedProductAttributeValue, AssignedVariantAttributeValue
        from .product.models import Category, CollectionProduct, ProductChannelListing, ProductVariant

        return variant_facts(
            ProductVariant, Category, ProductChannelListing, CollectionProduct, AssignedVariantAttributeValue,
            AssignedProductAttributeValue, channel_id, variant_ids, timezone.now(),
        )

    def condition_counts(self, channel_id, trees, *, warehouse_ids=None, limit=100, country_code=None):
        # No shipping zones here: ``country_code`` narrows nothing (see offer_variants).
        from django.utils import timezone

        from saleor_amazon_channel.rules.facts import ConditionModels, condition_counts

        from .attribute.models import AssignedProductAttributeValue, AssignedVariantAttributeValue
        from .product.models import Category, CollectionProduct, ProductChannelListing, ProductVariantChannelListing
        from .warehouse.models import ChannelWarehouse, Stock

        models = ConditionModels(ProductVariantChannelListing, Stock, ChannelWarehouse, Category,
                                 ProductChannelListing, CollectionProduct, AssignedVariantAttributeValue,
                                 AssignedProductAttributeValue)
        return condition_counts(models, channel_id, trees, warehouse_ids, limit, timezone.now())


# Order webhooks the stand-in "sent" (after the commit, as Saleor's call_event), for tests to read.
ORDER_EVENTS: list[tuple[str, str]] = []


def _order_event(event: str, order) -> None:
    from django.db import transaction

    reference = order.external_reference or str(order.pk)
    transaction.on_commit(lambda: ORDER_EVENTS.append((event, reference)))


def _address_json(address):
    from dataclasses import asdict

    return asdict(address) if address is not None else None


def _allocate(channel, lines):
    """Saleor's allocate_stocks, reduced: stocks of the channel's warehouses locked by pk, the most
    available first; InsufficientStock (here OrderRefused) when a line cannot be covered."""
    from saleor_amazon_channel.core.host import OrderRefused, StockShortage

    from .warehouse.models import Allocation, Stock

    shortages = []
    for line in lines:
        variant = line.variant
        if variant is None or not variant.track_inventory:
            continue
        stocks = list(Stock.objects.select_for_update().filter(
            product_variant=variant, warehouse__channelwarehouse__channel=channel).order_by("pk"))
        stocks.sort(key=lambda s: s.quantity - s.quantity_allocated, reverse=True)
        needed = line.quantity
        available = sum(max(s.quantity - s.quantity_allocated, 0) for s in stocks)
        if available < needed:
            shortages.append(StockShortage(variant.pk, needed, available))
            continue
        for stock in stocks:
            take = min(needed, max(stock.quantity - stock.quantity_allocated, 0))
            if take <= 0:
                continue
            Allocation.objects.create(order_line_id=line.pk, stock=stock, quantity_allocated=take)
            Stock.objects.filter(pk=stock.pk).update(quantity_allocated=F("quantity_allocated") + take)
            needed -= take
            if needed == 0:
                break
    if shortages:
        raise OrderRefused(
            "insufficient_stock",
            "Not enough stock for " + ", ".join(f"variant {s.variant_id} ({s.available} of {s.requested})"
                                                for s in shortages),
            tuple(shortages),
        )


def _host_order(order):
    from saleor_amazon_channel.core import ids
    from saleor_amazon_channel.core.host import HostOrder

    return HostOrder(id=str(order.pk), number=str(order.number), status=order.status,
                     external_reference=order.external_reference or "", graphql_id=ids.to_global_id("Order", order.pk))


def _host_fulfillment(fulfillment):
    from saleor_amazon_channel.core.host import FulfillmentLineInfo, HostFulfillment

    return HostFulfillment(
        id=fulfillment.pk, order_id=str(fulfillment.order_id), status=fulfillment.status,
        tracking_number=fulfillment.tracking_number, created_at=fulfillment.created_at,
        lines=tuple(FulfillmentLineInfo(line.order_line.variant_id, line.order_line.product_sku or "", line.quantity)
                    for line in fulfillment.lines.all()),
        shipping_method_name=fulfillment.order.shipping_method_name or "",
        metadata=dict(fulfillment.metadata or {}),
    )
