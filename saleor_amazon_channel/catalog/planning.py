"""The beginning of a catalog match run: may it start, and what does it have to ask Amazon.

- **Start** creates the run; a partial unique constraint keeps one active run per
  store, so a second start (staff, beat, a retried request) gets the running one.
  Queuing its task is the caller's (``tasks.start_run``).
- **Plan** reads the channel through the host adapter in keyset chunks of
  :data:`READ_BATCH` variants, one transaction per chunk (the run's row is locked
  only for the chunk, never over the whole channel). Each chunk settles locally what
  needs no call (no identifier, invalid identifier, unchanged and fresh results),
  drops results of variants no longer listed, and writes the lookups as batches of at
  most 20 identifiers. The planner owns the run through ``heartbeat_at``, moved on by
  every chunk: a second delivery finds a planner at work and waits; an interrupted plan
  (its planner died) is planned again from the start, which every chunk allows since
  it only writes what the channel says.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from saleor_amazon_channel.amazon import catalog as amazon_catalog
from saleor_amazon_channel.authorizations.models import ConnectionStatus
from saleor_amazon_channel.catalog import config
from saleor_amazon_channel.catalog.models import (
    ACTIVE_RUN_STATUSES,
    CatalogMatch,
    CatalogMatchBatch,
    CatalogMatchRun,
    MatchStatus,
    RunStatus,
)
from saleor_amazon_channel.core import identifiers
from saleor_amazon_channel.core.host import CatalogVariant, get_host
from saleor_amazon_channel.stores.models import AmazonStore, ProductIdSource

logger = logging.getLogger(__name__)

READ_BATCH = 500
LOOKUP_SIZE = amazon_catalog.MAX_IDENTIFIERS
# An active run silent for this long lost its task (a purged queue, a failed task): starting again resumes it.
STALLED_AFTER = timedelta(minutes=15)
# A planner that moved no chunk on for this long died: another delivery plans the run again.
PLANNER_LEASE = timedelta(minutes=2)
LOOKED_UP: tuple[str | None, ...] = (MatchStatus.MATCHED, MatchStatus.MULTIPLE_MATCHES, MatchStatus.NO_MATCH)
DETAIL_FIELDS = ["status", "asin", "asins", "title", "brand", "image_url", "error_code", "checked_at", "updated_at",
                 "product_type"]


class StartRefused(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


class RunFailed(Exception):
    """Nothing can go on (disconnected, revoked, the application refused): the run ends FAILED, results stay."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def mapping_key(store: AmazonStore) -> str:
    return f"{store.channel_id}|{store.product_id_type}|{store.product_id_source}|{store.product_id_attribute}"


def max_age() -> timedelta:
    return timedelta(days=config.max_age_days())


def active_run(store: AmazonStore) -> CatalogMatchRun | None:
    return CatalogMatchRun.objects.filter(store=store, status__in=ACTIVE_RUN_STATUSES).first()


def check_startable(store: AmazonStore) -> None:
    if store.channel_id is None:
        raise StartRefused("no_channel", "The store has no Saleor channel: choose one before matching its catalog.")
    if store.authorization_id is None:
        raise StartRefused("not_connected", "Connect the store to Amazon before matching its catalog.")
    status = store.status()
    if status in (ConnectionStatus.AUTHORIZATION_REVOKED, ConnectionStatus.AUTHORIZATION_EXPIRED):
        raise StartRefused("authorization_revoked", "The store's Amazon authorization has ended: reconnect the store.")
    if not get_host().get_config().is_complete:
        raise StartRefused("plugin_not_configured", "The plugin's Amazon application is not configured.")


def still_runnable(run_id: int, authorization_id: int | None) -> CatalogMatchRun | None:
    """Asked before every batch (one query): the run, while it should go on; None once it is over
    (cancelled, failed elsewhere, its store deleted). Raises :class:`RunFailed` when the store lost
    its channel or the connection the run started with, or the authorization ended."""
    run = (
        CatalogMatchRun.objects.select_related("store", "store__authorization").filter(pk=run_id).first()
    )
    if run is None or not run.is_active:
        return None
    store = run.store
    if store.channel_id is None or store.authorization_id is None or store.authorization_id != authorization_id:
        raise RunFailed("not_connected", "The store lost its channel or its Amazon connection during the run.")
    if store.status() in (ConnectionStatus.AUTHORIZATION_REVOKED, ConnectionStatus.AUTHORIZATION_EXPIRED):
        raise RunFailed("authorization_revoked", "The store's Amazon authorization ended during the run.")
    return run


@dataclass
class Started:
    run: CatalogMatchRun | None  # None when a concurrent start's run already finished
    created: bool
    # The run needs its task queued: it is new, or it stopped moving (resumable).
    queue: bool


def create_run(store: AmazonStore, actor: str = "") -> Started:
    """The store's new run, or the one already active."""
    check_startable(store)
    existing = active_run(store)
    if existing is not None:
        stalled = (existing.heartbeat_at or existing.created_at) < timezone.now() - STALLED_AFTER
        return Started(existing, False, stalled)  # a stalled one: at worst a second worker on the same run
    try:
        with transaction.atomic():
            run = CatalogMatchRun.objects.create(store=store, actor=actor[:255])
    except IntegrityError:
        return Started(active_run(store), False, False)
    return Started(run, True, True)


def display_name(variant: CatalogVariant) -> str:
    if variant.name and variant.product_name and variant.name != variant.product_name:
        return f"{variant.product_name} / {variant.name}"[:512]
    return (variant.name or variant.product_name)[:512]


def _clear(row: CatalogMatch, status: str | None, now: datetime) -> None:
    row.status = status
    row.asin, row.asins, row.title, row.brand, row.image_url, row.error_code = "", [], "", "", "", ""
    row.product_type = ""
    row.checked_at = None
    row.updated_at = now


@dataclass
class _Plan:
    """What the planner carries from one chunk to the next."""

    run_id: int
    store: AmazonStore
    owner: datetime  # the run's heartbeat_at as this planner last set it
    after: int = 0
    total: int = 0
    settled: int = 0
    number: int = 0
    pending: list[list[int | str]] | None = None  # [variant id, identifier] of the batch being filled


class PlanBusy(Exception):
    """Another planner is at work on the run (a second delivery): come back later."""


def plan(run_id: int, now: datetime | None = None) -> CatalogMatchRun:
    """Turn a PENDING run into a RUNNING one with its batches, a chunk of the channel per transaction.

    Idempotent: a run no longer PENDING is returned as it is. Raises :class:`PlanBusy`
    while another planner holds the run.
    """
    state = _begin(run_id, now)
    if isinstance(state, CatalogMatchRun):
        return state
    host = get_host()
    store = state.store
    mapping = mapping_key(store)
    slug = store.product_id_attribute if store.product_id_source == ProductIdSource.ATTRIBUTE else None
    stale_before = (now or timezone.now()) - max_age()
    while True:
        # Read outside the transaction: the channel is Saleor's, and reading it locks nothing of ours.
        # A channel deleted since the start lists nothing: the run plans no batch.
        variants = (
            host.channel_variants(store.channel_id, slug, after=state.after, limit=READ_BATCH)
            if store.channel_id is not None
            else []
        )
        with transaction.atomic():
            if not _still_owner(state, now):
                return CatalogMatchRun.objects.get(pk=run_id)
            if not variants:
                return _finish(state, now)
            _plan_chunk(state, variants, mapping, stale_before, now or timezone.now())


def _begin(run_id: int, now: datetime | None) -> "_Plan | CatalogMatchRun":
    with transaction.atomic():
        run = CatalogMatchRun.objects.select_for_update().select_related("store").get(pk=run_id)
        if run.status != RunStatus.PENDING:
            return run
        at = now or timezone.now()
        if run.heartbeat_at is not None and run.heartbeat_at > at - PLANNER_LEASE:
            raise PlanBusy()
        # First plan, or one whose planner died: (again) from the start.
        CatalogMatchBatch.objects.filter(run=run).delete()
        CatalogMatch.objects.filter(store=run.store).exclude(mapping=mapping_key(run.store)).delete()
        run.heartbeat_at = at
        run.save(update_fields=["heartbeat_at"])
    return _Plan(run_id=run_id, store=run.store, owner=at, pending=[])


def _still_owner(state: _Plan, now: datetime | None) -> bool:
    """Lock the run for this chunk; False when it is no longer this planner's (cancelled, or taken over)."""
    run = CatalogMatchRun.objects.select_for_update().filter(pk=state.run_id).first()
    if run is None or run.status != RunStatus.PENDING or run.heartbeat_at != state.owner:
        return False
    state.owner = max(now or timezone.now(), state.owner)
    if state.owner != run.heartbeat_at:
        CatalogMatchRun.objects.filter(pk=state.run_id).update(heartbeat_at=state.owner)
    return True


def _plan_chunk(
    state: _Plan, variants: list[CatalogVariant], mapping: str, stale_before: datetime, now: datetime
) -> None:
    store = state.store
    assert state.pending is not None
    ids = [v.variant_id for v in variants]
    # Results of variants no longer listed in this id range (unlisted, or deleted another way).
    CatalogMatch.objects.filter(store=store, variant_id__gt=state.after, variant_id__lte=ids[-1]).exclude(
        variant_id__in=ids
    ).delete()
    existing = {row.variant_id: row for row in CatalogMatch.objects.filter(store=store, variant_id__in=ids)}
    creates: list[CatalogMatch] = []
    updates: list[CatalogMatch] = []
    batches: list[CatalogMatchBatch] = []
    for variant in variants:
        found = existing.get(variant.variant_id)
        is_new = found is None
        row = found or CatalogMatch(store=store, variant_id=variant.variant_id, mapping=mapping, updated_at=now)
        before = (row.sku, row.name, row.identifier, row.status)
        row.sku, row.name = (variant.sku or "")[:255], display_name(variant)
        checked = identifiers.check(store.product_id_type, variant.identifier)
        if not checked.ok:
            if row.status != checked.problem or row.identifier != variant.identifier[:255]:
                _clear(row, checked.problem, now)
                row.identifier = variant.identifier[:255]
            state.settled += 1
        elif (
            row.status in LOOKED_UP
            and row.identifier == checked.value
            and row.checked_at is not None
            and row.checked_at >= stale_before
        ):
            state.settled += 1
        else:
            if row.identifier != checked.value or row.status not in LOOKED_UP:
                _clear(row, None, now)  # pending: an old answer about another identifier misleads
                row.identifier = checked.value
            state.pending.append([variant.variant_id, checked.value])
            if len(state.pending) == LOOKUP_SIZE:
                state.number += 1
                batches.append(CatalogMatchBatch(run_id=state.run_id, number=state.number, items=state.pending))
                state.pending = []
        if is_new:
            creates.append(row)
        elif (row.sku, row.name, row.identifier, row.status) != before:
            updates.append(row)
    CatalogMatch.objects.bulk_create(creates)
    if updates:
        CatalogMatch.objects.bulk_update(updates, ["sku", "name", "identifier", *DETAIL_FIELDS])
    CatalogMatchBatch.objects.bulk_create(batches)
    state.total += len(variants)
    state.after = ids[-1]


def _finish(state: _Plan, now: datetime | None) -> CatalogMatchRun:
    """The last chunk's transaction: drop results past the channel's end, write the last batch, start running."""
    CatalogMatch.objects.filter(store=state.store, variant_id__gt=state.after).delete()
    if state.pending:
        state.number += 1
        CatalogMatchBatch.objects.create(run_id=state.run_id, number=state.number, items=state.pending)
    at = now or timezone.now()
    run = CatalogMatchRun.objects.get(pk=state.run_id)
    run.total, run.done, run.planned_done = state.total, state.settled, state.settled
    run.status, run.started_at, run.heartbeat_at = RunStatus.RUNNING, at, at
    run.save(update_fields=["total", "done", "planned_done", "status", "started_at", "heartbeat_at"])
    logger.info("amazon_channel.catalog.planned", extra={"run_id": run.pk, "total": state.total,
                                                          "batches": state.number})
    return run
