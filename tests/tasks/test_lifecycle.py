"""A store through a whole life, mailbox counted: expiring, renewed from Amazon's Manage Your Apps,
expired, reconnected from the dashboard, revoked, reconnected again.

The connect flow runs for real (dashboard mutation, Seller Central in the emulator, our
Log-in URI and callback); the daily task runs eagerly, travelling in time through its
``now`` argument, and authorizations are moved in time by rewriting their dates.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from saleor_amazon_channel.authorizations.models import ConnectionStatus, SellerAuthorization
from saleor_amazon_channel.monitoring import tasks
from saleor_amazon_channel.stores.models import AmazonStoreEvent, EventType
from tests.amazon_fixtures import CA, SELLER_A, US, SellerBrowser
from tests.connected_stores import set_expiry
from tests.consent.helpers import (
    confirm_in_dashboard,
    connect_url,
    make_store,
    re_authorize_at_amazon,
    reload,
)

DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def one_http_attempt(settings):
    settings.AMAZON_CHANNEL_HTTP_MAX_ATTEMPTS = 1


def run(now):
    return tasks.check_authorizations_task.delay(now.isoformat()).get()


def authorization():
    return SellerAuthorization.objects.get()


def statuses(*stores):
    return {reload(store).status() for store in stores}


def subjects(mailbox, start=0):
    return [message.subject.split(":")[0] for message in mailbox[start:]]


def re_authorize_in_manage_your_apps(emulator, staff_api, store):
    """The seller, reminded, renews from Seller Central: Amazon starts the flow (no state of ours), and the
    merchant confirms it in the Dashboard."""
    browser = SellerBrowser(emulator)
    try:
        authorization = re_authorize_at_amazon(emulator, browser, SELLER_A)
        assert confirm_in_dashboard(staff_api, browser, store, authorization)["connectResult"] == "connected"
    finally:
        browser.close()


def test_expiring_renewed_expired_reconnected_revoked_reconnected(
    staff_api, channel_usd, emulator, seller_browser, mailbox, add_staff_notification_recipient, notify_events,
    dashboard,
):
    add_staff_notification_recipient("ops@merchant.example")
    us = make_store(channel_usd, US, name="Amazon US")
    ca = make_store(channel_usd, CA, name="Amazon CA")
    seller_browser.consent(connect_url(staff_api, us), SELLER_A)
    seller_browser.consent(connect_url(staff_api, ca), SELLER_A)
    now = timezone.now()
    assert run(now)["reminders"] == 0 and mailbox == []

    # -- Expiring: 30 and 7 days before; then the seller re-authorizes from Amazon.
    set_expiry(authorization(), now + timedelta(days=6, hours=12))
    run(now - 23 * DAY)  # 29.5 days before expiry
    run(now - 22 * DAY)  # the next day: nothing new
    assert statuses(us, ca) == {ConnectionStatus.AUTHORIZATION_EXPIRING}
    run(now)
    assert subjects(mailbox) == [
        "Amazon authorization expires in 30 days",
        "Amazon authorization expires in 7 days",
    ]
    assert sorted(mailbox[0].to) == ["ops@merchant.example", "owner@example.com"]

    re_authorize_in_manage_your_apps(emulator, staff_api, us)
    renewed = authorization()
    assert renewed.expires_at > now + 364 * DAY
    assert statuses(us, ca) == {ConnectionStatus.CONNECTED}
    now = timezone.now()
    run(now)
    assert len(mailbox) == 2  # a new term: nothing due

    # -- Expired: the last day, then the day after; then Reconnect in the dashboard.
    set_expiry(authorization(), now - DAY)
    run(now - timedelta(days=1, hours=12))  # half a day before expiry
    run(now)
    run(now + timedelta(hours=1))  # a second run: nothing twice
    assert subjects(mailbox, 2) == ["Amazon authorization expires tomorrow", "Amazon authorization expired"]
    assert statuses(us, ca) == {ConnectionStatus.AUTHORIZATION_EXPIRED}
    for store in (us, ca):
        assert AmazonStoreEvent.objects.filter(store=store, type=EventType.EXPIRED).count() == 1

    seller_browser.consent(connect_url(staff_api, us), SELLER_A, signed_in=True)
    assert statuses(us, ca) == {ConnectionStatus.CONNECTED}  # the sibling is renewed too
    now = timezone.now()
    run(now)
    assert len(mailbox) == 4

    # -- Revoked in Seller Central; then Reconnect.
    emulator.revoke(SELLER_A.selling_partner_id)
    run(now + DAY)
    run(now + DAY + timedelta(hours=13))
    assert subjects(mailbox, 4) == ["Amazon authorization revoked"]
    assert statuses(us, ca) == {ConnectionStatus.AUTHORIZATION_REVOKED}
    assert AmazonStoreEvent.objects.filter(type=EventType.REVOKED).count() == 2

    seller_browser.consent(connect_url(staff_api, ca), SELLER_A, signed_in=True)
    assert statuses(us, ca) == {ConnectionStatus.CONNECTED}
    reconnected = authorization()
    assert reconnected.revoked_at is None
    run(timezone.now() + 2 * DAY)
    assert len(mailbox) == 5

    # -- A year on, the new term's reminders start again.
    run(reconnected.expires_at - 29 * DAY - timedelta(hours=12))
    assert subjects(mailbox, 5) == ["Amazon authorization expires in 30 days"]
    assert [name for name, _ in notify_events] == [
        "amazon_channel_authorization_expiring",
        "amazon_channel_authorization_expiring",
        "amazon_channel_authorization_expiring",
        "amazon_channel_authorization_expired",
        "amazon_channel_authorization_revoked",
        "amazon_channel_authorization_expiring",
    ]
