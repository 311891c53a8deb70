"""The on-demand connection check (``amazonStoreCheckConnection``): the daily check, for one store, now."""

from datetime import datetime

from django.db import transaction

from saleor_amazon_channel.authorizations.models import ConnectionStatus
from saleor_amazon_channel.core.config import AmazonChannelConfig
from saleor_amazon_channel.core.host import Requestor
from saleor_amazon_channel.errors import DomainError, refusal
from saleor_amazon_channel.monitoring import health, tasks
from saleor_amazon_channel.outcomes import Outcome
from saleor_amazon_channel.stores.models import AmazonStore


def check_connection(
    store: AmazonStore, config: AmazonChannelConfig, requestor: Requestor, now: datetime | None = None
) -> tuple[AmazonStore, DomainError | None]:
    """Refresh an access token and re-read participations now (``amazonStoreCheckConnection``).

    The check itself is :func:`.health.check_authorization`, the same one the daily
    task runs; it saves the outcome. Returns the reloaded store and, when the
    connection is not healthy, the error to show (with a code), or raises one when
    the check cannot run at all. A reminder the check makes due is e-mailed by a task queued
    once the request's transaction commits: never over SMTP inside the request.
    """
    if store.authorization_id is None:
        raise refusal("store", "This store is not connected to Amazon.", Outcome.NOT_CONNECTED)
    if not config.is_complete:
        raise refusal(None, Outcome.PLUGIN_NOT_CONFIGURED.message, Outcome.PLUGIN_NOT_CONFIGURED)
    assert store.authorization is not None
    result = health.check_authorization(
        store.authorization, config, requestor=requestor, now=now, send_reminders=False
    )
    authorization_id = store.authorization_id
    transaction.on_commit(lambda: tasks.deliver_reminders_task.delay([authorization_id]))
    store = AmazonStore.objects.select_related("channel", "authorization").get(pk=store.pk)
    return store, _check_error(store, result, now)


def _check_error(store: AmazonStore, result: health.CheckResult, now: datetime | None) -> DomainError | None:
    status = store.status(now)
    if status in (ConnectionStatus.AUTHORIZATION_REVOKED, ConnectionStatus.AUTHORIZATION_EXPIRED):
        message = result.error_message or (
            "The Amazon authorization expired. Reconnect the store to renew it."
            if status is ConnectionStatus.AUTHORIZATION_EXPIRED
            else "Amazon no longer accepts the authorization: it was revoked. Reconnect the store."
        )
        return refusal(None, message, Outcome.AUTHORIZATION_REVOKED)
    if result.error_code in (Outcome.INVALID_CLIENT.value, Outcome.PLUGIN_NOT_CONFIGURED.value):
        return refusal(None, result.error_message, Outcome.PLUGIN_NOT_CONFIGURED)
    if result.error_code:
        return refusal(None, result.error_message, Outcome.AMAZON_UNAVAILABLE)
    if store.last_error_code == Outcome.MARKETPLACE_NOT_PARTICIPATING.value:
        return refusal(None, store.last_error_message, Outcome.MARKETPLACE_NOT_PARTICIPATING)
    return None
