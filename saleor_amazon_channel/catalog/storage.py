"""Where a catalog match run's work is kept: claiming batches, committing results, ending the run.

- **Claim** takes free batches (``SKIP LOCKED``, with a lease); a killed worker's batch is
  claimed again once its lease runs out.
- **Commit** writes a batch's results with its ``done`` mark in one transaction; finished
  batches are never redone.
- **Release** gives a claimed batch back untouched (Amazon paused the run, or asked to wait).
- **Finish**, **fail**, **cancel**: the run ends, its batches go; the results stay.

Text from Amazon is cleaned before it is stored (:func:`clean_text`), and a batch whose
results the database still refuses is written a row at a time: a bad item is one
``ERROR`` result (``invalid_data``), never the batch or the run. An ``ERROR`` result keeps
the last good ASIN, title, brand and image of its variant.
"""

import json
import logging
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from saleor_amazon_channel.catalog import config, pacing
from saleor_amazon_channel.catalog.models import (
    ACTIVE_RUN_STATUSES,
    CatalogMatch,
    CatalogMatchBatch,
    CatalogMatchRun,
    MatchStatus,
    RunStatus,
)
from saleor_amazon_channel.catalog.planning import mapping_key
from saleor_amazon_channel.stores.models import AmazonStore

logger = logging.getLogger(__name__)

RESULT_COLUMNS = ("status", "asin", "asins", "title", "brand", "image_url", "error_code", "product_type")
# What an ERROR result leaves as it was: the variant's last good answer.
KEPT_ON_ERROR = ("asin", "asins", "title", "brand", "image_url", "product_type")
TEXT_LIMITS = {"asin": 10, "title": 500, "brand": 255, "image_url": 1000, "error_code": 64, "product_type": 100}
INVALID_DATA = "invalid_data"
CANCELLED = "cancelled"
# Format characters kept: joiners that emoji and some scripts need; bidi overrides and the rest go.
_KEPT_FORMAT = {"\u200c", "\u200d"}


def lease() -> timedelta:
    return timedelta(seconds=config.lease_seconds())


@dataclass
class Outcome:
    batches: int = 0
    # Seconds after which to look again: batches of another worker are still leased, or Amazon's pace.
    wait: float | None = None
    finished: bool = False
    # Amazon or LWA unavailable through the retries (their code): the run waits, results stay.
    paused: str | None = None
    # The task's time slice ended with batches left: it goes on in a new task.
    more: bool = False


def claim_size() -> int:
    """Batches taken per claim: one at Amazon's default pace (a claim is nothing next to half a second
    of waiting, and a short lease stays short), ten when the seller's plan is fast."""
    return 1 if pacing.configured_rate() <= 10 else 10


def claim(run_id: int, now: datetime | None = None, size: int = 1) -> list[CatalogMatchBatch]:
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


def release(batches: list[CatalogMatchBatch]) -> None:
    """Give claimed batches back untouched: the next claim (this run's next task) takes them again."""
    CatalogMatchBatch.objects.filter(pk__in=[b.pk for b in batches], status=CatalogMatchBatch.Status.CLAIMED).update(
        status=CatalogMatchBatch.Status.PENDING, lease_until=None
    )


def clean_text(value: object, limit: int) -> str:
    """Text from Amazon as it may be stored and shown: no control, surrogate or format characters
    (NUL, escapes, bidi overrides), whitespace runs as one space, at most ``limit`` characters."""
    if not isinstance(value, str):
        return ""
    kept = []
    for char in value:
        category = unicodedata.category(char)
        if category == "Cc" or category == "Zl" or category == "Zp":
            kept.append(" " if char.isspace() else "")
        elif category == "Cs" or (category == "Cf" and char not in _KEPT_FORMAT):
            continue
        else:
            kept.append(char)
    return " ".join("".join(kept).split())[:limit]


def clean(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(fields)
    for name, limit in TEXT_LIMITS.items():
        if name in cleaned:
            cleaned[name] = clean_text(cleaned[name], limit)
    if "asins" in cleaned:
        cleaned["asins"] = [asin for asin in (clean_text(a, 10) for a in cleaned["asins"] or []) if asin][:20]
    return cleaned


def write_results(store_id: int, results: dict[int, dict[str, Any]], now: datetime) -> None:
    """One UPDATE for a batch's results on PostgreSQL (a VALUES list); a row at a time elsewhere (the demo's SQLite).

    Django's bulk_update compiles a CASE per field and row: it was most of a batch's time.
    """
    rows = []
    for variant_id, fields in results.items():
        values = {"status": fields["status"], "asin": "", "asins": [], "title": "", "brand": "", "image_url": "",
                  "error_code": "", "product_type": ""}
        values.update(fields)
        rows.append((variant_id, values))
    if connection.vendor != "postgresql":
        for variant_id, values in rows:
            if values["status"] == MatchStatus.ERROR:
                values = {name: value for name, value in values.items() if name not in KEPT_ON_ERROR}
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
            f'UPDATE "{table}" AS m SET status = v.status, error_code = v.error_code, '
            + ", ".join(
                f"{column} = CASE WHEN v.status = 'ERROR' THEN m.{column} ELSE {value} END"
                for column, value in (("asin", "v.asin"), ("asins", "CAST(v.asins AS jsonb)"), ("title", "v.title"),
                                      ("brand", "v.brand"), ("image_url", "v.image_url"),
                                      ("product_type", "v.product_type"))
            )
            + ", checked_at = %s, updated_at = %s "
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


def commit(
    batch: CatalogMatchBatch, store_id: int, results: dict[int, dict[str, Any]], calls: int, now: datetime | None = None
) -> bool:
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
            _write_or_error(store_id, {variant_id: clean(fields) for variant_id, fields in results.items()}, now)
        CatalogMatchRun.objects.filter(pk=batch.run_id).update(
            done=F("done") + len(batch.items), amazon_calls=F("amazon_calls") + calls, heartbeat_at=now
        )
    return True


def _write_or_error(store_id: int, results: dict[int, dict[str, Any]], now: datetime) -> None:
    """The batch in one statement; should the database refuse it, a row at a time, a refused row as ERROR."""
    try:
        with transaction.atomic():
            write_results(store_id, results, now)
        return
    except DatabaseError:
        pass
    for variant_id, fields in results.items():
        try:
            with transaction.atomic():
                write_results(store_id, {variant_id: fields}, now)
        except DatabaseError:
            logger.warning("amazon_channel.catalog.invalid_result", extra={"store_id": store_id,
                                                                           "variant_id": variant_id})
            write_results(store_id, {variant_id: {"status": MatchStatus.ERROR, "error_code": INVALID_DATA}}, now)


def cancel(store: AmazonStore, actor: str = "") -> CatalogMatchRun | None:
    """End the store's active run (FAILED, code ``cancelled``): its workers stop at their next batch,
    its results so far stay. None when no run is active."""
    with transaction.atomic():
        run = CatalogMatchRun.objects.select_for_update().filter(store=store, status__in=ACTIVE_RUN_STATUSES).first()
        if run is None:
            return None
        run.status, run.finished_at = RunStatus.FAILED, timezone.now()
        run.last_error_code, run.last_error_message = CANCELLED, ""
        run.save(update_fields=["status", "finished_at", "last_error_code", "last_error_message"])
        CatalogMatchBatch.objects.filter(run=run).delete()
    logger.info("amazon_channel.catalog.cancelled", extra={"run_id": run.pk, "actor": actor[:255]})
    return run


def fail(run_id: int, code: str, message: str) -> None:
    CatalogMatchRun.objects.filter(pk=run_id, status__in=ACTIVE_RUN_STATUSES).update(
        status=RunStatus.FAILED, finished_at=timezone.now(), last_error_code=code[:64], last_error_message=message[:500]
    )
    CatalogMatchBatch.objects.filter(run_id=run_id).delete()
    logger.warning("amazon_channel.catalog.failed", extra={"run_id": run_id, "code": code})


def finish_if_complete(run_id: int, now: datetime | None = None) -> Outcome:
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


def counts(store_ids: Iterable[int]) -> dict[int, dict[str, int]]:
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
