"""What connecting, renewing, failing and disconnecting do to the database.

The consent service (:mod:`.service`) and the GraphQL mutations call these; no HTTP to
Amazon happens here except in :func:`check_connection`. Every outcome writes its
audit event; no token, code or state ever reaches the trail.

Rules:

- Amazon grants one authorization per seller per region, shared by that seller's
  stores in the region: connecting or renewing one store renews its siblings.
- A store linked to seller A rejects a consent from seller B (``SELLER_MISMATCH``).
- One seller's marketplace feeds one store (``SELLER_ALREADY_CONNECTED``).
- The store's marketplace must be one the seller participates in. When it is not,
  the store stays as it was (unlinked, or linked and in ``ERROR``) and the refresh
  token is kept only if the seller's authorization already serves other stores: it
  is a genuine, fresher consent for them. Otherwise it is discarded, so no token is
  stored that no store uses.
"""

import logging
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from saleor_amazon_channel import outcomes
from saleor_amazon_channel.amazon import errors as amazon_errors
from saleor_amazon_channel.authorizations import tokens
from saleor_amazon_channel.authorizations.models import SellerAuthorization
from saleor_amazon_channel.consent.models import PendingConnection
from saleor_amazon_channel.consent.state import PENDING_LIFETIME
from saleor_amazon_channel.core.host import MANAGE_CHANNELS, Requestor, get_host
from saleor_amazon_channel.errors import refusal
from saleor_amazon_channel.outcomes import Outcome
from saleor_amazon_channel.stores import audit
from saleor_amazon_channel.stores.models import AmazonStore, EventType

logger = logging.getLogger(__name__)

__all__ = ["PENDING_LIFETIME"]  # re-exported: the lifetime is the state's (consent/state.py)

# Pending rows are kept a while after they lapse, so a late callback still names its store.
PENDING_RETENTION = timedelta(days=1)

REVOKE_HINT = (
    "To remove the plugin's access completely, also revoke it in Seller Central: "
    "Apps and Services > Manage Your Apps."
)


def reason_for(error: amazon_errors.AmazonError, *, sp_api: bool) -> Outcome:
    """The return-page reason for an Amazon client error (LWA during the exchange, else SP-API)."""
    return outcomes.of_amazon_error(error, sp_api=sp_api)


class ConnectionRejected(Exception):
    """A connection that must change nothing; ``reason`` says why."""

    def __init__(self, reason: Outcome, message: str | None = None):
        self.reason = reason
        # The pending connection it was about, when known (its store shows the failure).
        self.pending: PendingConnection | None = None
        self.message = message or reason.message
        super().__init__(self.message)


# -- pending connections -------------------------------------------------------

# Connections one user (or app) may have started in the last PENDING_LIFETIME.
MAX_PENDING_PER_REQUESTOR = 20


def start_connection(store: AmazonStore, requestor: Requestor, expected_seller: str = "") -> PendingConnection:
    """A consent about to start from the dashboard, by ``requestor`` (a staff user or an app).

    ``expected_seller`` is the seller Amazon named when Amazon started the consent (the
    Log-in URI); the callback must then come back for that seller.
    """
    if not requestor.is_authenticated:
        # The GraphQL layer already requires MANAGE_CHANNELS; nothing anonymous ever gets a row.
        raise refusal(None, "Sign in to Saleor to connect a store.", Outcome.INVALID)
    with transaction.atomic():
        # Serialize one requestor's starts on their own row, so twenty-one racing starts cannot all pass the count.
        _lock_requestor(requestor)
        if _recent_pending(requestor).count() >= MAX_PENDING_PER_REQUESTOR:
            raise refusal(None, Outcome.CONNECT_LIMIT_REACHED.message, Outcome.CONNECT_LIMIT_REACHED)
        pending = PendingConnection.objects.create(
            store=store,
            nonce=secrets.token_urlsafe(32),
            user_id=requestor.user_id,
            app_id=requestor.app_id,
            actor=requestor.label[:255],
            expected_seller=expected_seller,
        )
        # Not "Amazon asked": anyone can call the Log-in URI; what is known is who confirmed it here.
        renewal = f" for seller {expected_seller}, requested through the Log-in URI" if expected_seller else ""
        audit.record(
            store,
            EventType.CONNECT_STARTED,
            requestor,
            f"Connection to Amazon {store.marketplace.country_name}{renewal} started: waiting for the seller's "
            "consent in Seller Central.",
        )
    return pending


def _lock_requestor(requestor: Requestor) -> None:
    if requestor.user_id is not None:
        from django.contrib.auth import get_user_model

        list(get_user_model()._default_manager.select_for_update().filter(pk=requestor.user_id).values_list("pk"))
    elif requestor.app_id is not None:
        app_model = PendingConnection._meta.get_field("app").related_model
        list(app_model._default_manager.select_for_update().filter(pk=requestor.app_id).values_list("pk"))


def _recent_pending(requestor: Requestor, now: datetime | None = None) -> QuerySet[PendingConnection]:
    since = (now or timezone.now()) - PENDING_LIFETIME
    if requestor.user_id is not None:
        return PendingConnection.objects.filter(user_id=requestor.user_id, created_at__gte=since)
    if requestor.app_id is not None:
        return PendingConnection.objects.filter(app_id=requestor.app_id, user__isnull=True, created_at__gte=since)
    return PendingConnection.objects.filter(app__isnull=True, user__isnull=True, created_at__gte=since)


def purge_stale_pending(now: datetime | None = None) -> int:
    """Delete lapsed consents (run by the daily task); kept a day so a late callback still names its store."""
    now = now or timezone.now()
    deleted, _ = PendingConnection.objects.filter(created_at__lt=now - PENDING_RETENTION).delete()
    return deleted


def usable_pending(pk: int, nonce: str, now: datetime | None = None) -> PendingConnection | None:
    """The pending connection if it exists, is unused and fresh (no write)."""
    now = now or timezone.now()
    return (
        PendingConnection.objects.select_related("store")
        .filter(pk=pk, nonce=nonce, consumed_at__isnull=True, created_at__gte=now - PENDING_LIFETIME)
        .first()
    )


def usable_pendings(pks: Collection[int], now: datetime | None = None) -> list[PendingConnection]:
    """The fresh, unused, browser-bound pending connections among ``pks``, newest first, in one query
    (the caller checks each against the browser's cookie)."""
    if not pks:
        return []
    now = now or timezone.now()
    return list(
        PendingConnection.objects.select_related("store__authorization")
        .filter(pk__in=sorted(pks), consumed_at__isnull=True, created_at__gte=now - PENDING_LIFETIME)
        .exclude(browser_hash="")
        .order_by("-created_at", "-pk")
    )


def pending_by_pk(pk: int, nonce: str | None = None) -> PendingConnection | None:
    """The row a state names, with what the callback reads next (no write)."""
    queryset = PendingConnection.objects.select_related("store__authorization").filter(pk=pk)
    if nonce is not None:
        queryset = queryset.filter(nonce=nonce)
    return queryset.first()


def bind_browser(pending: PendingConnection, browser_hash: str) -> bool:
    """Tie the consent to one browser, once: of two openings of a start link, one wins."""
    bound = PendingConnection.objects.filter(pk=pending.pk, nonce=pending.nonce, browser_hash="").update(
        browser_hash=browser_hash
    )
    if bound:
        pending.browser_hash = browser_hash
    return bound == 1


def expect_seller(pending: PendingConnection, selling_partner_id: str) -> None:
    """Record the seller Amazon's Log-in URI call named (first one wins)."""
    if not pending.expected_seller:
        PendingConnection.objects.filter(pk=pending.pk, expected_seller="").update(expected_seller=selling_partner_id)
        pending.refresh_from_db(fields=["expected_seller"])


def requestor_may_connect(pending: PendingConnection) -> bool:
    """The user or app who started the consent still exists, is active and holds MANAGE_CHANNELS (now)."""
    if pending.user_id is None and pending.app_id is None:
        return False
    return get_host().requestor_has_permission(pending.user_id, pending.app_id, MANAGE_CHANNELS)


def consume_pending(
    pk: int, nonce: str, now: datetime | None = None, loaded: PendingConnection | None = None
) -> PendingConnection:
    """Use up the pending connection, atomically: of racing callbacks exactly one wins.

    ``loaded`` is the row as the caller just read it (with ``store__authorization``): the winner
    then needs no second read. Raises :class:`ConnectionRejected` (``STATE_USED``,
    ``STATE_EXPIRED`` or ``STORE_NOT_FOUND``); the exception's ``pending`` names the store when known.
    """
    now = now or timezone.now()
    won = PendingConnection.objects.filter(
        pk=pk, nonce=nonce, consumed_at__isnull=True, created_at__gte=now - PENDING_LIFETIME
    ).update(consumed_at=now)
    if won == 1 and loaded is not None:
        loaded.consumed_at = now
        return loaded
    pending = PendingConnection.objects.select_related("store__authorization").filter(pk=pk, nonce=nonce).first()
    if won == 1 and pending is not None:
        return pending
    if pending is None:
        # A genuine signature whose row is gone: the store was deleted (rows cascade).
        rejected = ConnectionRejected(Outcome.STORE_NOT_FOUND)
    elif pending.consumed_at is not None:
        rejected = ConnectionRejected(Outcome.STATE_USED)
    else:
        rejected = ConnectionRejected(Outcome.STATE_EXPIRED)
    rejected.pending = pending
    raise rejected


def requestor_of(pending: PendingConnection) -> Requestor:
    """Who started the consent, for the audit trail (always a user or an app)."""
    return Requestor(user_id=pending.user_id, app_id=pending.app_id, label=pending.actor)


# -- the outcome of a consent ----------------------------------------------------


def precheck(store: AmazonStore, selling_partner_id: str) -> Outcome | None:
    """The rejection a consent from ``selling_partner_id`` will meet, known before any token exists."""
    region = store.marketplace.region.value
    if store.authorization_id is not None:
        linked = store.authorization
        assert linked is not None
        if (linked.selling_partner_id, linked.region) != (selling_partner_id, region):
            return Outcome.SELLER_MISMATCH
    taken = (
        AmazonStore.objects.filter(
            authorization__selling_partner_id=selling_partner_id,
            authorization__region=region,
            marketplace_id=store.marketplace_id,
        )
        .exclude(pk=store.pk)
        .exists()
    )
    return Outcome.SELLER_ALREADY_CONNECTED if taken else None


@dataclass
class ConnectionResult:
    store: AmazonStore
    authorization: SellerAuthorization | None
    renewed: bool = False  # the store was already linked to this seller
    reason: Outcome | None = None  # set when the store could not be connected

    @property
    def connected(self) -> bool:
        return self.reason is None


def complete_connection(
    store_id: int,
    selling_partner_id: str,
    refresh_token: str,
    participations: list[dict[str, Any]],
    requestor: Requestor,
    *,
    access_token: str | None = None,
    expires_in: int | None = None,
    now: datetime | None = None,
) -> ConnectionResult:
    """Record a successful consent: the whole change in one transaction.

    Raises :class:`ConnectionRejected` (nothing changed) for a missing store, a
    different seller, or a seller marketplace already feeding another store.
    """
    now = now or timezone.now()
    with transaction.atomic():
        store = (
            AmazonStore.objects.select_for_update(of=("self",))
            .select_related("authorization")
            .filter(pk=store_id)
            .first()
        )
        if store is None:
            raise ConnectionRejected(Outcome.STORE_NOT_FOUND)
        reason = precheck(store, selling_partner_id)
        if reason is not None:
            raise ConnectionRejected(reason)
        region = store.marketplace.region.value
        authorization = _locked_authorization(selling_partner_id, region)
        participation = next((p for p in participations if p.get("marketplaceId") == store.marketplace_id), None)
        if not (participation and participation.get("isParticipating")):
            return _not_participating(store, authorization, refresh_token, participations, requestor, now)

        was_linked = store.authorization_id is not None
        authorization = _renew(authorization, selling_partner_id, region, refresh_token, participations, now)
        store.authorization = authorization
        store.last_error_code = ""
        store.last_error_message = ""
        try:
            store.save(update_fields=["authorization", "last_error_code", "last_error_message", "updated_at"])
        except IntegrityError:
            # A racing consent linked this seller's marketplace to another store first. Raising
            # out of the atomic block rolls all of it back, so no savepoint is needed.
            raise ConnectionRejected(Outcome.SELLER_ALREADY_CONNECTED) from None
        seller = f"Amazon seller {selling_partner_id} ({region})"
        if was_linked:
            audit.record(store, EventType.RENEWED, requestor, f"Authorization of {seller} renewed for 365 days.",
                         authorization=authorization)
        else:
            audit.record(store, EventType.CONNECTED, requestor, f"Connected to {seller}.", authorization=authorization)
        _record_sibling_renewal(store, authorization, requestor)
    # After the block, not on_commit: a key of a rolled-back renewal (pk + authorized_at) is never read.
    _prime_token_cache(authorization, access_token, expires_in)
    logger.info(
        "amazon_channel.connection.completed",
        extra={"store_id": store.pk, "authorization_id": authorization.pk, "renewed": was_linked},
    )
    return ConnectionResult(store, authorization, renewed=was_linked)


def _not_participating(
    store: AmazonStore,
    authorization: SellerAuthorization | None,
    refresh_token: str,
    participations: list[dict[str, Any]],
    requestor: Requestor,
    now: datetime,
) -> ConnectionResult:
    reason = Outcome.MARKETPLACE_NOT_PARTICIPATING
    message = (
        f"The Amazon seller account does not sell in Amazon {store.marketplace.country_name} "
        f"({store.marketplace_id}): the store was not connected."
    )
    if authorization is not None and authorization.stores.exists():
        # A fresh consent for the stores that do use this authorization: keep it for them.
        authorization = _renew(authorization, authorization.selling_partner_id, authorization.region, refresh_token,
                               participations, now)
        _record_sibling_renewal(store, authorization, requestor)
        if store.authorization_id == authorization.pk:
            # The same code the connection check sets (health.py), so either one clears it.
            store.last_error_code = Outcome.MARKETPLACE_NOT_PARTICIPATING.value
            store.last_error_message = reason.message
            store.save(update_fields=["last_error_code", "last_error_message", "updated_at"])
            message = (
                f"The Amazon seller account no longer sells in Amazon {store.marketplace.country_name} "
                f"({store.marketplace_id})."
            )
    audit.record(store, EventType.CONNECT_FAILED, requestor, message, reason=reason.value)
    logger.warning("amazon_channel.connection.failed", extra={"store_id": store.pk, "reason": reason.value})
    return ConnectionResult(store, store.authorization if store.authorization_id else None, reason=reason)


def _locked_authorization(selling_partner_id: str, region: str) -> SellerAuthorization | None:
    return SellerAuthorization.objects.select_for_update().filter(
        selling_partner_id=selling_partner_id, region=region
    ).first()


def _renew(
    authorization: SellerAuthorization | None,
    selling_partner_id: str,
    region: str,
    refresh_token: str,
    participations: list[dict[str, Any]],
    now: datetime,
) -> SellerAuthorization:
    if authorization is None:
        authorization = SellerAuthorization(selling_partner_id=selling_partner_id, region=region)
    authorization.renew(refresh_token, now=now)
    authorization.participations = participations
    authorization.last_checked_at = now
    if authorization.pk is not None:
        authorization.save()
        return authorization
    try:
        with transaction.atomic():
            authorization.save()
    except IntegrityError:
        # Another store of the same seller connected at the same moment: renew that row instead.
        winner = _locked_authorization(selling_partner_id, region)
        assert winner is not None  # the row whose unique key refused ours
        authorization = winner
        authorization.renew(refresh_token, now=now)
        authorization.participations = participations
        authorization.last_checked_at = now
        authorization.save()
    return authorization


def _record_sibling_renewal(store: AmazonStore, authorization: SellerAuthorization, requestor: Requestor) -> None:
    siblings = list(AmazonStore.objects.filter(authorization=authorization).exclude(pk=store.pk))
    if siblings:
        audit.record_many(
            siblings,
            EventType.RENEWED,
            requestor,
            f"Authorization of Amazon seller {authorization.selling_partner_id} ({authorization.region}) renewed "
            f"through store “{store.name}”.",
            via_store=store.name,
        )


def _prime_token_cache(authorization: SellerAuthorization, access_token: str | None, expires_in: int | None) -> None:
    """The exchange already gave an access token: keep it, saving a refresh."""
    tokens.forget_access_token(authorization)
    if access_token and expires_in:
        tokens.remember_access_token(authorization, access_token, expires_in)


def record_failure(store: AmazonStore | None, reason: Outcome, requestor: Requestor, message: str | None = None,
                   **parameters: object) -> None:
    """Audit a failed consent; the store itself is left as it was."""
    logger.warning(
        "amazon_channel.connection.failed",
        extra={"store_id": store.pk if store else None, "reason": reason.value},
    )
    if store is None or not AmazonStore.objects.filter(pk=store.pk).exists():
        return
    audit.record(store, EventType.CONNECT_FAILED, requestor, message or reason.message, reason=reason.value,
                 **parameters)


# -- disconnecting -------------------------------------------------------------


def disconnect(store: AmazonStore, requestor: Requestor) -> AmazonStore:
    """Unlink the store; the authorization (and its token) goes when no other store uses it."""
    with transaction.atomic():
        store = AmazonStore.objects.select_for_update(of=("self",)).select_related("authorization").get(pk=store.pk)
        if store.authorization_id is None:
            raise refusal("store", "This store is not connected to Amazon.", Outcome.NOT_CONNECTED)
        # Locked before deciding whether siblings still use it: a connect of a sibling that is linking
        # it right now commits first, and is then counted (the same order as complete_connection: store, then
        # authorization).
        authorization = SellerAuthorization.objects.select_for_update().get(pk=store.authorization_id)
        store.authorization = None
        store.last_error_code = ""
        store.last_error_message = ""
        store.save(update_fields=["authorization", "last_error_code", "last_error_message", "updated_at"])
        shared = AmazonStore.objects.filter(authorization=authorization).exists()
        audit.record(
            store,
            EventType.DISCONNECTED,
            requestor,
            f"Disconnected from Amazon seller {authorization.selling_partner_id} ({authorization.region}). "
            + REVOKE_HINT,
            authorization=authorization if shared else None,
            token_deleted=not shared,
            seller_id=authorization.selling_partner_id,
            region=authorization.region,
        )
        if not shared:
            tokens.forget_access_token(authorization)  # while it still has its pk
            authorization.delete()
    return store
