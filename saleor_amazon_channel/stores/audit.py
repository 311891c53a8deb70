"""The audit trail: who did what to which store, and when. Never a secret in it.

Every row is built by :func:`event` (the one writer's shape); :func:`record` saves one,
:func:`record_many` and :func:`write` save many in one INSERT.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from saleor_amazon_channel.authorizations.models import SellerAuthorization
from saleor_amazon_channel.core.host import Requestor
from saleor_amazon_channel.stores.models import AmazonStore, AmazonStoreEvent, EventType


def event(
    store: AmazonStore | None,
    type: EventType,
    requestor: Requestor,
    message: str = "",
    *,
    authorization: SellerAuthorization | None = None,
    store_name: str | None = None,
    date: datetime | None = None,
    **parameters: Any,
) -> AmazonStoreEvent:
    """An unsaved row: the store (kept by name too, it may be deleted), its authorization unless
    another is named, the requestor (user, app or a label), the message and its parameters."""
    row = AmazonStoreEvent(
        store=store if store is not None and store.pk else None,
        store_name=store_name or (store.name if store is not None else ""),
        type=type,
        user_id=requestor.user_id,
        app_id=requestor.app_id,
        actor=requestor.label[:255],
        message=message[:500],
        parameters=parameters,
    )
    if authorization is not None:
        row.authorization = authorization
    elif store is not None:
        row.authorization_id = store.authorization_id
    if date is not None:
        row.date = date
    return row


def record(
    store: AmazonStore | None, type: EventType, requestor: Requestor, message: str = "", **fields: Any
) -> AmazonStoreEvent:
    """Save one :func:`event` (``fields``: its keyword arguments)."""
    row = event(store, type, requestor, message, **fields)
    row.save(force_insert=True)
    return row


def record_many(
    stores: Iterable[AmazonStore], type: EventType, requestor: Requestor, message: str = "", **parameters: Any
) -> None:
    """One event per store, in one INSERT."""
    write(event(store, type, requestor, message, **parameters) for store in stores)


def write(rows: Iterable[AmazonStoreEvent]) -> None:
    """Rows built by :func:`event`, in one INSERT."""
    rows = list(rows)
    if rows:
        AmazonStoreEvent.objects.bulk_create(rows)
