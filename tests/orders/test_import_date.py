"""Moving the import date ("import orders created since") earlier than the poll's cursor: the next poll reads
Amazon's orders from the new date, and the orders already imported are not created twice."""

from datetime import UTC, datetime, timedelta

import pytest

from saleor_amazon_channel.core import ids
from saleor_amazon_channel.orders import poller, sync
from saleor_amazon_channel.orders.models import AmazonOrder, OrderSync
from tests.fixtures import GraphQLClient
from tests.orders.helpers import item

pytestmark = pytest.mark.django_db

UPDATE = """
mutation ($storeId: ID!, $importFrom: DateTime) {
  amazonOrderSettingsUpdate(storeId: $storeId, input: {importFrom: $importFrom}) {
    orderSettings { importFrom }
    errors { field code message }
  }
}
"""


@pytest.fixture
def channels_api(plugin, make_staff, auth_header):
    return GraphQLClient(auth_header(user=make_staff(permissions=("MANAGE_CHANNELS",))))


def move_import_date(api, store, moment):
    body = api.execute(UPDATE, {"storeId": ids.to_global_id("AmazonStore", store.pk), "importFrom": moment.isoformat()})
    assert body["data"]["amazonOrderSettingsUpdate"]["errors"] == []


def test_an_earlier_import_date_reads_older_orders_and_creates_the_imported_ones_once(
    order_store, stocked, place, poll, host_orders, channels_api
):
    stocked("SINCE-1")
    older = place([item("SINCE-1")], created_seconds_ago=3 * 86400)  # before the import date (two days ago)
    recent = place([item("SINCE-1")], created_seconds_ago=3600)
    poll()
    poll()
    assert [o["external_reference"] for o in host_orders()] == [recent]
    cursor = OrderSync.objects.get(store=order_store).cursor

    move_import_date(channels_api, order_store, datetime.now(UTC) - timedelta(days=4))
    poll()

    references = [o["external_reference"] for o in host_orders()]
    assert sorted(references) == sorted([older, recent])  # the older one imported, the recent one once
    assert AmazonOrder.objects.filter(store=order_store).count() == 2
    assert OrderSync.objects.get(store=order_store).cursor >= cursor


def test_a_later_import_date_keeps_the_cursor(order_store, stocked, place, poll, channels_api):
    stocked("SINCE-2")
    place([item("SINCE-2")], created_seconds_ago=3600)
    poll()
    cursor = OrderSync.objects.get(store=order_store).cursor

    move_import_date(channels_api, order_store, datetime.now(UTC) - timedelta(days=1))

    assert OrderSync.objects.get(store=order_store).cursor == cursor


def test_an_earlier_import_date_set_while_a_poll_runs_is_read_by_the_next_poll(
    order_store, stocked, place, poll, host_orders, channels_api, monkeypatch
):
    """The poll that was reading its window when the date moved does not write its cursor over the new one."""
    stocked("SINCE-3")
    poll()
    older = place([item("SINCE-3")], created_seconds_ago=3 * 86400)
    recent = place([item("SINCE-3")], created_seconds_ago=60)
    real_apply, moved = sync.apply, []

    def apply_while_the_merchant_saves(pk):
        if not moved:
            moved.append(True)
            move_import_date(channels_api, order_store, datetime.now(UTC) - timedelta(days=4))
        return real_apply(pk)

    monkeypatch.setattr(sync, "apply", apply_while_the_merchant_saves)
    poll()
    monkeypatch.undo()
    assert moved and [o["external_reference"] for o in host_orders()] == [recent]

    poll()

    assert sorted(o["external_reference"] for o in host_orders()) == sorted([older, recent])
    assert poller.sync_row(order_store).window_before is None
