"""The audit trail: who did what to which store, and when. Never a secret in it."""

from .host import Requestor
from .models import AmazonStore, AmazonStoreEvent, EventType, SellerAuthorization


def record(
    store: AmazonStore | None,
    type: EventType,
    requestor: Requestor,
    message: str = "",
    *,
    authorization: SellerAuthorization | None = None,
    store_name: str | None = None,
    **parameters,
) -> AmazonStoreEvent:
    return AmazonStoreEvent.objects.create(
        store=store if store is not None and store.pk else None,
        store_name=store_name or (store.name if store is not None else ""),
        authorization=authorization or (store.authorization if store is not None and store.authorization_id else None),
        type=type,
        user_id=requestor.user_id,
        app_id=requestor.app_id,
        actor=requestor.label[:255],
        message=message[:500],
        parameters=parameters,
    )


def record_many(stores, type: EventType, requestor: Requestor, message: str = "", **parameters) -> None:
    """One event per store, in one INSERT."""
    AmazonStoreEvent.objects.bulk_create(
        AmazonStoreEvent(
            store=store,
            store_name=store.name,
            authorization_id=store.authorization_id,
            type=type,
            user_id=requestor.user_id,
            app_id=requestor.app_id,
            actor=requestor.label[:255],
            message=message[:500],
            parameters=parameters,
        )
        for store in stores
    )
