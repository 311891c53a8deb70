"""Reminder e-mails: which is due, the text, the recipients, exactly once (also across threads), renewal."""

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from saleor_amazon_channel.authorizations.models import SellerAuthorization
from saleor_amazon_channel.monitoring import reminders
from saleor_amazon_channel.monitoring.models import AuthorizationReminder
from saleor_amazon_channel.stores.models import AmazonStoreEvent, EventType

DAY = timedelta(days=1)
Kind = AuthorizationReminder.Kind

THRESHOLDS = [
    (timedelta(days=45), None),
    (timedelta(days=30, seconds=1), None),
    (timedelta(days=30), Kind.DAYS_30),
    (timedelta(days=8), Kind.DAYS_30),
    (timedelta(days=7), Kind.DAYS_7),
    (timedelta(days=2), Kind.DAYS_7),
    (timedelta(days=1), Kind.DAYS_1),
    (timedelta(hours=3), Kind.DAYS_1),
    (timedelta(0), Kind.EXPIRED),
    (-timedelta(days=40), Kind.EXPIRED),
]


@pytest.mark.parametrize("left, kind", THRESHOLDS)
def test_due_kind_by_time_left(left, kind):
    now = timezone.now()
    authorization = SellerAuthorization(expires_at=now + left)
    assert reminders.due_kind(authorization, now) == kind


def test_revocation_comes_before_expiry():
    now = timezone.now()
    assert reminders.due_kind(SellerAuthorization(expires_at=now - DAY, revoked_at=now - 2 * DAY), now) == Kind.REVOKED


def test_sql_and_python_agree(offline_store):
    now = timezone.now()
    expected = {}
    for left, kind in THRESHOLDS:
        store = offline_store(left)
        SellerAuthorization.objects.filter(pk=store.authorization_id).update(expires_at=now + left)
        expected[store.authorization_id] = kind
    revoked = offline_store(timedelta(days=3), revoked=True)
    expected[revoked.authorization_id] = Kind.REVOKED
    annotated = dict(
        SellerAuthorization.objects.annotate(due=reminders.due_kind_sql(now)).values_list("pk", "due")
    )
    assert annotated == expected


def test_reminder_goes_to_store_contacts_and_staff_once(
    offline_store, add_staff_notification_recipient, mailbox, notify_events
):
    add_staff_notification_recipient("ops@merchant.example")
    add_staff_notification_recipient("STORE1@merchant.example")  # also a store contact: once only
    us, ca = offline_store(
        timedelta(days=6, hours=12), stores=2, contact_emails=["store1@merchant.example", "ca@merchant.example"]
    )
    authorization = SellerAuthorization.objects.get(pk=us.authorization_id)

    sent = reminders.deliver_due([authorization])
    again = reminders.deliver_due([authorization])

    assert [r.kind for r in sent] == [Kind.DAYS_7] and again == []
    [message] = mailbox
    assert sorted(message.to) == ["ca@merchant.example", "ops@merchant.example", "store1@merchant.example"]
    assert message.subject == f"Amazon authorization expires in 7 days: “{us.name}” and “{ca.name}”"
    body = message.body
    assert "stops working" in body  # what happens when it lapses
    assert "Reconnect" in body and "Manage Your Apps" in body and "Re-Authorize" in body
    assert "/apps/manage" in body
    assert authorization.refresh_token not in body
    [(event, payload)] = notify_events
    assert event == "amazon_channel_authorization_expiring"
    assert payload["kind"] == "days_7" and payload["days_left"] == 7
    assert [s["name"] for s in payload["stores"]] == [us.name, ca.name]
    for store in (us, ca):
        [event] = AmazonStoreEvent.objects.filter(store=store, type=EventType.REMINDER_SENT)
        assert event.parameters["kind"] == "days_7"


def test_only_the_most_urgent_threshold_is_sent(offline_store, mailbox):
    store = offline_store(timedelta(days=5))
    authorization = store.authorization
    now = timezone.now()
    reminders.deliver_due([authorization], now)
    reminders.deliver_due([authorization], now + 4 * DAY + timedelta(hours=12))  # half a day left
    reminders.deliver_due([authorization], now + 6 * DAY)  # expired
    kinds = list(AuthorizationReminder.objects.order_by("sent_at").values_list("kind", flat=True))
    assert kinds == ["days_7", "days_1", "expired"]
    assert len(mailbox) == 3
    assert "tomorrow" in mailbox[1].subject and "expired" in mailbox[2].subject
    assert AmazonStoreEvent.objects.filter(store=store, type=EventType.EXPIRED).count() == 1


def test_renewal_starts_a_new_term_of_reminders(offline_store, mailbox):
    store = offline_store(timedelta(days=6))
    authorization = store.authorization
    now = timezone.now()
    assert len(reminders.deliver_due([authorization], now)) == 1

    authorization.renew("Atzr|renewed", now=now + DAY)
    authorization.save()
    assert reminders.deliver_due([authorization], now + DAY) == []  # a year to go

    thirty_before = authorization.expires_at - timedelta(days=29)
    [sent] = reminders.deliver_due([authorization], thirty_before)
    assert sent.kind == Kind.DAYS_30 and sent.term_expires_at == authorization.expires_at
    assert len(mailbox) == 2


def test_old_term_leftovers_are_never_sent(offline_store, mailbox):
    store = offline_store(timedelta(days=6))
    authorization = store.authorization
    old_term = authorization.expires_at
    AuthorizationReminder.objects.create(authorization=authorization, kind=Kind.DAYS_7, term_expires_at=old_term)
    authorization.renew("Atzr|renewed")
    authorization.save()
    assert reminders.deliver_due([authorization]) == []
    assert mailbox == []


class FailingBackend(LocmemBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP down")


def test_a_failed_send_stays_due_and_is_sent_later(offline_store, settings, mailbox):
    store = offline_store(timedelta(days=20))
    settings.EMAIL_BACKEND = "tests.monitoring.test_reminders.FailingBackend"
    assert reminders.deliver_due([store.authorization]) == []
    [pending] = AuthorizationReminder.objects.all()
    assert pending.sent_at is None
    assert not AmazonStoreEvent.objects.filter(type=EventType.REMINDER_SENT).exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert len(reminders.deliver_due([store.authorization])) == 1
    assert len(mailbox) == 1


def test_a_crash_after_sending_rolls_back_and_the_reminder_is_retried(offline_store, mailbox, monkeypatch):
    """What a worker killed mid-send leaves behind: an unsent row, sent again by the next run."""
    store = offline_store(timedelta(days=20))

    def crash(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(reminders, "_audit", crash)
    assert reminders.deliver_due([store.authorization]) == []
    assert AuthorizationReminder.objects.get().sent_at is None
    monkeypatch.undo()
    assert len(reminders.deliver_due([store.authorization])) == 1
    assert AuthorizationReminder.objects.get().sent_at is not None


def test_authorization_without_stores_reminds_staff(offline_store, add_staff_notification_recipient, mailbox):
    add_staff_notification_recipient("ops@merchant.example")
    store = offline_store(timedelta(days=3))
    authorization = store.authorization
    store.delete()
    reminders.deliver_due([authorization])
    assert mailbox[0].to == ["ops@merchant.example"]
    assert (
        AmazonStoreEvent.objects.filter(authorization=authorization, type=EventType.REMINDER_SENT, store=None).count()
        == 1
    )


def test_scan_walks_the_expiry_index_with_constant_queries_per_batch(offline_store, mailbox):
    for days in (200, 100, 40):  # not due
        offline_store(timedelta(days=days))
    for days in (29, 20, 6, 5, 0.5, -1, -300):
        offline_store(timedelta(days=days))
    already = offline_store(timedelta(days=25))
    AuthorizationReminder.objects.create(
        authorization=already.authorization, kind=Kind.DAYS_30, term_expires_at=already.authorization.expires_at,
        sent_at=timezone.now(),
    )

    with CaptureQueriesContext(connection) as captured:
        assert reminders.scan(batch_size=3) == 7
    assert len(mailbox) == 7
    # Per batch of 3: candidates, stores, sent-check, insert, staff; 3 per reminder; one empty batch at the end.
    batches = 3
    assert len(statements(captured)) == batches * 5 + 7 * 3 + 1
    assert reminders.scan(batch_size=3) == 0


def statements(captured):
    """The queries, without the savepoints each reminder's transaction becomes inside a test's transaction."""
    return [q for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


# -- two workers at once ------------------------------------------------------------


class SlowBackend(LocmemBackend):
    """Holds the reminder row long enough for the other worker to run into it."""

    def send_messages(self, messages):
        time.sleep(0.2)
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once(offline_store, settings):
    settings.EMAIL_BACKEND = "tests.monitoring.test_reminders.SlowBackend"
    mail.outbox = []
    stores = [offline_store(timedelta(days=days)) for days in (25, 6, 0.5, -2)]
    ids = [store.authorization_id for store in stores]
    barrier = threading.Barrier(3)
    errors = []

    def worker():
        try:
            authorizations = list(SellerAuthorization.objects.filter(pk__in=ids).prefetch_related("stores"))
            barrier.wait()
            reminders.deliver_due(authorizations)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(message.subject.split(":")[0] for message in mail.outbox) == [
        "Amazon authorization expired",
        "Amazon authorization expires in 25 days",
        "Amazon authorization expires in 6 days",
        "Amazon authorization expires tomorrow",
    ]
    assert AuthorizationReminder.objects.filter(sent_at__isnull=False).count() == 4
    assert AmazonStoreEvent.objects.filter(type=EventType.REMINDER_SENT).count() == 4


def test_reminders_are_written_through_djangos_gettext_in_the_hosts_language(offline_store, settings, monkeypatch):
    """Issue 15: reminder e-mails translatable (the words live in templates, translated by gettext)."""
    from django.utils.translation import trans_real

    store = offline_store(timedelta(days=6, hours=12))
    authorization = SellerAuthorization.objects.get(pk=store.authorization_id)
    french = {
        "Amazon authorization expires in %(left)s days: %(names)s":
            "L’autorisation Amazon expire dans %(left)s jours : %(names)s",
        "Hello,": "Bonjour,",
        "Saleor Amazon Sales Channel": "Canal de vente Amazon de Saleor",
    }
    catalog = trans_real.translation("fr")
    monkeypatch.setattr(catalog, "gettext", lambda message: french.get(message, message))
    monkeypatch.setattr(catalog, "ngettext", lambda one, many, n: french.get(many if n != 1 else one, many))
    settings.LANGUAGE_CODE = "fr"

    message = reminders.compose(authorization, [store], Kind.DAYS_7, timezone.now())

    assert message.subject == f"L’autorisation Amazon expire dans 7 jours : “{store.name}”"
    assert message.body.startswith("Bonjour,\n\n") and message.body.endswith("-- Canal de vente Amazon de Saleor")
    settings.LANGUAGE_CODE = "en"
    assert reminders.compose(authorization, [store], Kind.DAYS_7, timezone.now()).body.startswith("Hello,\n\n")
