from datetime import datetime
from types import ModuleType

import graphene
from django.db.models import Model
from graphene.types.generic import GenericScalar
from promise import Promise

from saleor_amazon_channel.amazon import endpoints
from saleor_amazon_channel.authorizations.models import ConnectionStatus, SellerAuthorization
from saleor_amazon_channel.catalog.models import CatalogMatchRun
from saleor_amazon_channel.core import ids, marketplaces
from saleor_amazon_channel.core.host import SYSTEM
from saleor_amazon_channel.graphql.catalog.types import AmazonCatalogMatchRun
from saleor_amazon_channel.graphql.core.context import Info
from saleor_amazon_channel.graphql.core.dataloaders import (
    EventsByStoreLoader,
    LastOutcomeLoader,
    LatestRunByStoreLoader,
    PendingSinceLoader,
)
from saleor_amazon_channel.graphql.listings.types import AmazonListingSync, resolve_listing_sync
from saleor_amazon_channel.stores import setup_tasks
from saleor_amazon_channel.stores.models import AmazonStore as AmazonStoreModel
from saleor_amazon_channel.stores.models import (
    AmazonStoreEvent,
    EventType,
    ProductIdSource,
    ProductIdType,
    SetupTask,
    shown_error,
)

# Rows written before the consent flow named only the user who acted (an older release wrote "Amazon").
LEGACY_AMAZON_ACTOR = "Amazon"

AmazonRegion = graphene.Enum(
    "AmazonRegion", [(r.name, r.value) for r in marketplaces.Region], description="SP-API region."
)
AmazonStoreConnectionStatus = graphene.Enum(
    "AmazonStoreConnectionStatus",
    [(status.name, status.value) for status in ConnectionStatus],
    description="Where the store's Amazon authorization stands.",
)
AmazonProductIdType = graphene.Enum(
    "AmazonProductIdType", [(v, v) for v in ProductIdType.values], description="Identifier Amazon matches products on."
)
AmazonProductIdSource = graphene.Enum(
    "AmazonProductIdSource",
    [("ATTRIBUTE", ProductIdSource.ATTRIBUTE.value), ("VARIANT_SKU", ProductIdSource.VARIANT_SKU.value)],
    description="Where in Saleor the identifier lives.",
)
AmazonStoreEventType = graphene.Enum(
    "AmazonStoreEventType", [(t.name, t.value) for t in EventType], description="Kinds of audit events."
)


AmazonStoreEventActorKind = graphene.Enum(
    "AmazonStoreEventActorKind",
    [("STAFF", "staff"), ("APP", "app"), ("AMAZON", "amazon"), ("SYSTEM", "system")],
    description="Who did it: a staff member, an app, Amazon (a consent it started) or the plugin itself.",
)
AmazonSetupTaskKey = graphene.Enum(
    "AmazonSetupTaskKey",
    [(key.upper(), key) for key in SetupTask.Key.values],
    description="Pre-configuration tasks only the merchant can confirm.",
)

FAILURE_EVENTS = {EventType.CONNECT_FAILED.value, EventType.CHECK_FAILED.value}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class AmazonMarketplace(graphene.ObjectType):
    id = graphene.ID(required=True, description="Amazon marketplace ID, e.g. ATVPDKIKX0DER.")
    country_code = graphene.String(required=True, description="ISO 3166 country code, e.g. US.")
    country_name = graphene.String(required=True)
    region = AmazonRegion(required=True)
    seller_central_url = graphene.String(required=True, description="Where sellers of this marketplace consent.")
    currency_code = graphene.String(required=True)
    domain = graphene.String(required=True)

    @staticmethod
    def resolve_region(root: marketplaces.Marketplace, info: Info) -> str:
        return root.region.value

    @staticmethod
    def resolve_seller_central_url(root: marketplaces.Marketplace, info: Info) -> str:
        return endpoints.seller_central_url(root)


class AmazonStoreChannel(graphene.ObjectType):
    id = graphene.ID(required=True, description="Saleor's own Channel global ID.")
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    currency_code = graphene.String(required=True)

    @staticmethod
    def resolve_id(root: Model, info: Info) -> str:
        return ids.to_global_id("Channel", root.pk)


class AmazonProductIdentifier(graphene.ObjectType):
    type = AmazonProductIdType(required=True)
    source = AmazonProductIdSource(required=True)
    attribute = graphene.String(description="Saleor attribute slug, when the source is ATTRIBUTE.")


class AmazonMarketplaceParticipation(graphene.ObjectType):
    marketplace = graphene.Field(AmazonMarketplace, required=True)
    store_name = graphene.String()
    is_participating = graphene.Boolean(required=True)
    has_suspended_listings = graphene.Boolean(required=True)


class AmazonStoreEventNode(graphene.ObjectType):
    id = graphene.ID(required=True)
    type = AmazonStoreEventType(required=True)
    date = graphene.DateTime(required=True)
    actor = graphene.String(description="Staff e-mail, app name, Amazon or system.")
    actor_kind = AmazonStoreEventActorKind(required=True)
    message = graphene.String(description="The event in English, for logs and API users.")
    data = GenericScalar(
        required=True,
        description="The event's facts (reason, fields, sellerId, region, errorCode…): a client words the event "
        "in its own language from type + data.",
    )

    class Meta:
        name = "AmazonStoreEvent"

    @staticmethod
    def resolve_id(root: AmazonStoreEvent, info: Info) -> str:
        return ids.to_global_id("AmazonStoreEvent", root.pk)

    @staticmethod
    def resolve_actor_kind(root: AmazonStoreEvent, info: Info) -> str:
        if root.user_id:
            return "staff"
        if root.app_id:
            return "app"
        if root.actor == LEGACY_AMAZON_ACTOR:
            return "amazon"
        if root.actor in ("", SYSTEM.label):
            return "system"
        return "staff"  # a user since deleted: the label (their e-mail) is all that is left

    @staticmethod
    def resolve_data(root: AmazonStoreEvent, info: Info) -> dict[str, object]:
        data = {_camel(key): value for key, value in (root.parameters or {}).items() if value not in (None, "")}
        authorization = root.authorization if root.authorization_id else None
        if authorization is not None and "sellerId" not in data:
            # Connected / renewed / revoked: the seller is the event's authorization.
            data["sellerId"] = authorization.selling_partner_id
            data["region"] = authorization.region
        return data


class AmazonStoreFailure(graphene.ObjectType):
    type = AmazonStoreEventType(required=True, description="CONNECT_FAILED or CHECK_FAILED.")
    date = graphene.DateTime(required=True)
    reason = graphene.String(description="The connection failure's reason code, or the check's error code.")
    message = graphene.String(description="The failure in English.")


MAX_EVENTS = 200


class AmazonStore(graphene.ObjectType):
    name = graphene.String(required=True)
    contact_email = graphene.String(required=True)
    channel = graphene.Field(
        AmazonStoreChannel, description="The Saleor channel it sells from; null after the channel was deleted."
    )
    marketplace = graphene.Field(AmazonMarketplace, required=True)
    product_identifier = graphene.Field(AmazonProductIdentifier, required=True)
    is_active = graphene.Boolean(required=True, description="Inactive stores keep their settings but pause syncing.")
    created = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    status = AmazonStoreConnectionStatus(required=True)
    selling_partner_id = graphene.String()
    authorized_at = graphene.DateTime()
    authorization_expires_at = graphene.DateTime()
    last_checked_at = graphene.DateTime()
    last_error = graphene.String(description="Why the connection is in error, for a person (English).")
    last_error_code = graphene.String(description="The code of last_error, for a client to word it in its language.")
    last_failure = graphene.Field(
        AmazonStoreFailure,
        description="How the last connection attempt or check failed, when that is the latest outcome "
        "(cleared by a success, a passed check or a disconnect).",
    )
    connection_pending_since = graphene.DateTime(
        description="A consent was started and Amazon has not answered yet (its tab may still be open)."
    )
    participations = graphene.List(graphene.NonNull(AmazonMarketplaceParticipation), required=True)
    events = graphene.List(
        graphene.NonNull(AmazonStoreEventNode),
        required=True,
        first=graphene.Int(default_value=50, description=f"At most {MAX_EVENTS}."),
        description="The audit trail, newest first.",
    )
    catalog_match_run = graphene.Field(
        AmazonCatalogMatchRun, description="The latest catalog match of the store (the running one while it runs)."
    )
    listing_sync = graphene.Field(
        AmazonListingSync, description="The latest listings sync of the store (the running one while it runs)."
    )
    order_sync = graphene.Field(
        lambda: _order_types().AmazonOrderSync, required=True,
        description="The store's Amazon order polling: last and next poll, cursor, last error, what waits.",
    )

    class Meta:
        interfaces = (graphene.relay.Node,)
        description = "An Amazon store: one Amazon marketplace sold to from one Saleor channel."

    @staticmethod
    def resolve_marketplace(root: AmazonStoreModel, info: Info) -> marketplaces.Marketplace:
        return root.marketplace

    @staticmethod
    def resolve_product_identifier(root: AmazonStoreModel, info: Info) -> AmazonProductIdentifier:
        return AmazonProductIdentifier(
            type=root.product_id_type,
            source=root.product_id_source,
            attribute=root.product_id_attribute or None,
        )

    @staticmethod
    def resolve_created(root: AmazonStoreModel, info: Info) -> datetime:
        return root.created_at

    @staticmethod
    def resolve_status(root: AmazonStoreModel, info: Info) -> str:
        return root.status().value

    @staticmethod
    def resolve_selling_partner_id(root: AmazonStoreModel, info: Info) -> str | None:
        authorization = _authorization(root)
        return authorization.selling_partner_id if authorization is not None else None

    @staticmethod
    def resolve_authorized_at(root: AmazonStoreModel, info: Info) -> datetime | None:
        authorization = _authorization(root)
        return authorization.authorized_at if authorization is not None else None

    @staticmethod
    def resolve_authorization_expires_at(root: AmazonStoreModel, info: Info) -> datetime | None:
        authorization = _authorization(root)
        return authorization.expires_at if authorization is not None else None

    @staticmethod
    def resolve_last_checked_at(root: AmazonStoreModel, info: Info) -> datetime | None:
        authorization = _authorization(root)
        return authorization.last_checked_at if authorization is not None else None

    @staticmethod
    def resolve_last_error(root: AmazonStoreModel, info: Info) -> str | None:
        error = shown_error(root)
        return error.message if error else None

    @staticmethod
    def resolve_last_error_code(root: AmazonStoreModel, info: Info) -> str | None:
        error = shown_error(root)
        return (error.code or None) if error else None

    @staticmethod
    def resolve_last_failure(root: AmazonStoreModel, info: Info) -> Promise[AmazonStoreFailure | None]:
        def failure(event: AmazonStoreEvent | None) -> AmazonStoreFailure | None:
            if event is None or event.type not in FAILURE_EVENTS:
                return None
            parameters = event.parameters or {}
            return AmazonStoreFailure(
                type=event.type,
                date=event.date,
                reason=parameters.get("reason") or parameters.get("error_code") or None,
                message=event.message or None,
            )

        return info.context.loader(LastOutcomeLoader).load(root.pk).then(failure)

    @staticmethod
    def resolve_connection_pending_since(root: AmazonStoreModel, info: Info) -> Promise[datetime | None]:
        return info.context.loader(PendingSinceLoader).load(root.pk)

    @staticmethod
    def resolve_participations(root: AmazonStoreModel, info: Info) -> list[AmazonMarketplaceParticipation]:
        authorization = _authorization(root)
        if authorization is None:
            return []
        result = []
        for entry in authorization.participations or []:
            marketplace = marketplaces.BY_ID.get(entry.get("marketplaceId"))
            if marketplace is None:
                continue  # a marketplace Amazon added after this release
            result.append(
                AmazonMarketplaceParticipation(
                    marketplace=marketplace,
                    store_name=entry.get("storeName"),
                    is_participating=bool(entry.get("isParticipating")),
                    has_suspended_listings=bool(entry.get("hasSuspendedListings")),
                )
            )
        return result

    @staticmethod
    def resolve_events(
        root: AmazonStoreModel, info: Info, first: int | None = 50
    ) -> list[AmazonStoreEvent] | Promise[list[AmazonStoreEvent]]:
        first = max(0, min(first or 0, MAX_EVENTS))
        if not first:
            return []
        return info.context.loader(EventsByStoreLoader).load((root.pk, first))

    @staticmethod
    def resolve_catalog_match_run(root: AmazonStoreModel, info: Info) -> Promise[CatalogMatchRun | None]:
        return info.context.loader(LatestRunByStoreLoader).load(root.pk)

    resolve_listing_sync = staticmethod(resolve_listing_sync)

    @staticmethod
    def resolve_order_sync(root: AmazonStoreModel, info: Info) -> Promise[object]:
        loaded: Promise[object] = info.context.loader(_order_types().OrderSyncByStoreLoader).load(root.pk)
        return loaded


def _authorization(store: AmazonStoreModel) -> SellerAuthorization | None:
    """The store's authorization; no query for a store never connected (its id says so)."""
    return store.authorization if store.authorization_id else None


def _order_types() -> ModuleType:
    """The orders' GraphQL types (imported late: they are a sibling domain's, shown on the store)."""
    from saleor_amazon_channel.graphql.orders import types

    return types


class AmazonStoreCountableConnection(graphene.relay.Connection):
    total_count = graphene.Int(description="How many stores match, across all pages.")

    class Meta:
        node = AmazonStore


class AmazonChannelSetup(graphene.ObjectType):
    is_configured = graphene.Boolean(required=True)
    missing_configuration = graphene.List(graphene.NonNull(graphene.String), required=True)
    redirect_uri = graphene.String(
        required=True, description="Register as the OAuth Redirect URI in Developer Central."
    )
    login_uri = graphene.String(required=True, description="Register as the OAuth Login URI in Developer Central.")
    draft_app = graphene.Boolean(required=True)
    tasks = graphene.List(
        graphene.NonNull(lambda: AmazonSetupTask),
        required=True,
        description="The pre-configuration tasks only the merchant can confirm, ticked or not.",
    )

    @staticmethod
    def resolve_tasks(root: "AmazonChannelSetup", info: Info) -> "list[AmazonSetupTask]":
        ticked = setup_tasks.ticked()
        return [
            AmazonSetupTask(
                key=key,
                done=bool(ticked.get(key) and ticked[key].done),
                updated_at=ticked[key].updated_at if key in ticked else None,
                updated_by=(ticked[key].actor or None) if key in ticked else None,
            )
            for key in setup_tasks.KEYS
        ]


class AmazonSetupTask(graphene.ObjectType):
    key = AmazonSetupTaskKey(required=True)
    done = graphene.Boolean(required=True)
    updated_at = graphene.DateTime(description="When it was last ticked or unticked.")
    updated_by = graphene.String(description="Who ticked or unticked it (staff e-mail or app name).")
