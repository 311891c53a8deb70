"""The orders API: settings (MANAGE_CHANNELS), orders and retries (MANAGE_ORDERS), orderSync, constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_amazon_channel.core import ids
from saleor_amazon_channel.orders.models import AmazonOrder, AmazonShipment, OrderSettings, ShipmentStatus
from tests.fixtures import GraphQLClient
from tests.orders.helpers import item

pytestmark = pytest.mark.django_db

EXAMPLES = __import__("pathlib").Path(__file__).resolve().parents[2] / "graphql" / "examples"
LIST = (EXAMPLES / "orders-list.graphql").read_text()
SETTINGS = (EXAMPLES / "orders-settings.graphql").read_text()
RETRY = (EXAMPLES / "orders-retry.graphql").read_text()


@pytest.fixture
def orders_api(plugin, make_staff, auth_header):
    return GraphQLClient(auth_header(user=make_staff(permissions=("MANAGE_ORDERS",))))


@pytest.fixture
def channels_api(plugin, make_staff, auth_header):
    return GraphQLClient(auth_header(user=make_staff(permissions=("MANAGE_CHANNELS",))))


def sid(store):
    return ids.to_global_id("AmazonStore", store.pk)


def nodes(body):
    return [edge["node"] for edge in body["data"]["amazonOrders"]["edges"]]


def test_orders_with_saleor_order_lines_and_problems_waiting_ones_first(
    order_store, stocked, place, poll, orders_api
):
    stocked("GQL-1")
    fine = place([item("GQL-1", 2)])
    waiting = place([item("GQL-UNKNOWN")])
    poll()

    body = orders_api.execute(LIST, {"storeId": sid(order_store)})

    first, second = nodes(body)
    assert first["amazonOrderId"] == waiting and first["problem"] == "UNKNOWN_SKU" and first["saleorOrder"] is None
    assert second["amazonOrderId"] == fine and second["problem"] is None and second["status"] == "UNSHIPPED"
    assert second["saleorOrder"]["status"] == "unfulfilled" and second["saleorOrder"]["id"]
    assert second["lines"][0]["sellerSku"] == "GQL-1" and second["lines"][0]["quantity"] == 2
    assert second["piiWithheld"] is True and second["shippingAddress"]["country"] == "US"
    # Amazon's grand total as Amazon charged it: 2 × 20.00 and 1.60 of tax.
    assert (second["total"], second["currency"]) == ("41.60", "USD")
    assert body["data"]["amazonOrders"]["totalCount"] == 2

    only_waiting = orders_api.execute(LIST, {"storeId": sid(order_store), "filter": {"problem": ["UNKNOWN_SKU"]}})
    assert [n["amazonOrderId"] for n in nodes(only_waiting)] == [waiting]
    found = orders_api.execute(LIST, {"storeId": sid(order_store), "filter": {"search": "GQL-1"}})
    assert [n["amazonOrderId"] for n in nodes(found)] == [fine]


def test_retry_creates_the_order_once_its_cause_is_fixed(order_store, stocked, place, poll, orders_api):
    order_id = place([item("GQL-LATER")])
    poll()
    row = AmazonOrder.objects.get(amazon_order_id=order_id)
    global_id = ids.to_global_id("AmazonOrder", row.pk)
    stocked("GQL-LATER")

    body = orders_api.execute(RETRY.split("# A shipment confirmation")[0], {"id": global_id})

    result = body["data"]["amazonOrderRetry"]
    assert result["errors"] == [] and result["amazonOrder"]["problem"] is None
    assert result["amazonOrder"]["saleorOrder"]["status"] == "unfulfilled"


def test_a_refused_shipment_is_retried_through_the_api(order_store, stocked, place, poll, orders_api,
                                                       django_capture_on_commit_callbacks):
    stocked("GQL-SHIP")
    order_id = place([item("GQL-SHIP")])
    poll()
    row = AmazonOrder.objects.get(amazon_order_id=order_id)
    shipment = AmazonShipment.objects.create(order=row, fulfillment_id=99, status=ShipmentStatus.REFUSED,
                                             tracking_number="T-99", error_code="InvalidInput",
                                             error_message="Bad tracking number")
    query = RETRY.split("# A shipment confirmation")[1]
    with django_capture_on_commit_callbacks(execute=True):
        body = orders_api.execute("#" + query, {"id": ids.to_global_id("AmazonShipment", shipment.pk)})
    result = body["data"]["amazonShipmentRetry"]
    # Sent again at once (eager Celery): a row with no order items is refused again, with its own reason.
    assert result["errors"] == [] and result["shipment"]["status"] == "PENDING"
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.REFUSED and shipment.error_code == "no_items"

    confirmed = AmazonShipment.objects.create(order=row, fulfillment_id=100, status=ShipmentStatus.CONFIRMED)
    refused = orders_api.execute("#" + query, {"id": ids.to_global_id("AmazonShipment", confirmed.pk)})
    assert refused["data"]["amazonShipmentRetry"]["errors"][0]["code"] == "INVALID"


def test_settings_and_order_sync_need_manage_channels(order_store, stocked, place, poll, channels_api, orders_api):
    place([item("GQL-NONE")])
    poll()
    body = channels_api.execute(SETTINGS.split("mutation")[0], {"storeId": sid(order_store)})
    assert body["data"]["amazonOrderSettings"]["importEnabled"] is True
    sync_state = body["data"]["amazonStore"]["orderSync"]
    assert sync_state["lastSuccessAt"] and sync_state["cursor"] and sync_state["waitingOrders"] == 1

    update = "mutation" + SETTINGS.split("mutation")[1]
    changed = channels_api.execute(update, {"storeId": sid(order_store)})["data"]["amazonOrderSettingsUpdate"]
    assert changed["errors"] == [] and changed["orderSettings"]["reservePending"] is True
    assert OrderSettings.objects.get(store=order_store).order_reference == "EXTERNAL_REFERENCE_AND_NOTE"

    denied = orders_api.execute(update, {"storeId": sid(order_store)})
    assert denied["errors"] and "MANAGE_CHANNELS" in denied["errors"][0]["message"]


def test_orders_and_buyer_data_need_manage_orders(order_store, channels_api, orders_api):
    denied = channels_api.execute(LIST, {"storeId": sid(order_store)})
    assert denied["errors"] and "MANAGE_ORDERS" in denied["errors"][0]["message"]
    assert denied["data"]["amazonOrders"] is None
    assert orders_api.execute(LIST, {"storeId": sid(order_store)})["data"]["amazonOrders"]["totalCount"] == 0


def test_a_page_costs_the_same_queries_whatever_its_size(order_store, stocked, emulator, poll, orders_api,
                                                          fulfill, django_capture_on_commit_callbacks):
    variant = stocked("GQL-MANY", 100)
    for _ in range(15):
        emulator.orders.create("A1SELLERAAAAAA", [item("GQL-MANY"), item("GQL-MANY", price="3.00")],
                               marketplace_id="ATVPDKIKX0DER", status="Unshipped")
    poll()
    for row in AmazonOrder.objects.exclude(saleor_order_id=""):
        with django_capture_on_commit_callbacks(execute=True):
            fulfill(row.saleor_order_id, {variant.pk: 1}, tracking_number="T1", carrier="UPS")

    def queries(first):
        with CaptureQueriesContext(connection) as captured:
            body = orders_api.execute(LIST, {"storeId": sid(order_store), "first": first})
        assert len(nodes(body)) == first
        return len(captured)

    assert queries(2) == queries(15)


READ_NOW = (EXAMPLES / "orders-read-now.graphql").read_text()


def test_read_now_polls_the_store_and_imports_what_amazon_has(order_store, stocked, place, orders_api,
                                                               channels_api, host_orders):
    stocked("READ-1", 3)
    order_id = place([item("READ-1", 1)], created_seconds_ago=300)  # past Amazon's two minutes

    denied = channels_api.execute(READ_NOW, {"storeId": sid(order_store)})
    assert denied["errors"] and host_orders() == []

    body = orders_api.execute(READ_NOW, {"storeId": sid(order_store)})
    payload = body["data"]["amazonOrdersRead"]
    assert payload["errors"] == [] and payload["amazonStore"]["orderSync"]["lastPollAt"]
    assert [order["external_reference"] for order in host_orders()] == [order_id]


def test_read_now_refuses_a_store_that_cannot_be_polled(order_store, orders_api):
    order_store.is_active = False
    order_store.save(update_fields=["is_active"])
    payload = orders_api.execute(READ_NOW, {"storeId": sid(order_store)})["data"]["amazonOrdersRead"]
    assert [error["code"] for error in payload["errors"]] == ["NOT_CONNECTED"]
    unknown = orders_api.execute(READ_NOW, {"storeId": ids.to_global_id("AmazonStore", 999999)})
    assert [error["code"] for error in unknown["data"]["amazonOrdersRead"]["errors"]] == ["NOT_FOUND"]
