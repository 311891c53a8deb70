"""Adding, editing and deleting Amazon stores: validation, persistence, audit.

The GraphQL mutations and management commands call these; each function either
saves everything and writes its audit event, or raises a :class:`.errors.DomainError`
(fields named as here: ``contact_email``, ``product_identifier``...) and changes nothing.
"""

from collections.abc import Mapping
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Model, Value
from django.db.models.functions import Lower

from saleor_amazon_channel.authorizations import tokens
from saleor_amazon_channel.authorizations.models import SellerAuthorization
from saleor_amazon_channel.core import db, ids, marketplaces, text
from saleor_amazon_channel.core.host import SYSTEM, Requestor
from saleor_amazon_channel.errors import DomainError, Problem, refusal
from saleor_amazon_channel.outcomes import Outcome
from saleor_amazon_channel.stores import audit
from saleor_amazon_channel.stores.models import (
    NAME_CONSTRAINT,
    AmazonStore,
    EventType,
    ProductIdSource,
    ProductIdType,
)

_NAME_FIELD_MAX = AmazonStore._meta.get_field("name").max_length
assert _NAME_FIELD_MAX is not None  # a CharField
NAME_MAX: int = _NAME_FIELD_MAX
EMAIL_MAX = 254
SLUG_MAX = 250
# Saleor's AttributeType.PRODUCT_TYPE: product and variant attributes, not page attributes.
PRODUCT_ATTRIBUTE_TYPE = "product-type"


class _Errors:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, field: str, message: str, code: Outcome) -> None:
        self.problems.append(Problem(field, code, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise DomainError(self.problems)


def _clean_name(value: object, errors: _Errors, instance: AmazonStore | None = None) -> str | None:
    if not isinstance(value, str) or not value.strip():
        errors.add("name", "Enter a store name, for example “Amazon Store USA”.", Outcome.REQUIRED)
        return None
    name = text.clean(value)
    if name is None:
        errors.add("name", "The store name contains control or invisible characters.", Outcome.INVALID)
        return None
    if not name:
        errors.add("name", "Enter a store name, for example “Amazon Store USA”.", Outcome.REQUIRED)
        return None
    if len(name) > NAME_MAX:
        errors.add("name", f"The store name can be at most {NAME_MAX} characters.", Outcome.INVALID)
        return None
    # A friendly early answer; the database's unique index on Lower(name) is what decides under races.
    if _name_taken(name, instance):
        errors.add("name", f"A store named “{name}” already exists.", Outcome.UNIQUE)
        return None
    return name


def _name_taken(name: str, instance: AmazonStore | None = None) -> bool:
    # The index's own expression, computed by the database: iexact compares UPPER() in PostgreSQL,
    # which keeps "İzmir store" and "izmir store" apart while the index's LOWER() does not.
    clash = AmazonStore.objects.alias(folded=Lower("name")).filter(folded=Lower(Value(name)))
    if instance is not None and instance.pk is not None:
        clash = clash.exclude(pk=instance.pk)
    return clash.exists()


def _clean_email(value: object, errors: _Errors) -> str | None:
    if not isinstance(value, str) or not value.strip():
        errors.add("contact_email", "Enter a contact email address.", Outcome.REQUIRED)
        return None
    email = value.strip()
    try:
        if len(email) > EMAIL_MAX or text.has_refused_characters(email):
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        errors.add("contact_email", "Enter a valid email address.", Outcome.INVALID)
        return None
    return email


def _clean_channel(value: object, errors: _Errors) -> Model | None:
    if not value:
        errors.add("channel", "Choose the Saleor channel this store sells from.", Outcome.REQUIRED)
        return None
    pk = ids.decode(value, "Channel")
    if pk is None:
        errors.add("channel", "This is not a Saleor channel ID.", Outcome.INVALID)
        return None
    channel = apps.get_model("channel", "Channel").objects.filter(pk=pk).first()
    if channel is None:
        errors.add("channel", "No Saleor channel has this ID.", Outcome.NOT_FOUND)
    return channel


def _clean_marketplace(value: object, errors: _Errors) -> marketplaces.Marketplace | None:
    if not isinstance(value, str) or not value.strip():
        errors.add("marketplace", "Choose the Amazon marketplace country.", Outcome.REQUIRED)
        return None
    marketplace = marketplaces.lookup(value)
    if marketplace is None:
        errors.add(
            "marketplace",
            "Unknown Amazon marketplace: use a country code such as US or a marketplace ID such as ATVPDKIKX0DER.",
            Outcome.INVALID,
        )
    return marketplace


def _clean_product_identifier(value: object, errors: _Errors) -> tuple[str, str, str] | None:
    """Return (type, source, attribute slug) or None."""
    if not isinstance(value, dict):
        errors.add("product_identifier", "Choose the product identifier Amazon matches on.", Outcome.REQUIRED)
        return None
    id_type = _enum_value(value.get("type"))
    given_source = _enum_value(value.get("source"))
    attribute = value.get("attribute")
    if not isinstance(id_type, str) or id_type not in ProductIdType.values:
        errors.add("product_identifier", "Choose ASIN, EAN, GTIN, ISBN, JAN, UPC or SKU.", Outcome.INVALID)
        return None
    source = given_source.lower() if isinstance(given_source, str) else ""
    if source not in ProductIdSource.values:
        errors.add("product_identifier", "Choose a Saleor attribute or the variant SKU.", Outcome.INVALID)
        return None
    if source == ProductIdSource.VARIANT_SKU:
        if attribute:
            errors.add(
                "attribute", "Leave the attribute empty when the variant SKU carries the identifier.", Outcome.INVALID
            )
            return None
        return id_type, source, ""
    if not isinstance(attribute, str) or not attribute.strip():
        errors.add("attribute", f"Choose the Saleor attribute that holds the {id_type}.", Outcome.REQUIRED)
        return None
    slug = attribute.strip()
    if len(slug) > SLUG_MAX:
        errors.add("attribute", f"An attribute slug has at most {SLUG_MAX} characters.", Outcome.INVALID)
        return None
    if text.has_refused_characters(slug):
        errors.add("attribute", "An attribute slug has no control or invisible characters.", Outcome.INVALID)
        return None
    Attribute = apps.get_model("attribute", "Attribute")
    if not Attribute.objects.filter(slug=slug, type=PRODUCT_ATTRIBUTE_TYPE).exists():
        errors.add("attribute", f"No product or variant attribute has the slug “{slug}”.", Outcome.NOT_FOUND)
        return None
    return id_type, source, slug


def _enum_value(value: object) -> object:
    # graphene 2 hands enum inputs over as their values; tolerate Enum members too.
    return getattr(value, "value", value)


def _clean_bool(value: object, field: str, errors: _Errors) -> bool | None:
    if not isinstance(value, bool):
        errors.add(field, "Must be true or false.", Outcome.INVALID)
        return None
    return value


def create_store(data: Mapping[str, Any], requestor: Requestor) -> AmazonStore:
    errors = _Errors()
    name = _clean_name(data.get("name"), errors)
    email = _clean_email(data.get("contact_email"), errors)
    channel = _clean_channel(data.get("channel"), errors)
    marketplace = _clean_marketplace(data.get("marketplace"), errors)
    identifier = _clean_product_identifier(data.get("product_identifier"), errors)
    is_active: bool | None = True
    if data.get("is_active") is not None:
        is_active = _clean_bool(data["is_active"], "is_active", errors)
    errors.raise_if_any()
    # Each clean that answers None has reported why: raise_if_any raised.
    assert name and email and channel and marketplace and identifier and is_active is not None
    id_type, source, attribute = identifier
    store = AmazonStore(
        name=name,
        contact_email=email,
        channel_id=channel.pk,
        marketplace_id=marketplace.id,
        product_id_type=id_type,
        product_id_source=source,
        product_id_attribute=attribute,
        is_active=is_active,
    )
    with transaction.atomic():
        _save_unique(store)
        audit.record(store, EventType.CREATED, requestor, f"Store created for Amazon {marketplace.country_name}.")
    return store


def update_store(store: AmazonStore, data: Mapping[str, Any], requestor: Requestor) -> AmazonStore:
    """Apply the changes ``data`` asks for, and only those.

    The row is locked and read afresh first, and only the changed columns are
    written: a callback or health check committing meanwhile (a new authorization
    link, a checked-at time) is never overwritten with what the caller loaded earlier.
    """
    with transaction.atomic():
        locked = AmazonStore.objects.select_for_update().filter(pk=store.pk).first()
        if locked is None:  # deleted since the caller loaded it
            raise refusal("store", "No Amazon store has this ID.", Outcome.NOT_FOUND)
        store = locked
        changes = _validated_changes(store, data)
        if not changes:
            return store
        for attr, value in changes.items():
            setattr(store, attr, value)
        _save_unique(store, update_fields=[*changes, "updated_at"])
        fields = sorted(_public_field(attr) for attr in changes if attr != "is_active")
        if fields:
            audit.record(store, EventType.UPDATED, requestor, "Changed: " + ", ".join(fields) + ".", fields=fields)
        if "is_active" in changes:
            kind = EventType.ACTIVATED if store.is_active else EventType.DEACTIVATED
            audit.record(store, kind, requestor, "Store activated." if store.is_active else "Store deactivated.")
    return store


def _validated_changes(store: AmazonStore, data: Mapping[str, Any]) -> dict[str, object]:
    errors = _Errors()
    changes: dict[str, object] = {}
    if "name" in data:
        name = _clean_name(data["name"], errors, instance=store)
        if name is not None and name != store.name:
            changes["name"] = name
    if "contact_email" in data:
        email = _clean_email(data["contact_email"], errors)
        if email is not None and email != store.contact_email:
            changes["contact_email"] = email
    if "channel" in data:
        channel = _clean_channel(data["channel"], errors)
        if channel is not None and channel.pk != store.channel_id:
            changes["channel"] = channel
    if "marketplace" in data and data["marketplace"] is not None:
        marketplace = _clean_marketplace(data["marketplace"], errors)
        if marketplace is not None and marketplace.id != store.marketplace_id:
            errors.add(
                "marketplace",
                "The marketplace of a store cannot change: delete the store and add a new one.",
                Outcome.IMMUTABLE,
            )
    if "product_identifier" in data:
        identifier = _clean_product_identifier(data["product_identifier"], errors)
        if identifier is not None:
            current = (store.product_id_type, store.product_id_source, store.product_id_attribute)
            if identifier != current:
                changes["product_id_type"], changes["product_id_source"], changes["product_id_attribute"] = identifier
    if "is_active" in data:
        is_active = _clean_bool(data["is_active"], "is_active", errors)
        if is_active is not None and is_active != store.is_active:
            if is_active and store.channel_id is None and "channel" not in changes:
                errors.add("channel", "Choose a Saleor channel before activating this store.", Outcome.REQUIRED)
            else:
                changes["is_active"] = is_active
    errors.raise_if_any()
    return changes


def _public_field(attr: str) -> str:
    return {
        "contact_email": "contactEmail",
        "product_id_type": "productIdentifier",
        "product_id_source": "productIdentifier",
        "product_id_attribute": "productIdentifier",
    }.get(attr, attr)


def _save_unique(store: AmazonStore, update_fields: list[str] | None = None) -> None:
    """Save; a duplicate name that won a race becomes the same field error as the pre-check.

    The unique index on Lower(name) decides; the violated constraint is read by its name.
    """
    try:
        with transaction.atomic():
            store.save(update_fields=update_fields)
    except IntegrityError as error:
        if db.violated_constraint(error) == NAME_CONSTRAINT:
            raise refusal("name", f"A store named “{store.name}” already exists.", Outcome.UNIQUE) from None
        raise


def delete_store(store: AmazonStore, requestor: Requestor) -> AmazonStore:
    """Delete the store; its authorization goes too when no other store uses it."""
    with transaction.atomic():
        store = AmazonStore.objects.select_for_update().get(pk=store.pk)
        authorization_id = store.authorization_id
        audit.record(
            store,
            EventType.DELETED,
            requestor,
            f"Store “{store.name}” deleted.",
            store_id=store.pk,
        )
        # Locked before deciding whether siblings still use it (see consent.connections.disconnect).
        authorization = (
            SellerAuthorization.objects.select_for_update().filter(pk=authorization_id).first()
            if authorization_id else None
        )
        pk = store.pk
        store.delete()
        store.pk = pk  # the payload still names what was deleted, linked to nothing any more
        store.authorization = None
        if authorization is not None and not AmazonStore.objects.filter(authorization_id=authorization.pk).exists():
            tokens.forget_access_token(authorization)  # while it still has its pk
            authorization.delete()
    return store


def deactivate_for_deleted_channel(channel_id: int, channel_slug: str) -> int:
    """Deleting a Saleor channel keeps its stores, deactivated and marked, with their Amazon link."""
    stores = list(AmazonStore.objects.filter(channel_id=channel_id))
    if not stores:
        return 0
    AmazonStore.objects.filter(pk__in=[s.pk for s in stores]).update(is_active=False)
    audit.record_many(
        stores,
        EventType.CHANNEL_DELETED,
        SYSTEM,
        f"Saleor channel “{channel_slug}” was deleted: store deactivated until a new channel is chosen.",
        channel_slug=channel_slug,
    )
    return len(stores)
