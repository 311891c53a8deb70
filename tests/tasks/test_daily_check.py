"""The daily scan, run eagerly: claims, batches, retries with backoff, leases, reminders, query counts."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from saleor_amazon_channel.authorizations.models import ConnectionStatus, SellerAuthorization
from saleor_amazon_channel.monitoring import health, tasks
from tests.connected_stores import (
    CONFIG,
    GB,
    SELLER_A,
    SELLER_B,
    SELLER_EU,
    US,
    granted_store,
)

DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def one_http_attempt(settings):
    settings.AMAZON_CHANNEL_HTTP_MAX_ATTEMPTS = 1


def run(now):
    return tasks.check_authorizations_task.delay(now.isoformat()).get()


def test_daily_run_checks_everything_due_and_sends_the_reminders(connect_store, emulator, mailbox, notify_events):
    healthy = connect_store(SELLER_A, US)
    revoked = connect_store(SELLER_B, US)
    expiring = connect_store(SELLER_EU, GB, expires_in=timedelta(days=6))
    emulator.revoke(SELLER_B.selling_partner_id)
    now = timezone.now()

    summary = run(now)

    assert summary == {"reminders": 1, "batches": 1, "authorizations": 3}  # the 7-day one by expiry date
    statuses = {a.pk: a.status(now) for a in SellerAuthorization.objects.all()}
    assert statuses == {
        healthy.authorization_id: ConnectionStatus.CONNECTED,
        revoked.authorization_id: ConnectionStatus.AUTHORIZATION_REVOKED,
        expiring.authorization_id: ConnectionStatus.AUTHORIZATION_EXPIRING,
    }
    assert set(SellerAuthorization.objects.values_list("next_check_at", flat=True)) == {now + health.CHECK_INTERVAL}
    assert sorted(m.subject.split(":")[0] for m in mailbox) == [
        "Amazon authorization expires in 6 days",
        "Amazon authorization revoked",
    ]
    assert sorted(name for name, _ in notify_events) == [
        "amazon_channel_authorization_expiring",
        "amazon_channel_authorization_revoked",
    ]


def test_a_second_beat_at_the_same_time_finds_nothing_to_do(connect_store, emulator, mailbox):
    connect_store(SELLER_A, US, expires_in=timedelta(days=20))
    connect_store(SELLER_B, US)
    now = timezone.now()
    run(now)
    calls = emulator.state.requests["sp-api"]

    assert run(now) == {"reminders": 0, "batches": 0, "authorizations": 0}
    assert emulator.state.requests["sp-api"] == calls
    assert len(mailbox) == 1


def test_every_authorization_is_checked_again_the_next_day(connect_store, emulator):
    connect_store(SELLER_A, US)
    connect_store(SELLER_B, US)
    now = timezone.now()
    run(now)
    assert run(now + DAY)["authorizations"] == 2
    assert emulator.state.sp_api_calls[SELLER_A.selling_partner_id] == 2


def test_a_checked_by_hand_store_is_still_due_at_the_next_daily_run(connect_store):
    store = connect_store(SELLER_A, US)
    now = timezone.now()
    # Checked by hand in the evening; the daily run is the next morning.
    health.check_authorization(store.authorization, CONFIG, now=now)
    assert run(now + timedelta(hours=13))["authorizations"] == 1


def test_a_transient_fault_is_retried_and_counts_once_a_day(connect_store, emulator):
    store = connect_store(SELLER_B, US)
    emulator.inject_fault("lwa", status=503, count=1000)
    now = timezone.now()
    attempts_per_day = 1 + tasks.MAX_RETRIES + 1  # the batch, then the retry task and its retries

    statuses = []
    for day in range(3):
        before = emulator.state.requests["lwa"]
        run(now + day * DAY)
        assert emulator.state.requests["lwa"] - before == attempts_per_day
        authorization = SellerAuthorization.objects.get(pk=store.authorization_id)
        statuses.append((authorization.failure_count, authorization.status(now + day * DAY)))

    assert statuses == [
        (1, ConnectionStatus.CONNECTED),
        (2, ConnectionStatus.CONNECTED),
        (3, ConnectionStatus.ERROR),
    ]


def test_a_fault_that_passes_within_the_retries_leaves_no_trace(connect_store, emulator):
    store = connect_store(SELLER_B, US)
    emulator.inject_fault("sp-api", status=500, count=2)  # the batch and the first retry fail
    run(timezone.now())
    authorization = SellerAuthorization.objects.get(pk=store.authorization_id)
    assert authorization.failure_count == 0 and authorization.last_error_code == ""
    assert authorization.participations


def test_invalid_grant_is_never_retried(connect_store, emulator):
    connect_store(SELLER_B, US)
    emulator.revoke(SELLER_B.selling_partner_id)
    run(timezone.now())
    assert emulator.state.lwa_calls_by_grant["refresh_token"] == 1


def test_inactive_plugin_does_nothing(connect_store, configure_plugin, emulator, mailbox):
    connect_store(SELLER_A, US, expires_in=timedelta(days=3))
    configure_plugin(active=False)
    calls = emulator.state.lwa_calls
    assert run(timezone.now()) == {"reminders": 0, "batches": 0, "authorizations": 0}
    assert emulator.state.lwa_calls == calls and mailbox == []


def test_without_credentials_reminders_still_go_out(connect_store, configure_plugin, emulator, mailbox):
    connect_store(SELLER_A, US, expires_in=timedelta(days=3))
    configure_plugin(active=True, lwa_client_secret="")
    assert run(timezone.now()) == {"reminders": 1, "batches": 0, "authorizations": 0}
    assert len(mailbox) == 1


def test_a_lost_batch_is_claimed_again_when_its_lease_runs_out(connect_store, emulator):
    connect_store(SELLER_A, US)
    now = timezone.now()
    [claimed] = tasks.claim_due(now).ids  # a dispatcher that claimed, then died with its batch
    assert run(now + timedelta(hours=1))["authorizations"] == 0
    assert run(now + tasks.LEASE + timedelta(seconds=1))["authorizations"] == 1
    assert SellerAuthorization.objects.get(pk=claimed).last_checked_at is not None


def test_scan_queries_grow_with_batches_not_authorizations(emulator, plugin, make_channel, monkeypatch):
    """The whole scan, batches included: the same number of queries for each full batch."""
    monkeypatch.setattr(tasks, "BATCH_SIZE", 4)
    channel = make_channel()
    now = timezone.now()
    counts = []
    for round_ in range(3):
        for n in range(4):
            granted_store(emulator, channel, round_ * 10 + n)
        SellerAuthorization.objects.update(next_check_at=None)
        with CaptureQueriesContext(connection) as captured:
            summary = run(now)
        assert summary["batches"] == round_ + 1
        counts.append(len([q for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]))
    per_batch = counts[1] - counts[0]
    assert counts[2] - counts[1] == per_batch
    assert per_batch <= 12


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_claim_disjoint_batches(offline_store):
    """What two beat processes do at 04:15: the rows one dispatcher holds are skipped by the other."""
    stores = [offline_store() for _ in range(5)]
    now = timezone.now()
    first, claimed, release = [], threading.Event(), threading.Event()

    def other_dispatcher():
        try:
            with transaction.atomic():  # holds its claim until it commits
                first.extend(tasks.claim_due(now, batch_size=2).ids)
                claimed.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_dispatcher)
    thread.start()
    assert claimed.wait(10)
    try:
        second = tasks.claim_due(now, batch_size=10).ids
    finally:
        release.set()
        thread.join(10)
    assert len(first) == 2 and len(second) == 3
    assert sorted(first + second) == sorted(store.authorization_id for store in stores)
    assert tasks.claim_due(now).ids == []


def test_a_run_claims_every_due_authorization_once_never_checked_first(offline_store):
    now = timezone.now()
    stores = [offline_store() for _ in range(7)]
    ids = [store.authorization_id for store in stores]
    same_time = now - timedelta(hours=13)  # a day's checks all share one next_check_at
    SellerAuthorization.objects.filter(pk__in=ids[:4]).update(next_check_at=same_time)
    SellerAuthorization.objects.filter(pk=ids[4]).update(next_check_at=now + DAY)  # not due

    claims, after = [], None
    while (claim := tasks.claim_due(now, batch_size=2, after=after)).ids:
        claims.append(claim.ids)
        after = claim.after

    assert claims[0] == ids[5:7]  # the never-checked ones
    assert sorted(pk for batch in claims for pk in batch) == sorted(ids[:4] + ids[5:7])
    assert [len(batch) for batch in claims] == [2, 2, 2]


def test_the_daily_purge_clears_lapsed_consents(plugin, channel_usd, staff_user):
    """Pending connections are only ever created by signed-in users; the daily purge clears the lapsed ones."""
    from saleor_amazon_channel.consent import connections
    from saleor_amazon_channel.consent import tasks as consent_tasks
    from saleor_amazon_channel.consent.models import PendingConnection
    from saleor_amazon_channel.core.host import Requestor
    from tests.consent.helpers import make_store

    store = make_store(channel_usd)
    starter = Requestor(user_id=staff_user.pk, label=staff_user.email)
    old, fresh = connections.start_connection(store, starter), connections.start_connection(store, starter)
    now = timezone.now()
    PendingConnection.objects.filter(pk=old.pk).update(created_at=now - connections.PENDING_RETENTION - timedelta(1))
    assert consent_tasks.purge_stale_consents_task() == 1
    assert list(PendingConnection.objects.values_list("pk", flat=True)) == [fresh.pk]


def _later(monkeypatch, minutes):
    """The clock of the worker that runs a task ``minutes`` after it was dispatched."""
    later = timezone.now() + timedelta(minutes=minutes)
    monkeypatch.setattr(timezone, "now", lambda: later)
    return later


def test_batches_date_their_work_when_they_run_not_when_dispatched(connect_store, emulator, mailbox, monkeypatch):
    """Issue 15, bug 4: a batch spread 30 minutes after dispatch recorded the dispatch time."""
    from saleor_amazon_channel.monitoring.models import AuthorizationReminder
    from saleor_amazon_channel.stores.models import AmazonStoreEvent, EventType

    healthy = connect_store(SELLER_A, US)
    revoked = connect_store(SELLER_B, US)
    emulator.revoke(SELLER_B.selling_partner_id)
    dispatched = []
    monkeypatch.setattr(tasks.check_authorization_batch_task, "apply_async",
                        lambda args, **options: dispatched.append(args))
    tasks.check_authorizations_task()  # beat's call: no time given
    assert len(dispatched) == 1

    later = _later(monkeypatch, 30)
    tasks.check_authorization_batch_task(*dispatched[0])

    assert SellerAuthorization.objects.get(pk=healthy.authorization_id).last_checked_at == later
    assert SellerAuthorization.objects.get(pk=revoked.authorization_id).revoked_at == later
    assert AmazonStoreEvent.objects.get(store=revoked, type=EventType.REVOKED).date == later
    assert AuthorizationReminder.objects.get(authorization_id=revoked.authorization_id).sent_at == later
    assert len(mailbox) == 1


def test_a_retry_dates_its_check_when_it_runs(connect_store, emulator, monkeypatch):
    store = connect_store(SELLER_A, US)
    emulator.inject_fault("sp-api", status=503, count=1)
    retries = []
    monkeypatch.setattr(tasks.check_authorization_task, "apply_async", lambda args, **options: retries.append(args))
    tasks.check_authorization_batch_task([store.authorization_id])
    assert len(retries) == 1

    later = _later(monkeypatch, 4)
    tasks.check_authorization_task.apply(args=retries[0], throw=True)
    assert SellerAuthorization.objects.get(pk=store.authorization_id).last_checked_at == later


def test_time_travel_in_tests_still_dates_the_work_at_the_time_given(connect_store, emulator):
    store = connect_store(SELLER_A, US)
    future = timezone.now() + 3 * DAY
    run(future)
    assert SellerAuthorization.objects.get(pk=store.authorization_id).last_checked_at == future
