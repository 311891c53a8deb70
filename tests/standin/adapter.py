"""The stand-in host's side of :class:`saleor_amazon_channel.host.Host`.

Mirrors what the Saleor adapter does with Saleor's own pieces: JWT staff tokens
(access and the dashboard's "thirdparty" extension tokens), hashed App tokens,
the PluginConfiguration row, staff notification recipients and PUBLIC_URL.
"""

import contextlib
import logging

import jwt
from django.conf import settings

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
                       limit=500):
        # The Saleor adapter's own helper, on the stand-in's copies of Saleor's tables.
        from saleor_amazon_channel.listings.variants import offer_variants

        from .attribute.models import AssignedProductAttributeValue, AssignedVariantAttributeValue
        from .product.models import ProductVariantChannelListing
        from .warehouse.models import ChannelWarehouse, Stock

        return offer_variants(
            ProductVariantChannelListing, Stock, ChannelWarehouse, AssignedVariantAttributeValue,
            AssignedProductAttributeValue, channel_id, warehouse_ids, attribute_slug, variant_ids, after, limit,
        )
