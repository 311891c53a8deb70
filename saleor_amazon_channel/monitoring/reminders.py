"""Reminder e-mails about an authorization's term: 30, 7 and 1 days before expiry, on expiry, on revocation.

Each reminder goes out once per term. The term is named by its expiry date
(``AuthorizationReminder.term_expires_at``), so a renewal, which moves the expiry a
year on, starts a fresh set of reminders and leaves the old term's behind.

Exactly once, with several workers and beat processes, retries and killed workers:

1. the due reminders of a batch are inserted as unsent rows (the unique key makes
   a second insert a no-op);
2. each is then sent in its own transaction that holds its row
   (``SELECT ... FOR UPDATE SKIP LOCKED`` on unsent rows), marks it sent and
   commits. A concurrent worker skips the locked row and, once committed, sees it
   sent; a killed worker's transaction rolls back, leaving the row unsent for the
   next run.

The one window left: the mail server accepted the message but the commit was lost
(the worker died, or the database went away, in the instant between the two). The
reminder is then sent again on the next run. Closing it would need the mail server
to take part in the transaction, which SMTP cannot.
"""

import logging
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When, prefetch_related_objects
from django.template import Context, Engine
from django.utils import timezone, translation
from django.utils.translation import gettext

from saleor_amazon_channel.amazon import endpoints
from saleor_amazon_channel.authorizations.models import SellerAuthorization
from saleor_amazon_channel.core import ids
from saleor_amazon_channel.core.host import SYSTEM, get_host
from saleor_amazon_channel.core.marketplaces import MARKETPLACES
from saleor_amazon_channel.monitoring.models import AuthorizationReminder
from saleor_amazon_channel.stores import audit
from saleor_amazon_channel.stores.models import AmazonStore, EventType

logger = logging.getLogger(__name__)

Kind = AuthorizationReminder.Kind

# Most urgent first: only the most urgent threshold crossed is due. A store found
# with 5 days left gets the 7-day reminder, not the 30-day one as well.
BEFORE_EXPIRY = ((Kind.DAYS_1, timedelta(days=1)), (Kind.DAYS_7, timedelta(days=7)), (Kind.DAYS_30, timedelta(days=30)))
HORIZON = BEFORE_EXPIRY[-1][1]

NOTIFY_EVENTS: dict[str, str] = {
    Kind.DAYS_30: "amazon_channel_authorization_expiring",
    Kind.DAYS_7: "amazon_channel_authorization_expiring",
    Kind.DAYS_1: "amazon_channel_authorization_expiring",
    Kind.EXPIRED: "amazon_channel_authorization_expired",
    Kind.REVOKED: "amazon_channel_authorization_revoked",
}


def due_kind(authorization: SellerAuthorization, now: datetime | None = None) -> str | None:
    """The reminder the authorization's current state calls for (sent or not), or None."""
    now = now or timezone.now()
    if authorization.revoked_at:
        return Kind.REVOKED
    if authorization.expires_at <= now:
        return Kind.EXPIRED
    for kind, before in BEFORE_EXPIRY:
        if authorization.expires_at - now <= before:
            return kind
    return None


def due_kind_sql(now: datetime) -> Case:
    """:func:`due_kind` as an SQL expression (kept in step with it by the tests)."""
    return Case(
        When(revoked_at__isnull=False, then=Value(Kind.REVOKED.value)),
        When(expires_at__lte=now, then=Value(Kind.EXPIRED.value)),
        *(When(expires_at__lte=now + before, then=Value(kind.value)) for kind, before in BEFORE_EXPIRY),
        default=Value(None),
    )


def owing(now: datetime, after: tuple[datetime, int] | None = None) -> QuerySet[SellerAuthorization]:
    """Authorizations whose expiry calls for a reminder not yet sent, by (expires_at, id).

    Walks the expiry index: only authorizations within 30 days of expiry, or past it.
    ``after`` is the (expires_at, id) of the previous batch's last row (keyset paging).
    """
    sent = AuthorizationReminder.objects.filter(
        authorization=OuterRef("pk"),
        kind=OuterRef("due_kind"),
        term_expires_at=OuterRef("expires_at"),
        sent_at__isnull=False,
    )
    queryset = SellerAuthorization.objects.filter(expires_at__lte=now + HORIZON)
    if after is not None:
        expires_at, pk = after
        queryset = queryset.filter(Q(expires_at__gt=expires_at) | Q(expires_at=expires_at, pk__gt=pk))
    return (
        queryset.annotate(due_kind=due_kind_sql(now))
        .filter(~Exists(sent))
        .order_by("expires_at", "pk")
    )


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def deliver_due(
    authorizations: Iterable[SellerAuthorization], now: datetime | None = None
) -> list[AuthorizationReminder]:
    """Send the due reminder of each authorization, unless it went out already.

    ``authorizations``: instances (their stores are fetched here if need be). Returns the
    reminders this call sent. A constant number of queries for the batch, plus three
    per reminder sent (lock, mark sent, audit). ``now``: for tests travelling in time;
    by default each reminder is dated when it is sent.
    """
    given = now
    now = now or timezone.now()
    due = [(a, kind) for a in authorizations if (kind := due_kind(a, now)) is not None]
    if not due:
        return []
    # The writer throughout: the rows read here decide what is written next.
    with get_host().allow_writer():
        already_sent = set(
            AuthorizationReminder.objects.filter(
                authorization_id__in=[a.pk for a, _ in due], sent_at__isnull=False
            ).values_list("authorization_id", "kind", "term_expires_at")
        )
        due = [(a, kind) for a, kind in due if (a.pk, kind, a.expires_at) not in already_sent]
        if not due:
            return []
        prefetch_related_objects([a for a, _ in due], "stores")  # those not fetched yet; one query
        AuthorizationReminder.objects.bulk_create(
            [AuthorizationReminder(authorization=a, kind=kind, term_expires_at=a.expires_at) for a, kind in due],
            ignore_conflicts=True,
        )
        staff = get_host().staff_notification_emails()
        connection = get_connection(fail_silently=False)
        try:
            sent = [_send_once(a, kind, staff, connection, now, given) for a, kind in due]
        finally:
            connection.close()
    return [reminder for reminder in sent if reminder is not None]


def _send_once(
    authorization: SellerAuthorization,
    kind: str,
    staff: list[str],
    connection: BaseEmailBackend,
    now: datetime,
    given: datetime | None = None,
) -> AuthorizationReminder | None:
    try:
        with transaction.atomic():
            reminder = (
                AuthorizationReminder.objects.select_for_update(skip_locked=True)
                .filter(
                    authorization_id=authorization.pk,
                    kind=kind,
                    term_expires_at=authorization.expires_at,
                    sent_at__isnull=True,
                )
                .first()
            )
            if reminder is None:
                return None  # sent already, or being sent by another worker right now
            stores = _stores_of(authorization)
            recipients = recipients_for(stores, staff)
            message = compose(authorization, stores, kind, now)
            # Sent while the row is held and before it is marked: should the worker die
            # before the commit, the mark rolls back and the next run sends it again;
            # it is never lost, and duplicated only in that instant (see the module docstring).
            if recipients:
                EmailMessage(
                    message.subject,
                    message.body,
                    settings.DEFAULT_FROM_EMAIL,
                    recipients,
                    connection=connection,
                ).send()
            get_host().notify(
                NOTIFY_EVENTS[kind], notify_payload(authorization, stores, kind, message, recipients, now)
            )
            reminder.sent_at = sent_at = given or timezone.now()
            reminder.save(update_fields=["sent_at"])
            _audit(authorization, stores, kind, recipients, sent_at)
    except Exception:
        # The row stays unsent: the next run tries again. Other reminders go on.
        logger.exception(
            "amazon_channel.reminder.send_failed", extra={"authorization_id": authorization.pk, "kind": str(kind)}
        )
        return None
    logger.info(
        "amazon_channel.reminder.sent",
        extra={"authorization_id": authorization.pk, "kind": str(kind), "recipients": len(recipients)},
    )
    return reminder


def _stores_of(authorization: SellerAuthorization) -> list[AmazonStore]:
    stores = list(authorization.stores.all())
    for store in stores:
        store.authorization = authorization
    return stores


def recipients_for(stores: Iterable[AmazonStore], staff: Iterable[str]) -> list[str]:
    """Each store's contact address and Saleor's staff notification recipients, once each."""
    seen: set[str] = set()
    recipients: list[str] = []
    for address in [store.contact_email for store in stores] + list(staff):
        key = (address or "").strip().lower()
        if key and key not in seen:
            seen.add(key)
            recipients.append(address.strip())
    return recipients


def days_left(authorization: SellerAuthorization, now: datetime) -> int:
    return max(0, math.ceil((authorization.expires_at - now) / timedelta(days=1)))


TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "saleor_amazon_channel" / "reminders"
# Plain text: no auto-escaping; the host's template settings play no part (Saleor's may not read app folders).
_engine = Engine(dirs=[str(TEMPLATES)], autoescape=False, libraries={"i18n": "django.templatetags.i18n"})


def compose(authorization: SellerAuthorization, stores: list[AmazonStore], kind: str, now: datetime) -> Message:
    """The reminder's subject and body, in the host's language (``LANGUAGE_CODE``; Django's gettext through
    the templates in ``templates/saleor_amazon_channel/reminders``)."""
    with translation.override(settings.LANGUAGE_CODE):
        context = Context({
            "kind": str(kind),
            "names": _store_names(stores),
            "expiry": _date(authorization.expires_at),
            "left": days_left(authorization, now),
            "selling_partner_id": authorization.selling_partner_id,
            "region": authorization.region,
            "manage_apps": _manage_apps_url(authorization, stores),
            "stores": [{"name": store.name, "country": store.marketplace.country_name} for store in stores],
        })
        subject = str(_engine.get_template("subject.txt").render(context))
        rendered = str(_engine.get_template("body.txt").render(context))
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in rendered.splitlines())).strip()
    return Message(" ".join(subject.split()), body)


def _store_names(stores: list[AmazonStore]) -> str:
    names = [f"“{store.name}”" for store in stores]
    if not names:
        return gettext("your Amazon stores")
    if len(names) == 1:
        return names[0]
    return gettext("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def _manage_apps_url(authorization: SellerAuthorization, stores: list[AmazonStore]) -> str:
    marketplace = stores[0].marketplace if stores else next(m for m in MARKETPLACES if m.region == authorization.region)
    return endpoints.seller_central_url(marketplace) + "/apps/manage"


def _date(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%d %B %Y, %H:%M UTC")


def notify_payload(
    authorization: SellerAuthorization,
    stores: list[AmazonStore],
    kind: str,
    message: Message,
    recipients: list[str],
    now: datetime,
) -> dict[str, Any]:
    return {
        "kind": str(kind),
        "authorization_id": authorization.pk,
        "selling_partner_id": authorization.selling_partner_id,
        "region": authorization.region,
        "expires_at": authorization.expires_at.isoformat(),
        "revoked_at": authorization.revoked_at.isoformat() if authorization.revoked_at else None,
        "days_left": days_left(authorization, now),
        "stores": [
            {
                "id": ids.to_global_id("AmazonStore", store.pk),
                "name": store.name,
                "marketplace_id": store.marketplace_id,
                "country_code": store.marketplace.country_code,
                "contact_email": store.contact_email,
            }
            for store in stores
        ],
        "recipient_list": recipients,
        "subject": message.subject,
        "message": message.body,
    }


def _audit(
    authorization: SellerAuthorization, stores: list[AmazonStore], kind: str, recipients: list[str], now: datetime
) -> None:
    """REMINDER_SENT on each store (on the authorization alone when no store is left); EXPIRED too at expiry."""
    entries: list[tuple[AmazonStore | None, EventType, str]] = []
    if kind == Kind.EXPIRED:
        # Expiry happens by itself, with no request to hang it on: its reminder marks it, once.
        text = (
            f"The Amazon authorization expired on {_date(authorization.expires_at)}; reconnect the store to renew it."
        )
        entries += [(store, EventType.EXPIRED, text) for store in stores]
    text = f"Reminder e-mailed ({Kind(kind).label.lower()}) to {len(recipients)} recipient(s)."
    targets: list[AmazonStore | None] = [*stores] if stores else [None]
    entries += [(store, EventType.REMINDER_SENT, text) for store in targets]
    audit.write(
        audit.event(
            store,
            type_,
            SYSTEM,
            text,
            authorization=authorization,
            date=now,
            kind=str(kind),
            term_expires_at=authorization.expires_at.isoformat(),
            recipients=len(recipients),
        )
        for store, type_, text in entries
    )


def scan(now: datetime | None = None, batch_size: int = 500) -> int:
    """Send every reminder due now, walking the expiry index in batches. Returns how many went out."""
    now = now or timezone.now()
    after: tuple[datetime, int] | None = None
    sent = 0
    while True:
        batch = list(owing(now, after)[:batch_size])
        if not batch:
            return sent
        after = (batch[-1].expires_at, batch[-1].pk)
        sent += len(deliver_due(batch, now))


