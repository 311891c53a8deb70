"""A catalog match run: start, plan, claim batches, look them up, commit, finish.

- **Start** creates the run; a partial unique constraint keeps one active run per
  store, so a second start (staff, beat, a retried request) gets the running one.
- **Plan** (one transaction) reads the channel through the host adapter in keyset
  batches, settles locally what needs no call (no identifier, invalid identifier,
  unchanged and fresh results), drops results of variants no longer listed, and
  writes the lookups as batches of at most 20 identifiers.
- **Execute** claims a batch (``SKIP LOCKED``, with a lease), asks Amazon, and commits
  its results with the batch's ``done`` mark in one transaction. A killed worker's
  batch is claimed again once its lease runs out; finished batches are never redone.
"""

import json
import logging
import random
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from saleor_amazon_channel.amazon import catalog as amazon_catalog
from saleor_amazon_channel.amazon import errors
from saleor_amazon_channel.amazon.http import AmazonHttp
from saleor_amazon_channel.authorizations import tokens
from saleor_amazon_channel.authorizations.models import ConnectionStatus
from saleor_amazon_channel.catalog import pacing
from saleor_amazon_channel.catalog.models import (
    ACTIVE_RUN_STATUSES,
    CatalogMatch,
    CatalogMatchBatch,
    CatalogMatchRun,
    MatchStatus,
    RunStatus,
)
from saleor_amazon_channel.core import identifiers
from saleor_amazon_channel.core.host import get_host
from saleor_amazon_channel.stores.models import AmazonStore, ProductIdSource

logger = logging.getLogger(__name__)

READ_BATCH = 500
LOOKUP_SIZE = amazon_catalog.MAX_IDENTIFIERS
DEFAULT_MAX_AGE_DAYS = 7
DEFAULT_LEASE = 120  # seconds; far more than one batch takes, retries included
# An active run silent for this long lost its task (a purged queue, a failed task): starting again resumes it.
STALLED_AFTER = timedelta(minutes=15)
MAX_ATTEMPTS = 6  # per page, 429 and transient faults
BACKOFF_BASE = 0.5
BACKOFF_MAX = 20.0
LOOKED_UP: tuple[str | None, ...] = (MatchStatus.MATCHED, MatchStatus.MULTIPLE_MATCHES, MatchStatus.NO_MATCH)
DETAIL_FIELDS = ["status", "asin", "asins", "title", "brand", "image_url", "error_code", "checked_at", "updated_at",
                 "product_type"]


class StartRefused(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


class RunFailed(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def mapping_key(store: AmazonStore) -> str:
    return f"{store.channel_id}|{store.product_id_type}|{store.product_id_source}|{store.product_id_attribute}"


def max_age() -> timedelta:
    return timedelta(days=float(getattr(settings, "AMAZON_CHANNEL_CATALOG_MAX_AGE_DAYS", DEFAULT_MAX_AGE_DAYS)))


def lease() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "AMAZON_CHANNEL_CATALOG_LEASE", DEFAULT_LEASE)))


def active_run(store) -> CatalogMatchRun | None:
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


def start_run(store: AmazonStore, actor: str = "") -> tuple[CatalogMatchRun | None, bool]:
    """The store's new run, queued once the transaction commits; or the one already active (None when
    a concurrent start's run already finished)."""
    check_startable(store)
    existing = active_run(store)
    if existing is not None:
        if (existing.heartbeat_at or existing.created_at) < timezone.now() - STALLED_AFTER:
            _queue(existing.pk)  # resumable: at worst a second worker on the same run
        return existing, False
    try:
        with transaction.atomic():
            run = CatalogMatchRun.objects.create(store=store, actor=actor[:255])
    except IntegrityError:
        return active_run(store), False
    _queue(run.pk)
    return run, True


def _queue(run_id: int) -> None:
    from saleor_amazon_channel.catalog.tasks import catalog_match_task

    transaction.on_commit(lambda: catalog_match_task.delay(run_id))


def display_name(variant) -> str:
    if variant.name and variant.product_name and variant.name != variant.product_name:
        return f"{variant.product_name} / {variant.name}"[:512]
    return (variant.name or variant.product_name)[:512]


def _clear(row: CatalogMatch, status, now) -> None:
    row.status = status
    row.asin, row.asins, row.title, row.brand, row.image_url, row.error_code = "", [], "", "", "", ""
    row.product_type = ""
    row.checked_at = None
    row.updated_at = now


def plan(run_id: int, now=None) -> CatalogMatchRun:
    """Turn a PENDING run into a RUNNING one with its batches; idempotent (a second delivery finds it planned)."""
    now = now or timezone.now()
    host = get_host()
    with transaction.atomic():
        run = CatalogMatchRun.objects.select_for_update().select_related("store").get(pk=run_id)
        if run.status != RunStatus.PENDING:
            return run
        store = run.store
        mapping = mapping_key(store)
        slug = store.product_id_attribute if store.product_id_source == ProductIdSource.ATTRIBUTE else None
        stale_before = now - max_age()
        CatalogMatch.objects.filter(store=store).exclude(mapping=mapping).delete()
        after, total, settled, number, pending = 0, 0, 0, 0, []
        while True:
            # A channel deleted since the start lists nothing: the run plans no batch.
            variants = (
                host.channel_variants(store.channel_id, slug, after=after, limit=READ_BATCH)
                if store.channel_id is not None
                else []
            )
            if not variants:
                break
            ids = [v.variant_id for v in variants]
            # Results of variants no longer listed in this id range (unlisted, or deleted another way).
            CatalogMatch.objects.filter(store=store, variant_id__gt=after, variant_id__lte=ids[-1]).exclude(
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
                    settled += 1
                elif (
                    row.status in LOOKED_UP
                    and row.identifier == checked.value
                    and row.checked_at is not None
                    and row.checked_at >= stale_before
                ):
                    settled += 1
                else:
                    if row.identifier != checked.value or row.status not in LOOKED_UP:
                        _clear(row, None, now)  # pending: an old answer about another identifier misleads
                        row.identifier = checked.value
                    pending.append([variant.variant_id, checked.value])
                    if len(pending) == LOOKUP_SIZE:
                        number += 1
                        batches.append(CatalogMatchBatch(run=run, number=number, items=pending))
                        pending = []
                if is_new:
                    creates.append(row)
                elif (row.sku, row.name, row.identifier, row.status) != before:
                    updates.append(row)
            CatalogMatch.objects.bulk_create(creates)
            if updates:
                CatalogMatch.objects.bulk_update(updates, ["sku", "name", "identifier", *DETAIL_FIELDS])
            CatalogMatchBatch.objects.bulk_create(batches)
            total += len(variants)
            after = ids[-1]
        CatalogMatch.objects.filter(store=store, variant_id__gt=after).delete()
        if pending:
            number += 1
            CatalogMatchBatch.objects.create(run=run, number=number, items=pending)
        run.total, run.done, run.planned_done = total, settled, settled
        run.status, run.started_at, run.heartbeat_at = RunStatus.RUNNING, now, now
        run.save(update_fields=["total", "done", "planned_done", "status", "started_at", "heartbeat_at"])
    logger.info("amazon_channel.catalog.planned", extra={"run_id": run.pk, "total": total, "batches": number})
    return run


def claim_size() -> int:
    """Batches taken per claim: one at Amazon's default pace (a claim is nothing next to half a second
    of waiting, and a short lease stays short), ten when the seller's plan is fast."""
    return 1 if pacing.configured_rate() <= 10 else 10


def claim(run_id: int, now=None, size: int = 1) -> list[CatalogMatchBatch]:
    """Take the next ``size`` free batches (never claimed, or whose lease ran out); two queries."""
    now = now or timezone.now()
    with transaction.atomic():
        relaxed_durability()
        batches = list(
            CatalogMatchBatch.objects.select_for_update(skip_locked=True)
            .filter(run_id=run_id)
            .filter(
                Q(status=CatalogMatchBatch.Status.PENDING)
                | Q(status=CatalogMatchBatch.Status.CLAIMED, lease_until__lt=now)
            )
            .order_by("number")[:size]
        )
        if batches:
            CatalogMatchBatch.objects.filter(pk__in=[b.pk for b in batches]).update(
                status=CatalogMatchBatch.Status.CLAIMED, lease_until=now + lease() * len(batches),
                attempts=F("attempts") + 1,
            )
    return batches


@dataclass
class Outcome:
    batches: int = 0
    # Seconds after which to look again: batches of another worker are still leased.
    wait: float | None = None
    finished: bool = False


class Lookup:
    """Asks Amazon for one store's batches: one HTTP session, paced by the seller's shared bucket."""

    def __init__(self, store: AmazonStore, config, http: AmazonHttp, sleep=time.sleep):
        self.store, self.config, self.http, self.sleep = store, config, http, sleep
        assert store.authorization is not None  # only connected stores run
        self.authorization = store.authorization
        self.marketplace = store.marketplace
        self.key = pacing.catalog_key(self.authorization.selling_partner_id, self.authorization.region)
        self.calls = 0

    def results(self, items: list) -> dict[int, dict]:
        """variant id -> result fields, for every item of the batch; raises RunFailed when nothing can go on."""
        values = list(dict.fromkeys(value for _, value in items))
        id_type = self.store.product_id_type
        try:
            found = self._search(values)
        except errors.AmazonError as error:
            if error.retryable or isinstance(error, errors.AmazonRequestError):
                # Retries spent, or Amazon refuses this batch: its variants say why, the run goes on.
                return {variant_id: {"status": MatchStatus.ERROR, "error_code": error.code} for variant_id, _ in items}
            raise RunFailed(error.code, error.message) from None
        by_value = amazon_catalog.attribute(id_type, values, found)
        results: dict[int, dict[str, Any]] = {}
        for variant_id, value in items:
            matches = by_value.get(value, [])
            if not matches:
                results[variant_id] = {"status": MatchStatus.NO_MATCH}
            elif len(matches) == 1:
                item = matches[0]
                results[variant_id] = {
                    "status": MatchStatus.MATCHED, "asin": item.asin, "asins": [item.asin],
                    "title": item.title, "brand": item.brand, "image_url": item.image_url,
                    "product_type": item.product_type,
                }
            else:
                results[variant_id] = {
                    "status": MatchStatus.MULTIPLE_MATCHES, "asins": [item.asin for item in matches][:20],
                    "title": matches[0].title, "brand": matches[0].brand,
                }
        return results

    def _search(self, values):
        found, page_token = [], None
        for _ in range(amazon_catalog.MAX_PAGES):
            page = self._page(values, page_token)
            found.extend(page.items)
            page_token = page.next_token
            if not page_token:
                break
        return found

    def _page(self, values, page_token):
        attempt, forbidden_once = 0, False
        while True:
            attempt += 1
            token = tokens.get_access_token(self.authorization, self.config, http=self.http)
            pacing.acquire(self.key, sleep=self.sleep)
            self.calls += 1
            try:
                page = amazon_catalog.search_page(
                    self.http, token, self.marketplace, self.store.product_id_type, values,
                    seller_id=self.authorization.selling_partner_id, page_token=page_token,
                )
            except errors.Throttled as error:
                pacing.slow_down(self.key, error.retry_after)
                if attempt >= MAX_ATTEMPTS:
                    raise
                self.sleep(self._backoff(attempt, error.retry_after))
                continue
            except errors.Forbidden:
                # An access token Amazon dropped early: one fresh token, then it is the authorization.
                if forbidden_once:
                    raise
                forbidden_once = True
                tokens.forget_access_token(self.authorization)
                continue
            except errors.AmazonError as error:
                if not error.retryable or attempt >= MAX_ATTEMPTS:
                    raise
                self.sleep(self._backoff(attempt, None))
                continue
            pacing.adopt_rate_limit(self.key, page.rate_limit)
            return page

    @staticmethod
    def _backoff(attempt, retry_after):
        delay = min(BACKOFF_BASE * 2 ** (attempt - 1), BACKOFF_MAX)
        delay = delay / 2 + random.uniform(0, delay / 2)
        return max(delay, retry_after or 0.0)


RESULT_COLUMNS = ("status", "asin", "asins", "title", "brand", "image_url", "error_code", "product_type")


def write_results(store_id: int, results: dict[int, dict], now) -> None:
    """One UPDATE for a batch's results on PostgreSQL (a VALUES list); a row at a time elsewhere (the demo's SQLite).

    Django's bulk_update compiles a CASE per field and row: it was most of a batch's time.
    """
    rows = []
    for variant_id, fields in results.items():
        values = {"status": fields["status"], "asin": "", "asins": [], "title": "", "brand": "", "image_url": "",
                  "product_type": "",
                  "error_code": ""}
        values.update(fields)
        rows.append((variant_id, values))
    if connection.vendor != "postgresql":
        for variant_id, values in rows:
            CatalogMatch.objects.filter(store_id=store_id, variant_id=variant_id).update(
                checked_at=now, updated_at=now, **values
            )
        return
    table = CatalogMatch._meta.db_table
    placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(rows))
    params = []
    for variant_id, values in rows:
        params += [variant_id, values["status"], values["asin"], json.dumps(values["asins"]), values["title"],
                   values["brand"], values["image_url"], values["error_code"], values["product_type"]]
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" AS m SET status = v.status, asin = v.asin, asins = CAST(v.asins AS jsonb), '
            "title = v.title, brand = v.brand, image_url = v.image_url, error_code = v.error_code, "
            "product_type = v.product_type, "
            "checked_at = %s, updated_at = %s "
            f"FROM (VALUES {placeholders}) "
            "AS v(variant_id, status, asin, asins, title, brand, image_url, error_code, product_type) "
            "WHERE m.store_id = %s AND m.variant_id = v.variant_id",
            [now, now, *params, store_id],
        )


def relaxed_durability() -> None:
    """Inside a transaction on PostgreSQL: commit without waiting for the WAL flush.

    A batch is cheap to redo (its lookups are idempotent) and a worker's death loses nothing
    committed; only a database crash can lose the last fraction of a second of batches, which
    then run again. Waiting for the disk on every batch was most of a batch's own time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def commit(batch: CatalogMatchBatch, store_id: int, results: dict[int, dict], calls: int, now=None) -> bool:
    """Write a batch's results and mark it done, atomically; False if another worker already did."""
    now = now or timezone.now()
    with transaction.atomic():
        relaxed_durability()
        # Marking it done first also locks it: a second worker's commit of the same batch finds nothing to mark.
        if not CatalogMatchBatch.objects.filter(pk=batch.pk).exclude(status=CatalogMatchBatch.Status.DONE).update(
            status=CatalogMatchBatch.Status.DONE, lease_until=None
        ):
            return False
        if results:
            write_results(store_id, results, now)
        CatalogMatchRun.objects.filter(pk=batch.run_id).update(
            done=F("done") + len(batch.items), amazon_calls=F("amazon_calls") + calls, heartbeat_at=now
        )
    return True


def fail(run_id: int, code: str, message: str) -> None:
    CatalogMatchRun.objects.filter(pk=run_id, status__in=ACTIVE_RUN_STATUSES).update(
        status=RunStatus.FAILED, finished_at=timezone.now(), last_error_code=code[:64], last_error_message=message[:500]
    )
    CatalogMatchBatch.objects.filter(run_id=run_id).delete()
    logger.warning("amazon_channel.catalog.failed", extra={"run_id": run_id, "code": code})


def finish_if_complete(run_id: int, now=None) -> Outcome:
    now = now or timezone.now()
    open_batches = CatalogMatchBatch.objects.filter(run_id=run_id).exclude(status=CatalogMatchBatch.Status.DONE)
    leased = open_batches.order_by("lease_until").values_list("lease_until", flat=True).first()
    if open_batches.exists():
        wait = (leased - now).total_seconds() if leased else 1.0
        return Outcome(wait=max(1.0, wait + 0.5))
    with transaction.atomic():
        finished = CatalogMatchRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
            status=RunStatus.SUCCEEDED, finished_at=now, done=F("total")
        )
        CatalogMatchBatch.objects.filter(run_id=run_id).delete()
    if finished:
        logger.info("amazon_channel.catalog.finished", extra={"run_id": run_id})
    return Outcome(finished=True)


def execute(run_id: int, *, sleep=time.sleep, http: AmazonHttp | None = None) -> Outcome:
    """Do what is left of a run in this worker: plan it if needed, then batches until none is free."""
    run = CatalogMatchRun.objects.select_related("store", "store__authorization").filter(pk=run_id).first()
    if run is None or not run.is_active:
        return Outcome(finished=True)
    config = get_host().get_config()
    store = run.store
    try:
        if store.channel_id is None or store.authorization_id is None:
            raise RunFailed("not_connected", "The store lost its channel or its Amazon connection during the run.")
        if not config.active or not config.is_complete:
            raise RunFailed("plugin_not_configured", "The plugin's Amazon application is not configured.")
        if run.status == RunStatus.PENDING:
            plan(run_id)
        own_http = http is None
        http = http or AmazonHttp(max_attempts=1)
        outcome = Outcome()
        try:
            lookup = Lookup(store, config, http, sleep=sleep)
            size = claim_size()
            while batches := claim(run_id, size=size):
                for batch in batches:
                    calls_before = lookup.calls
                    results = lookup.results(batch.items)
                    commit(batch, store.pk, results, lookup.calls - calls_before)
                    outcome.batches += 1
        finally:
            if own_http:
                http.close()
    except RunFailed as failure:
        fail(run_id, failure.code, failure.message)
        return Outcome(finished=True)
    done = finish_if_complete(run_id)
    done.batches = outcome.batches
    return done


def counts(store_ids) -> dict[int, dict[str, int]]:
    """Results per status of each store, under its current mapping (one query)."""
    stores = AmazonStore.objects.filter(pk__in=store_ids).only("pk", "channel_id", "product_id_type",
                                                                "product_id_source", "product_id_attribute")
    condition = Q()
    for store in stores:
        condition |= Q(store_id=store.pk, mapping=mapping_key(store))
    result: dict[int, dict[str, int]] = {store_id: {} for store_id in store_ids}
    if not condition:
        return result
    for store_id, status, count in (
        CatalogMatch.objects.filter(condition).values_list("store_id", "status").annotate(n=Count("pk")).order_by()
    ):
        result[store_id][status or "PENDING"] = count
    return result
