"""The connection check against the Amazon emulator: statuses, faults, revocation, expiry, query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from saleor_amazon_channel.authorizations.models import ConnectionStatus, SellerAuthorization
from saleor_amazon_channel.core.host import SYSTEM, Requestor
from saleor_amazon_channel.monitoring import health
from saleor_amazon_channel.monitoring.models import AuthorizationReminder
from saleor_amazon_channel.stores.models import AmazonStoreEvent, EventType, shown_error
from tests.connected_stores import CA, CONFIG, GB, MX, SELLER_A, SELLER_B, SELLER_EU, US

STAFF = Requestor(user_id=None, app_id=None, label="staff@example.com")


@pytest.fixture(autouse=True)
def one_http_attempt(settings):
    # The client's own quick retries are its business (tests/amazon); here each fault is one failed check.
    settings.AMAZON_CHANNEL_HTTP_MAX_ATTEMPTS = 1


def events(store, type_=None):
    queryset = AmazonStoreEvent.objects.filter(store=store)
    if type_:
        queryset = queryset.filter(type=type_)
    return list(queryset)


def test_healthy_store_is_connected_and_participations_saved(connect_store, emulator):
    store = connect_store(SELLER_A, US)
    authorization = store.authorization
    now = timezone.now()

    result = health.check_authorization(authorization, CONFIG, now=now)

    assert result.ok and result.contacted_amazon and not result.changed
    assert result.status == ConnectionStatus.CONNECTED
    authorization.refresh_from_db()
    assert authorization.last_checked_at == now
    assert authorization.next_check_at == now + health.CHECK_INTERVAL
    assert {p["marketplaceId"]: p["isParticipating"] for p in authorization.participations} == {
        US: True, CA: True, MX: False
    }
    assert emulator.state.sp_api_calls[SELLER_A.selling_partner_id] == 1
    # The scheduled check leaves no audit entry when nothing changed.
    assert events(store) == []


def test_marketplace_not_participating_is_an_error_of_that_store_only(connect_store):
    us_store = connect_store(SELLER_A, US)
    mx_store = connect_store(SELLER_A, MX)

    result = health.check_authorization(us_store.authorization, CONFIG)

    us_store.refresh_from_db()
    mx_store.refresh_from_db()
    assert result.status == ConnectionStatus.CONNECTED
    assert result.store_statuses == {us_store.pk: ConnectionStatus.CONNECTED, mx_store.pk: ConnectionStatus.ERROR}
    assert mx_store.last_error_code == "MARKETPLACE_NOT_PARTICIPATING"
    assert "Mexico" in mx_store.last_error_message
    assert us_store.last_error_code == ""
    [failed] = events(mx_store, EventType.CHECK_FAILED)
    assert "not participating" in failed.message


def test_revoked_in_seller_central_marks_every_store_of_the_authorization(
    connect_store, emulator, mailbox, notify_events
):
    us_store = connect_store(SELLER_A, US)
    ca_store = connect_store(SELLER_A, CA)
    emulator.revoke(SELLER_A.selling_partner_id)

    result = health.check_authorization(us_store.authorization, CONFIG)

    assert result.changed and result.status == ConnectionStatus.AUTHORIZATION_REVOKED
    assert not result.retryable
    authorization = SellerAuthorization.objects.get(pk=us_store.authorization_id)
    assert authorization.revoked_at is not None
    for store in (us_store, ca_store):
        store.refresh_from_db()
        assert store.status() == ConnectionStatus.AUTHORIZATION_REVOKED
        assert len(events(store, EventType.REVOKED)) == 1
    # The revocation reminder goes out with the check that found it.
    assert len(mailbox) == 1 and "revoked" in mailbox[0].subject
    assert [name for name, _ in notify_events] == ["amazon_channel_authorization_revoked"]

    # A revoked authorization is not sent to Amazon again, and nothing is repeated.
    lwa_calls = emulator.state.lwa_calls
    again = health.check_authorization(authorization, CONFIG)
    assert again.status == ConnectionStatus.AUTHORIZATION_REVOKED and not again.contacted_amazon
    assert emulator.state.lwa_calls == lwa_calls
    assert len(mailbox) == 1
    assert len(events(us_store, EventType.REVOKED)) == 1


def test_revocation_found_even_with_a_cached_access_token(connect_store, emulator):
    store = connect_store(SELLER_B, US)
    assert health.check_authorization(store.authorization, CONFIG).ok  # caches an access token
    emulator.revoke(SELLER_B.selling_partner_id)

    result = health.check_authorization(store.authorization, CONFIG)

    # SP-API said 403 with the cached token; LWA then said invalid_grant.
    assert result.status == ConnectionStatus.AUTHORIZATION_REVOKED
    assert emulator.state.lwa_calls_by_grant["refresh_token"] == 2


def test_forbidden_with_a_fresh_token_is_an_error_at_once(connect_store, emulator):
    store = connect_store(SELLER_B, US)
    emulator.inject_fault("sp-api", status=403, count=2)

    result = health.check_authorization(store.authorization, CONFIG)

    assert result.status == ConnectionStatus.ERROR and not result.retryable
    assert result.error_code == "SP_API_FORBIDDEN"
    store.refresh_from_db()
    assert store.status() == ConnectionStatus.ERROR
    assert "role" in store.last_error


def test_transient_faults_flip_to_error_only_after_three_failed_checks(connect_store, emulator):
    store = connect_store(SELLER_B, US)
    authorization = store.authorization
    emulator.inject_fault("lwa", status=503, count=100)
    day = timedelta(days=1)
    now = timezone.now()

    statuses = []
    for n in range(3):
        result = health.check_authorization(authorization, CONFIG, now=now + n * day)
        assert result.retryable
        statuses.append(result.status)
    assert statuses == [ConnectionStatus.CONNECTED, ConnectionStatus.CONNECTED, ConnectionStatus.ERROR]
    authorization.refresh_from_db()
    assert authorization.failure_count == 3
    assert authorization.last_error_code == "AMAZON_UNAVAILABLE"
    assert len(events(store, EventType.CHECK_FAILED)) == 1

    emulator.state.faults.clear()
    recovered = health.check_authorization(authorization, CONFIG, now=now + 3 * day)
    assert recovered.status == ConnectionStatus.CONNECTED and recovered.changed
    authorization.refresh_from_db()
    assert (authorization.failure_count, authorization.last_error_code) == (0, "")
    assert "connected again" in events(store, EventType.CHECKED)[0].message


def test_one_failure_then_success_resets_the_count(connect_store, emulator):
    store = connect_store(SELLER_B, US)
    emulator.inject_fault("sp-api", status=500, count=1)
    assert health.check_authorization(store.authorization, CONFIG).retryable
    assert SellerAuthorization.objects.get(pk=store.authorization_id).failure_count == 1
    assert health.check_authorization(store.authorization, CONFIG).ok
    assert SellerAuthorization.objects.get(pk=store.authorization_id).failure_count == 0


def test_throttling_is_transient(connect_store, emulator):
    store = connect_store(SELLER_B, US)
    emulator.inject_fault("sp-api", error="QuotaExceeded", count=1)
    result = health.check_authorization(store.authorization, CONFIG)
    assert result.retryable and result.error_code == "SP_API_THROTTLED"
    assert result.status == ConnectionStatus.CONNECTED


def test_a_check_by_hand_reports_a_fault_without_counting_it(connect_store, emulator):
    store = connect_store(SELLER_B, US)
    emulator.inject_fault("lwa", status=503, count=10)
    for _ in range(4):
        result = health.check_authorization(store.authorization, CONFIG, requestor=STAFF)
        assert result.retryable and result.error_message
    authorization = SellerAuthorization.objects.get(pk=store.authorization_id)
    assert authorization.failure_count == 0
    assert authorization.status() == ConnectionStatus.CONNECTED
    checked = events(store, EventType.CHECKED)
    assert len(checked) == 4 and checked[0].actor == "staff@example.com"


def test_bad_client_credentials_show_at_once_and_stay_secret(connect_store, emulator):
    store = connect_store(SELLER_B, US)
    wrong = health.AmazonChannelConfig(
        application_id=CONFIG.application_id, client_id=CONFIG.client_id, client_secret="wrong-secret-value"
    )
    result = health.check_authorization(store.authorization, wrong)
    assert result.status == ConnectionStatus.ERROR and result.error_code == "INVALID_CLIENT"
    store.refresh_from_db()
    assert "client secret" in store.last_error
    for text in [result.error_message, store.last_error] + [e.message for e in AmazonStoreEvent.objects.all()]:
        assert "wrong-secret-value" not in text
        assert store.authorization.refresh_token not in text


def test_expired_authorization_is_not_sent_to_amazon_and_expiry_is_recorded_once(connect_store, emulator, mailbox):
    store = connect_store(SELLER_B, US, expires_in=-timedelta(hours=2))
    result = health.check_authorization(store.authorization, CONFIG)
    assert result.status == ConnectionStatus.AUTHORIZATION_EXPIRED and not result.contacted_amazon
    assert emulator.state.lwa_calls == 1  # the code exchange of the fixture only
    health.check_authorization(store.authorization, CONFIG)
    assert len(events(store, EventType.EXPIRED)) == 1
    assert len(mailbox) == 1 and "expired" in mailbox[0].subject


def test_invalid_grant_on_the_last_day_is_the_expiry_not_a_revocation(connect_store, emulator):
    store = connect_store(SELLER_B, US, expires_in=timedelta(hours=6))
    emulator.revoke(SELLER_B.selling_partner_id)  # Amazon ended the term a little before our estimate
    now = timezone.now()
    result = health.check_authorization(store.authorization, CONFIG, now=now)
    assert result.status == ConnectionStatus.AUTHORIZATION_EXPIRED
    authorization = SellerAuthorization.objects.get(pk=store.authorization_id)
    assert authorization.revoked_at is None and authorization.expires_at == now
    assert events(store, EventType.REVOKED) == []


@pytest.mark.parametrize(
    "days_left, status",
    [
        (31, ConnectionStatus.CONNECTED),
        (30, ConnectionStatus.AUTHORIZATION_EXPIRING),
        (1, ConnectionStatus.AUTHORIZATION_EXPIRING),
        (0, ConnectionStatus.AUTHORIZATION_EXPIRED),
    ],
)
def test_status_thresholds_by_time_travel(connect_store, days_left, status):
    store = connect_store(SELLER_B, US)
    authorization = store.authorization
    now = authorization.expires_at - timedelta(days=days_left)
    assert health.check_authorization(authorization, CONFIG, now=now).status == status


def test_batch_check_runs_a_constant_number_of_queries(connect_store, emulator, settings):
    small = [connect_store(SELLER_A, US).authorization_id]
    large = small + [connect_store(SELLER_B, US).authorization_id, connect_store(SELLER_EU, GB).authorization_id]
    now = timezone.now()

    def queries(ids):
        with CaptureQueriesContext(connection) as captured:
            results = health.check_batch(ids, CONFIG, now=now)
        assert all(result.ok for result in results)
        return len(captured)

    assert queries(small) == queries(large)


def test_batch_check_matches_the_single_check(connect_store, emulator, mailbox):
    healthy = connect_store(SELLER_A, US)
    revoked = connect_store(SELLER_B, US)
    expiring = connect_store(SELLER_EU, GB, expires_in=timedelta(days=6))
    emulator.revoke(SELLER_B.selling_partner_id)

    results = {r.authorization_id: r for r in health.check_batch(
        [healthy.authorization_id, revoked.authorization_id, expiring.authorization_id], CONFIG
    )}

    assert results[healthy.authorization_id].status == ConnectionStatus.CONNECTED
    assert results[revoked.authorization_id].status == ConnectionStatus.AUTHORIZATION_REVOKED
    assert results[expiring.authorization_id].status == ConnectionStatus.AUTHORIZATION_EXPIRING
    assert sorted(AuthorizationReminder.objects.values_list("kind", flat=True)) == ["days_7", "revoked"]
    assert len(mailbox) == 2
    assert len(events(revoked, EventType.REVOKED)) == 1


def test_system_requestor_is_the_default():
    assert health.check_authorization.__kwdefaults__["requestor"] is SYSTEM


@pytest.mark.django_db(transaction=True)
def test_a_store_a_connect_flow_holds_is_skipped_not_waited_for(connect_store, emulator):
    """The connect flow locks the store, then the authorization: the check must not wait on that store."""
    import threading

    from django.db import connections, transaction

    from saleor_amazon_channel.stores.models import AmazonStore

    store = connect_store(SELLER_A, MX)  # not participating: the check would mark it
    held, release = threading.Event(), threading.Event()

    def connect_flow():
        try:
            with transaction.atomic():
                AmazonStore.objects.select_for_update().get(pk=store.pk)
                held.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=connect_flow)
    thread.start()
    assert held.wait(10)
    try:
        [result] = health.check_batch([store.authorization_id], CONFIG)
        store.refresh_from_db()
        assert result.ok and store.last_error_code == ""  # left alone, without waiting for the lock
    finally:
        release.set()
        thread.join(10)
    health.check_batch([store.authorization_id], CONFIG)
    store.refresh_from_db()
    assert store.last_error_code == "MARKETPLACE_NOT_PARTICIPATING"


def test_a_renewal_during_the_check_wins_over_what_amazon_said_of_the_old_token(connect_store, emulator, monkeypatch):
    store = connect_store(SELLER_B, US)
    authorization = store.authorization
    emulator.revoke(SELLER_B.selling_partner_id)  # the old token is dead...
    original = health.probe

    def probe_then_renew(*args, **kwargs):
        outcome = original(*args, **kwargs)
        # ...and the seller reconnects while the check waits on Amazon.
        renewed = SellerAuthorization.objects.get(pk=authorization.pk)
        renewed.renew("Atzr|fresh-token", now=timezone.now() + timedelta(seconds=1))
        renewed.save()
        return outcome

    monkeypatch.setattr(health, "probe", probe_then_renew)
    result = health.check_authorization(authorization, CONFIG)
    assert not result.contacted_amazon
    assert SellerAuthorization.objects.get(pk=authorization.pk).status() == ConnectionStatus.CONNECTED
    assert events(store, EventType.REVOKED) == []


def test_a_check_by_hand_sends_its_reminder_from_a_task_after_the_commit(
    connect_store, emulator, mailbox, django_capture_on_commit_callbacks, monkeypatch
):
    """Issue 15, bug 9: "Check connection" sent the e-mail over SMTP inside the request and its transaction."""
    from saleor_amazon_channel.monitoring import connection_check

    store = connect_store(SELLER_A, US, expires_in=timedelta(days=6))
    with django_capture_on_commit_callbacks() as after_commit:
        connection_check.check_connection(store, CONFIG, STAFF)
        assert mailbox == []  # nothing went out inside the transaction
    assert mailbox == []
    assert not AuthorizationReminder.objects.filter(sent_at__isnull=False).exists()
    sent_later = []
    from saleor_amazon_channel.monitoring import tasks

    monkeypatch.setattr(tasks.deliver_reminders_task, "delay", lambda *args: sent_later.append(args))
    for callback in after_commit:
        callback()
    assert sent_later == [([store.authorization_id],)]
    tasks.deliver_reminders_task(*sent_later[0])
    assert len(mailbox) == 1 and "expires in 6 days" in mailbox[0].subject


@pytest.mark.parametrize(
    "store_error, authorization_error",
    [
        (("", ""), ("", "")),
        (("MARKETPLACE_NOT_PARTICIPATING", "Not selling in Mexico."), ("INVALID_CLIENT", "Bad secret.")),
        (("", ""), ("AMAZON_UNAVAILABLE", "")),
        # Words without a code on the store: the store's problem is the one shown, so its (empty) code goes
        # with it, not the authorization's; deriving the code apart from shown_error got this one wrong.
        (("", "Not selling in Mexico."), ("INVALID_CLIENT", "Bad secret.")),
        (("", ""), ("", "Amazon refused the token.")),
    ],
)
def test_check_events_carry_the_code_the_store_shows(connect_store, store_error, authorization_error):
    """The check's audit events take their error code from ``shown_error``, the one owner of
    "what error does this store show": the two cannot diverge."""
    store = connect_store(SELLER_A, MX)
    authorization = store.authorization
    store.last_error_code, store.last_error_message = store_error
    authorization.last_error_code, authorization.last_error_message = authorization_error

    applied = health.apply(authorization, [store], None, timezone.now(), requestor=STAFF, count_failure=False)

    shown = shown_error(store)
    assert [row.parameters["error_code"] for row in applied.events] == [shown.code if shown else ""]
