"""``manage.py amazon_channel_check``: the daily check on demand, for all stores or one."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from saleor_amazon_channel.authorizations.models import ConnectionStatus, SellerAuthorization
from saleor_amazon_channel.core import ids
from saleor_amazon_channel.stores.models import AmazonStoreEvent, EventType
from tests.connected_stores import MX, SELLER_A, SELLER_B, US


@pytest.fixture(autouse=True)
def one_http_attempt(settings):
    settings.AMAZON_CHANNEL_HTTP_MAX_ATTEMPTS = 1


def check(*args) -> list[str]:
    out = StringIO()
    call_command("amazon_channel_check", *args, stdout=out, stderr=StringIO())
    return out.getvalue().splitlines()


def row(lines, name) -> str:
    [line] = [line for line in lines if line.startswith(name + " ")]
    return line


def test_checks_every_store_and_prints_a_table(connect_store, emulator, make_channel, mailbox):
    us = connect_store(SELLER_A, US, name="Amazon US")
    mx = connect_store(SELLER_A, MX, name="Amazon MX")
    connect_store(SELLER_B, US, name="Revoked US")
    emulator.revoke(SELLER_B.selling_partner_id)

    lines = check()

    assert lines[0].split() == ["Store", "Marketplace", "Seller", "Status", "Expires", "Problem"]
    assert "connected" in row(lines, "Amazon US").split()
    assert "error" in row(lines, "Amazon MX") and "not participating" in row(lines, "Amazon MX")
    assert "authorization_revoked" in row(lines, "Revoked US")
    assert lines[-1] == "3 store(s), 2 authorization(s) checked."
    assert emulator.state.sp_api_calls[SELLER_A.selling_partner_id] == 1  # one call for the two stores
    assert len(mailbox) == 1 and "revoked" in mailbox[0].subject
    actors = set(AmazonStoreEvent.objects.filter(type=EventType.CHECKED).values_list("actor", flat=True))
    assert actors == {"manage.py amazon_channel_check"}
    us.refresh_from_db()
    mx.refresh_from_db()
    assert (us.status(), mx.status()) == (ConnectionStatus.CONNECTED, ConnectionStatus.ERROR)


@pytest.mark.parametrize("how", ["pk", "global_id", "name"])
def test_one_store_by_id_or_name(connect_store, emulator, how):
    one = connect_store(SELLER_A, US, name="Amazon US")
    connect_store(SELLER_B, US, name="Other")
    value = {"pk": str(one.pk), "global_id": ids.to_global_id("AmazonStore", one.pk), "name": "amazon us"}[how]

    lines = check("--store", value)

    assert len(lines) == 3 and row(lines, "Amazon US")
    assert emulator.state.sp_api_calls[SELLER_B.selling_partner_id] == 0


def test_unknown_store_is_a_clear_error(plugin, db):
    with pytest.raises(CommandError, match="No Amazon store has the ID or name “nope”"):
        check("--store", "nope")
    with pytest.raises(CommandError, match="No Amazon store"):
        check("--store", "99999999999999")


def test_a_store_not_connected_is_listed_not_checked(connect_store, emulator, plugin):
    from tests.connected_stores import new_store

    store = new_store(None, US, None, name="Lonely")
    lines = check("--store", "Lonely")
    assert "not_connected" in row(lines, "Lonely")
    assert lines[-1] == "1 store(s), 0 authorization(s) checked."
    assert emulator.state.lwa_calls == 0
    assert store.authorization_id is None


def test_a_transient_fault_is_shown_but_not_counted(connect_store, emulator):
    connect_store(SELLER_B, US, name="Flaky")
    emulator.inject_fault("lwa", status=503, count=5)
    lines = check()
    assert "connected" in row(lines, "Flaky").split() and "unavailable" in row(lines, "Flaky").lower()
    assert SellerAuthorization.objects.get().failure_count == 0


def test_expiring_store_shows_its_expiry(connect_store, emulator, mailbox):
    store = connect_store(SELLER_A, US, name="Amazon US", expires_in=timedelta(days=5))
    lines = check()
    assert "authorization_expiring" in row(lines, "Amazon US")
    assert store.authorization.expires_at.strftime("%Y-%m-%d") in row(lines, "Amazon US")
    assert len(mailbox) == 1  # the 7-day reminder, as the daily run would send it


def test_unconfigured_plugin_is_refused(configure_plugin, db):
    configure_plugin(active=True, application_id="", lwa_client_id="", lwa_client_secret="")
    with pytest.raises(CommandError, match="not configured: missing applicationId, lwaClientId, lwaClientSecret"):
        check()
