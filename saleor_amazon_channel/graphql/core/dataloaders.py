"""Every DataLoader of the API, in one module: a store list or a result page costs a constant number of
queries whatever its length (one query per kind of data, batched over the page's stores).

Each loader is created once per request through ``info.context.loader(cls)``.
"""

from datetime import datetime

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from promise import Promise

from saleor_amazon_channel.catalog import storage
from saleor_amazon_channel.catalog.models import CatalogMatchRun
from saleor_amazon_channel.consent.connections import PENDING_LIFETIME
from saleor_amazon_channel.consent.models import PendingConnection
from saleor_amazon_channel.graphql.core.context import ContextLoader
from saleor_amazon_channel.stores.models import AmazonStoreEvent, EventType

# The events that say how the last connection attempt or check ended.
OUTCOME_EVENTS = [
    EventType.CONNECTED,
    EventType.RENEWED,
    EventType.CONNECT_FAILED,
    EventType.CHECKED,
    EventType.CHECK_FAILED,
    EventType.DISCONNECTED,
]


class LastOutcomeLoader(ContextLoader):
    """The newest outcome event (connected, failed, checked…) of many stores in one query."""

    def batch_load_fn(self, keys: list[int]) -> Promise[list[AmazonStoreEvent | None]]:
        ranked = (
            AmazonStoreEvent.objects.filter(store_id__in=set(keys), type__in=OUTCOME_EVENTS)
            .annotate(
                rank=Window(RowNumber(), partition_by=[F("store_id")], order_by=[F("date").desc(), F("pk").desc()])
            )
            .filter(rank=1)
        )
        by_store = {event.store_id: event for event in ranked}
        return Promise.resolve([by_store.get(key) for key in keys])


class PendingSinceLoader(ContextLoader):
    """When the open consent of each store started (unused and not expired), in one query."""

    def batch_load_fn(self, keys: list[int]) -> Promise[list[datetime | None]]:
        since = timezone.now() - PENDING_LIFETIME
        started: dict[int, datetime] = {}
        for store_id, created_at in PendingConnection.objects.filter(
            store_id__in=set(keys), consumed_at__isnull=True, created_at__gte=since
        ).values_list("store_id", "created_at"):
            started[store_id] = max(created_at, started.get(store_id, created_at))
        return Promise.resolve([started.get(key) for key in keys])


class EventsByStoreLoader(ContextLoader):
    """The newest events of many stores in one query (no N+1 on store lists)."""

    def batch_load_fn(self, keys: list[tuple[int, int]]) -> Promise[list[list[AmazonStoreEvent]]]:
        """``keys``: (store id, how many events)."""
        limit = max(first for _, first in keys)
        store_ids = {store_id for store_id, _ in keys}
        ranked = (
            AmazonStoreEvent.objects.filter(store_id__in=store_ids)
            .select_related("authorization")
            .annotate(
                rank=Window(RowNumber(), partition_by=[F("store_id")], order_by=[F("date").desc(), F("pk").desc()])
            )
            .filter(rank__lte=limit)
            .order_by("store_id", "rank")
        )
        by_store: dict[int, list[AmazonStoreEvent]] = {}
        for event in ranked:
            assert event.store_id is not None  # filtered on it
            by_store.setdefault(event.store_id, []).append(event)
        return Promise.resolve([by_store.get(store_id, [])[:first] for store_id, first in keys])


class LatestRunByStoreLoader(ContextLoader):
    def batch_load_fn(self, store_ids: list[int]) -> Promise[list[CatalogMatchRun | None]]:
        ranked = (
            CatalogMatchRun.objects.filter(store_id__in=store_ids)
            .annotate(
                rank=Window(
                    RowNumber(), partition_by=[F("store_id")], order_by=[F("created_at").desc(), F("pk").desc()]
                )
            )
            .filter(rank=1)
        )
        by_store = {run.store_id: run for run in ranked}
        return Promise.resolve([by_store.get(store_id) for store_id in store_ids])


class CountsByStoreLoader(ContextLoader):
    def batch_load_fn(self, store_ids: list[int]) -> Promise[list[dict[str, int]]]:
        counts = storage.counts(list(store_ids))
        return Promise.resolve([counts.get(store_id, {}) for store_id in store_ids])
