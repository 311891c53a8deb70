"""The connection check: is a seller authorization still good, and are its stores' marketplaces live?

One check, three callers: the daily Celery task (in batches, :func:`check_batch`),
``manage.py amazon_channel_check`` and the ``amazonStoreCheckConnection`` mutation
(:func:`check_authorization`). It asks Amazon two things:

1. an LWA access token (cached for its hour): ``invalid_grant`` means the seller
   revoked the authorization, or it ran out; never retried;
2. ``getMarketplaceParticipations``: proves the token works and says which of the
   seller's marketplaces are live. Its usage plan is about one call a minute per
   application-seller pair, burst 15; the check makes one call per authorization
   (two when a cached token turns out stale), and the daily scan checks each
   authorization once, so a seller's bucket is never close to empty.

Then it recomputes the status (the rules live in ``SellerAuthorization.status``):
expiring within 30 days of ``expires_at``, expired after it. Transient faults (5xx,
429, timeouts) never flip a healthy store on one failure: they count in
``failure_count``, and only ``FAILURES_BEFORE_ERROR`` failed checks in a row show an
error. Revoked and expired authorizations are not sent to Amazon at all.

No Celery here: retries belong to the tasks.
"""

import logging
import threading
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from saleor_amazon_channel import outcomes
from saleor_amazon_channel.amazon import errors, sellers
from saleor_amazon_channel.amazon.http import AmazonHttp
from saleor_amazon_channel.authorizations import tokens
from saleor_amazon_channel.authorizations.models import ConnectionStatus, SellerAuthorization
from saleor_amazon_channel.core import crypto
from saleor_amazon_channel.core.config import AmazonChannelConfig
from saleor_amazon_channel.core.host import SYSTEM, Requestor, get_host
from saleor_amazon_channel.monitoring import reminders
from saleor_amazon_channel.outcomes import Outcome
from saleor_amazon_channel.stores import audit
from saleor_amazon_channel.stores.models import AmazonStore, AmazonStoreEvent, EventType, shown_error

logger = logging.getLogger(__name__)

# Consecutive failed checks (daily ones: a check's own retries count once) before the store shows an error.
FAILURES_BEFORE_ERROR = 3
# Due again after this long. Shorter than a day so that the next daily run finds the
# authorization due whatever hour it was last checked (by the run, or by hand).
CHECK_INTERVAL = timedelta(hours=12)
# Amazon may end a term a little before our estimate of it (we date it from the code
# exchange): an invalid_grant this close to expires_at is the expiry, not a revocation.
EXPIRY_GRACE = timedelta(days=1)
# Amazon requests in flight at once in a batch (each authorization is asked once).
CHECK_CONCURRENCY = 8

# What a check may change; ``updated_at`` is set along with them.
SCALAR_FIELDS = [
    "revoked_at",
    "expires_at",
    "last_checked_at",
    "next_check_at",
    "failure_count",
    "last_error_code",
    "last_error_message",
]
AUTHORIZATION_FIELDS = SCALAR_FIELDS + ["participations", "updated_at"]
STORE_FIELDS = ["last_error_code", "last_error_message", "updated_at"]

# Stored codes are outcome codes (:mod:`.outcomes`); Amazon's own code only appears in messages.
NOT_PARTICIPATING = Outcome.MARKETPLACE_NOT_PARTICIPATING.value
UNAVAILABLE = Outcome.AMAZON_UNAVAILABLE.value


@dataclass(frozen=True)
class Probe:
    """What Amazon said, before anything is saved."""

    participations: list[dict[str, Any]] | None = None
    grant_invalid: bool = False
    error: errors.AmazonError | None = None

    @property
    def ok(self) -> bool:
        return self.participations is not None


@dataclass(frozen=True)
class CheckResult:
    authorization_id: int
    previous_status: ConnectionStatus
    status: ConnectionStatus
    # False when Amazon was not asked (revoked or expired), or answered about a token
    # replaced while the check waited (a renewal wins).
    contacted_amazon: bool
    error_code: str = ""
    # Safe to show: never a token, code or secret.
    error_message: str = ""
    # A transient fault: trying again later may succeed.
    retryable: bool = False
    retry_after: float | None = None
    participations: list[dict[str, Any]] = field(default_factory=list)
    store_statuses: dict[int, ConnectionStatus] = field(default_factory=dict)  # by store pk

    @property
    def changed(self) -> bool:
        return self.status != self.previous_status

    @property
    def ok(self) -> bool:
        return self.contacted_amazon and not self.error_code


def needs_amazon(authorization: SellerAuthorization, now: datetime) -> bool:
    """Revoked and expired authorizations stay so until the seller reconnects: no call can change that."""
    return authorization.revoked_at is None and authorization.expires_at > now


def probe(authorization: SellerAuthorization, config: AmazonChannelConfig, http: AmazonHttp | None = None) -> Probe:
    """Ask Amazon about ``authorization``. No database writes (but the token cache)."""
    try:
        access_token = tokens.get_access_token(authorization, config, http=http)
        try:
            participations = sellers.get_marketplace_participations(authorization.region, access_token, http=http)
        except errors.Forbidden:
            # A cached token may predate a revocation. Ask LWA afresh: it tells a revoked
            # authorization (invalid_grant) from a missing role (403 again).
            tokens.forget_access_token(authorization)
            access_token = tokens.get_access_token(authorization, config, http=http)
            participations = sellers.get_marketplace_participations(authorization.region, access_token, http=http)
    except errors.InvalidGrant:
        return Probe(grant_invalid=True)
    except errors.AmazonError as error:
        return Probe(error=error)
    except crypto.DecryptionError:
        return Probe(error=errors.AmazonError(
            f"The stored Amazon authorization cannot be decrypted with the configured keys ({crypto.KEYS_SETTING}).",
            code="decryption_failed",
        ))
    return Probe(participations=participations)


@dataclass
class _Applied:
    """In-memory outcome of one check: the events to write and the stores that changed."""

    result: CheckResult
    events: list[AmazonStoreEvent]
    changed_stores: list[AmazonStore]


def apply(
    authorization: SellerAuthorization,
    stores: list[AmazonStore],
    outcome: Probe | None,
    now: datetime,
    *,
    requestor: Requestor,
    count_failure: bool,
) -> _Applied:
    """Update ``authorization`` and its ``stores`` in memory from ``outcome`` (None: Amazon not asked)."""
    before = authorization.status(now)
    stores_before = {store.pk: store.status(now) for store in stores}
    store_errors_before = {store.pk: (store.last_error_code, store.last_error_message) for store in stores}
    error_code, error_message, retryable = "", "", False
    retry_after: float | None = None
    events: list[tuple[AmazonStore, EventType, str]] = []

    authorization.next_check_at = now + CHECK_INTERVAL
    if outcome is None:
        pass
    elif outcome.ok:
        authorization.participations = outcome.participations
        authorization.last_checked_at = now
        authorization.failure_count = 0
        authorization.last_error_code = authorization.last_error_message = ""
        for store in stores:
            _set_participation_error(store, authorization)
    elif outcome.grant_invalid:
        authorization.last_checked_at = now
        authorization.failure_count = 0
        tokens.forget_access_token(authorization)
        error_code = Outcome.AUTHORIZATION_REVOKED.value
        if authorization.expires_at - now <= EXPIRY_GRACE:
            authorization.expires_at = now
            error_message = "The Amazon authorization expired. Reconnect the store to renew it."
        else:
            authorization.revoked_at = now
            events += [
                (
                    store,
                    EventType.REVOKED,
                    "Amazon no longer accepts this store's authorization: it was revoked. "
                    "Reconnect the store to authorize it again.",
                )
                for store in stores
            ]
            error_message = "Amazon no longer accepts the authorization: it was revoked. Reconnect the store."
    else:
        error = outcome.error
        assert error is not None  # a probe without a grant answer carries its error
        error_code, error_message = outcomes.of_amazon_error(error, sp_api=True).value, error.message
        retryable = error.retryable
        retry_after = getattr(error, "retry_after", None)
        if not retryable:
            # A definite answer (bad client credentials, a missing role...): show it now.
            authorization.last_checked_at = now
            authorization.failure_count = 0
            authorization.last_error_code = error_code
            authorization.last_error_message = error.message[:500]
        elif count_failure:
            authorization.failure_count += 1
            if authorization.failure_count >= FAILURES_BEFORE_ERROR:
                authorization.last_error_code = UNAVAILABLE
                authorization.last_error_message = (
                    f"Amazon could not be reached in the last {authorization.failure_count} checks "
                    f"({error.code}). The plugin keeps trying every day."
                )[:500]

    after = authorization.status(now)
    store_statuses = {store.pk: store.status(now) for store in stores}
    for store in stores:
        old, new = stores_before[store.pk], store_statuses[store.pk]
        if old == new or new in (ConnectionStatus.AUTHORIZATION_REVOKED, ConnectionStatus.AUTHORIZATION_EXPIRED):
            continue  # revocation is recorded above; expiry with its reminder, once
        if new == ConnectionStatus.ERROR:
            events.append((store, EventType.CHECK_FAILED, "Connection check failed: " + store.last_error))
        elif old == ConnectionStatus.ERROR:
            events.append((store, EventType.CHECKED, "Connection check passed: the store is connected again."))
    if requestor is not SYSTEM:
        recorded = {store.pk for store, _, _ in events}
        events += [
            (store, EventType.CHECKED, f"Connection checked: {store_statuses[store.pk].value.replace('_', ' ')}.")
            for store in stores
            if store.pk not in recorded
        ]
    changed_stores = [
        store for store in stores if (store.last_error_code, store.last_error_message) != store_errors_before[store.pk]
    ]
    result = CheckResult(
        authorization_id=authorization.pk,
        previous_status=before,
        status=after,
        contacted_amazon=outcome is not None,
        error_code=error_code,
        error_message=error_message,
        retryable=retryable,
        retry_after=retry_after,
        participations=list(authorization.participations or []),
        store_statuses=store_statuses,
    )
    return _Applied(result, [_event(authorization, requestor, now, *event) for event in events], changed_stores)


def _set_participation_error(store: AmazonStore, authorization: SellerAuthorization) -> None:
    entry = authorization.participation(store.marketplace_id)
    if entry is None or not entry.get("isParticipating"):
        store.last_error_code = NOT_PARTICIPATING
        store.last_error_message = (
            f"The seller does not sell in Amazon {store.marketplace.country_name} "
            f"({store.marketplace_id}): Amazon reports the marketplace as not participating."
        )
    elif store.last_error_code == NOT_PARTICIPATING:
        store.last_error_code = store.last_error_message = ""


def _event(
    authorization: SellerAuthorization,
    requestor: Requestor,
    now: datetime,
    store: AmazonStore,
    type_: EventType,
    message: str,
) -> AmazonStoreEvent:
    # The code of the error the store shows (stores.models owns which one that is), so the dashboard
    # words the failure in the merchant's language. ``store.authorization`` is ``authorization``
    # (one object: :func:`_locked_stores`).
    shown = shown_error(store)
    return audit.event(
        store,
        type_,
        requestor,
        message,
        authorization=authorization,
        date=now,
        error_code=shown.code if shown else "",
    )


def _still_relevant(
    outcome: Probe | None, probed: SellerAuthorization, current: SellerAuthorization, now: datetime
) -> Probe | None:
    """What Amazon said, unless the row changed meanwhile (renewed, revoked): then it is about an old token."""
    if outcome is None or not needs_amazon(current, now) or current.authorized_at != probed.authorized_at:
        return None
    return outcome


def _locked_stores(authorizations: list[SellerAuthorization]) -> dict[int, list[AmazonStore]]:
    """The stores of ``authorizations``, locked; those another transaction holds are left out.

    The connect flow locks a store, then its authorization; the check holds the
    authorization already, so waiting here for a store could deadlock with it. A store
    skipped now is checked with its authorization next time.
    """
    by_authorization: dict[int, list[AmazonStore]] = {authorization.pk: [] for authorization in authorizations}
    authorization_by_pk = {authorization.pk: authorization for authorization in authorizations}
    stores = AmazonStore.objects.select_for_update(skip_locked=True).filter(
        authorization_id__in=list(by_authorization)
    ).order_by("pk")
    for store in stores:
        assert store.authorization_id is not None  # filtered on it
        store.authorization = authorization_by_pk[store.authorization_id]  # one object: statuses see the changes
        by_authorization[store.authorization_id].append(store)
    return by_authorization


def check_authorization(
    authorization: SellerAuthorization,
    config: AmazonChannelConfig,
    *,
    requestor: Requestor = SYSTEM,
    now: datetime | None = None,
    count_failure: bool | None = None,
    send_reminders: bool = True,
) -> CheckResult:
    """Check one authorization now, save the outcome, send a reminder it makes due.

    ``count_failure``: whether a transient fault counts toward ``FAILURES_BEFORE_ERROR``.
    By default only the scheduled (SYSTEM) check counts, so a merchant pressing
    "check connection" during an Amazon outage never turns the store to an error.
    ``send_reminders=False``: the caller sends them (a request: from a task, after its commit).
    ``now``: for tests travelling in time; by default the outcome is dated when it is applied,
    after Amazon answered, and each reminder when it is sent. ``authorization`` is updated in place.
    """
    given = now
    now = now or timezone.now()
    if count_failure is None:
        count_failure = requestor is SYSTEM
    outcome = probe(authorization, config) if needs_amazon(authorization, now) else None
    now = given or timezone.now()  # the time of the work, not of its start
    with get_host().allow_writer(), transaction.atomic():
        # Amazon was asked outside the transaction; apply what it said to the row as it is now.
        fresh = SellerAuthorization.objects.select_for_update().get(pk=authorization.pk)
        outcome = _still_relevant(outcome, authorization, fresh, now)
        stores = _locked_stores([fresh])[fresh.pk]
        applied = apply(fresh, stores, outcome, now, requestor=requestor, count_failure=count_failure)
        fresh.save(update_fields=AUTHORIZATION_FIELDS)
        _save(applied)
    if send_reminders:
        reminders.deliver_due([fresh], given)
    for name in AUTHORIZATION_FIELDS:
        setattr(authorization, name, getattr(fresh, name))
    _log(applied.result)
    return applied.result


def check_batch(
    authorization_ids: Iterable[int],
    config: AmazonChannelConfig,
    *,
    requestor: Requestor = SYSTEM,
    now: datetime | None = None,
    count_failure: bool = False,
    http: AmazonHttp | None = None,
) -> list[CheckResult]:
    """:func:`check_authorization` for many, with a constant number of queries (but reminders sent).

    ``count_failure`` is False by default: the daily task retries transient faults
    itself and counts only its last attempt. ``now`` as in :func:`check_authorization`.
    """
    given = now
    now = now or timezone.now()
    with get_host().allow_writer():
        loaded = list(SellerAuthorization.objects.filter(pk__in=list(authorization_ids)))
    outcomes = probe_all([a for a in loaded if needs_amazon(a, now)], config, http)
    now = given or timezone.now()  # after Amazon answered: the time the outcome is recorded
    results: list[CheckResult] = []
    with get_host().allow_writer():
        with transaction.atomic():
            # Rows a connect flow or a check by hand holds right now are skipped: they are
            # being looked after, and are due again when the claim's lease runs out.
            fresh = list(
                SellerAuthorization.objects.select_for_update(skip_locked=True)
                .filter(pk__in=[a.pk for a in loaded])
                .order_by("pk")
            )
            stores_of = _locked_stores(fresh)
            before = {a.pk: {name: getattr(a, name) for name in SCALAR_FIELDS + ["participations"]} for a in fresh}
            all_applied: list[_Applied] = []
            loaded_by_pk = {a.pk: a for a in loaded}
            for authorization in fresh:
                outcome = _still_relevant(
                    outcomes.get(authorization.pk), loaded_by_pk[authorization.pk], authorization, now
                )
                stores = stores_of[authorization.pk]
                all_applied.append(
                    apply(authorization, stores, outcome, now, requestor=requestor, count_failure=count_failure)
                )
            _update_authorizations(fresh, before)
            _save_many(all_applied)
        reminders.deliver_due(fresh, given)
    for applied in all_applied:
        _log(applied.result)
        results.append(applied.result)
    return results


def probe_all(
    authorizations: list[SellerAuthorization], config: AmazonChannelConfig, http: AmazonHttp | None = None
) -> dict[int, Probe]:
    """:func:`probe` for each, a few at a time: a batch waits on Amazon, not on one call after another.

    Each authorization is still asked once; ``AMAZON_CHANNEL_CHECK_CONCURRENCY`` (default 8)
    bounds how many requests are in flight.
    """
    concurrency = min(
        int(getattr(settings, "AMAZON_CHANNEL_CHECK_CONCURRENCY", CHECK_CONCURRENCY)), len(authorizations)
    )
    if concurrency <= 1 or http is not None:
        own = http is None
        http = http or AmazonHttp()
        try:
            return {a.pk: probe(a, config, http) for a in authorizations}
        finally:
            if own:
                http.close()
    local, lock = threading.local(), threading.Lock()
    sessions: list[AmazonHttp] = []

    def one(authorization: SellerAuthorization) -> Probe:
        session: AmazonHttp
        if not hasattr(local, "http"):
            local.http = AmazonHttp()
            with lock:
                sessions.append(local.http)
        session = local.http
        try:
            return probe(authorization, config, session)
        finally:
            connections.close_all()  # this thread's own, should the token cache have written

    try:
        with ThreadPoolExecutor(concurrency, thread_name_prefix="amazon-check") as pool:
            return dict(zip((a.pk for a in authorizations), pool.map(one, authorizations), strict=True))
    finally:
        for session in sessions:
            session.close()


def _update_authorizations(authorizations: list[SellerAuthorization], before: dict[int, dict[str, object]]) -> None:
    """Write what the checks changed: one UPDATE per distinct set of changes, not one per row.

    A day's checks mostly change the same fields to the same values (checked now, due
    again in 12 hours), so a batch takes a handful of UPDATEs whatever its size; only
    participations that really changed are written row by row, in one bulk UPDATE.
    """
    groups: defaultdict[tuple[tuple[str, object], ...], list[int]] = defaultdict(list)
    new_participations: list[SellerAuthorization] = []
    for authorization in authorizations:
        old = before[authorization.pk]
        changes = tuple(
            (name, getattr(authorization, name)) for name in SCALAR_FIELDS if getattr(authorization, name) != old[name]
        )
        if changes:
            groups[changes].append(authorization.pk)
        if authorization.participations != old["participations"]:
            new_participations.append(authorization)
    updated_at = timezone.now()
    for changes, pks in groups.items():
        SellerAuthorization.objects.filter(pk__in=pks).update(**dict(changes), updated_at=updated_at)
    if new_participations:
        SellerAuthorization.objects.bulk_update(new_participations, ["participations"])


def _save(applied: _Applied) -> None:
    _save_many([applied])


def _save_many(all_applied: list[_Applied]) -> None:
    stores = [store for applied in all_applied for store in applied.changed_stores]
    if stores:
        now = timezone.now()
        for store in stores:
            store.updated_at = now
        AmazonStore.objects.bulk_update(stores, STORE_FIELDS)
    audit.write(event for applied in all_applied for event in applied.events)


def _log(result: CheckResult) -> None:
    extra = {
        "authorization_id": result.authorization_id,
        "status": result.status.value,
        "previous_status": result.previous_status.value,
    }
    if result.error_code:
        extra["code"] = result.error_code
    if result.changed:
        logger.warning("amazon_channel.check.status_changed", extra=extra)
    elif result.error_code:
        logger.info("amazon_channel.check.failed", extra=extra)
    else:
        logger.debug("amazon_channel.check.ok", extra=extra)
