"""Orders API (searchOrders, getOrder v2026-01-01; confirmShipment v0) and its scenario controls, over HTTP."""

from datetime import UTC, datetime

import pytest
import requests
from emulator_helpers import PLAIN_APP, SELLER_ID, Browser, connect, refresh

from amazon_emulator import Emulator

SEARCH = "/orders/2026-01-01/orders"
US, CA = "ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"
ITEMS = [
    {"seller_sku": "SKU-A", "asin": "B0TESTAAAA", "quantity": 2, "unit_price": "19.99", "shipping_price": "5.00",
     "item_tax": "3.20", "shipping_tax": "0.40", "promotion_discount": "1.50", "promotion_ids": ["PROMO-1"]},
    {"seller_sku": "SKU-B", "quantity": 1, "unit_price": "7.50"},
]


def iso(seconds):
    return datetime.fromtimestamp(int(seconds), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def emu():
    """An emulator without throttling (the usage plans have their own tests), the demo sellers, one app."""
    with Emulator(rate_limit=False) as emulator:
        emulator.seed_demo()
        emulator.register_app(**PLAIN_APP)
        emulator.state.order_book.orders.clear()  # the demo orders are tested on their own
        yield emulator


def tokens_of(emu):
    with Browser(emu.url) as browser:
        return connect(browser)


def token_of(emu):
    return tokens_of(emu)["access_token"]


def search(emu, token, **params):
    params.setdefault("lastUpdatedAfter", iso(emu.state.now() - 86400))
    return requests.get(emu.url + SEARCH, params=params, headers={"x-amz-access-token": token}, timeout=5)


def get_order(emu, token, order_id, **params):
    return requests.get(f"{emu.url}{SEARCH}/{order_id}", params=params, headers={"x-amz-access-token": token},
                        timeout=5)


def confirm(emu, token, order_id, body):
    return requests.post(f"{emu.url}/orders/v0/orders/{order_id}/shipmentConfirmation", json=body,
                         headers={"x-amz-access-token": token}, timeout=5)


def control(emu, path, body=None, method="post"):
    return getattr(requests, method)(f"{emu.url}/_emulator/{path}", json=body, timeout=5)


def place(emu, **kwargs):
    kwargs.setdefault("items", ITEMS)
    kwargs.setdefault("status", "Unshipped")
    kwargs.setdefault("created_seconds_ago", 600)
    response = control(emu, "orders", {"selling_partner_id": SELLER_ID, **kwargs})
    assert response.status_code == 201, response.text
    return response.json()["order"]["orderId"]


def package(order_id_items, reference="1", **overrides):
    detail = {"packageReferenceId": reference, "carrierCode": "UPS", "trackingNumber": "1Z999AA10123456784",
              "shipDate": "2026-01-02T10:00:00Z", "orderItems": order_id_items, **overrides}
    return {"marketplaceId": US, "packageDetail": detail}


# -- searchOrders ----------------------------------------------------------------------


def test_search_orders_answers_in_the_models_schema(emu):
    token = token_of(emu)
    order_id = place(emu)
    included = "BUYER,RECIPIENT,PROCEEDS,PROMOTION,CANCELLATION,FULFILLMENT,PACKAGES,TAX"
    response = search(emu, token, includedData=included)
    assert response.status_code == 200, response.text
    assert response.headers["x-amzn-RequestId"]
    body = response.json()
    assert set(body) == {"orders", "lastUpdatedBefore"}
    assert body["lastUpdatedBefore"] == iso(emu.state.now() - 120)
    (order,) = body["orders"]
    assert order["orderId"] == order_id
    assert order["salesChannel"] == {"channelName": "AMAZON", "marketplaceId": US, "marketplaceName": "Amazon.com"}
    assert order["fulfillment"]["fulfillmentStatus"] == "UNSHIPPED"
    assert order["fulfillment"]["fulfilledBy"] == "MERCHANT"
    first, second = order["orderItems"]
    assert first["orderItemId"].isdigit() and first["quantityOrdered"] == 2
    assert first["product"]["sellerSku"] == "SKU-A" and first["product"]["asin"] == "B0TESTAAAA"
    assert first["product"]["price"] == {"unitPrice": {"amount": "19.99", "currencyCode": "USD"}}
    assert first["fulfillment"] == {"quantityFulfilled": 0, "quantityUnfulfilled": 2}
    assert first["promotion"] == {"breakdowns": [{"promotionId": "PROMO-1"}]}
    kinds = {b["type"]: b["subtotal"]["amount"] for b in first["proceeds"]["breakdowns"]}
    assert kinds == {"ITEM": "39.98", "SHIPPING": "5.00", "TAX": "3.60", "DISCOUNT": "-1.50"}
    assert first["proceeds"]["proceedsTotal"] == {"amount": "47.08", "currencyCode": "USD"}
    assert order["proceeds"]["grandTotal"] == {"amount": "54.58", "currencyCode": "USD"}
    assert second["product"]["asin"].startswith("B0") and len(second["product"]["asin"]) == 10
    assert order["packages"] == []
    # Without includedData: the base order only.
    (bare,) = search(emu, token).json()["orders"]
    assert set(bare) == {"orderId", "createdTime", "lastUpdatedTime", "programs", "salesChannel", "orderItems"}
    assert set(bare["orderItems"][0]) == {"orderItemId", "quantityOrdered", "product"}


def test_the_two_minute_rule_runs_on_the_emulator_clock(emu):
    token = token_of(emu)
    order_id = place(emu, created_seconds_ago=0)
    now = emu.state.now()
    assert search(emu, token).json()["orders"] == []  # updated less than two minutes ago
    for name, after in (("lastUpdatedBefore", "lastUpdatedAfter"), ("createdBefore", "createdAfter")):
        response = search(emu, token, **{"lastUpdatedAfter": None, after: iso(now - 3600), name: iso(now - 60)})
        assert response.status_code == 400, name
        error = response.json()["errors"][0]
        assert error["code"] == "InvalidInput" and "two minutes" in error["details"]
    emu.advance_clock(121)
    body = search(emu, token).json()
    assert [o["orderId"] for o in body["orders"]] == [order_id]
    now = emu.state.now()
    created = search(emu, token, lastUpdatedAfter=None, createdAfter=iso(now - 3600), createdBefore=iso(now - 120))
    assert created.status_code == 200 and created.json()["createdBefore"] == iso(now - 120)


def test_search_parameters_are_checked(emu):
    token = token_of(emu)
    now = emu.state.now()
    cases = [
        {"lastUpdatedAfter": None},  # neither createdAfter nor lastUpdatedAfter
        {"createdAfter": iso(now - 3600)},  # both
        {"lastUpdatedAfter": None, "createdAfter": iso(now - 3600), "lastUpdatedBefore": iso(now - 600)},
        {"createdBefore": iso(now - 600)},
        {"lastUpdatedAfter": "yesterday"},
        {"lastUpdatedAfter": iso(now - 600), "lastUpdatedBefore": iso(now - 3600)},  # before < after
        {"fulfillmentStatuses": "Unshipped"},  # v0 spelling
        {"fulfilledBy": "AFN"},
        {"marketplaceIds": "NOTAMARKETPLACE"},
        {"includedData": "EVERYTHING"},
        {"maxResultsPerPage": "101"},
        {"maxResultsPerPage": "0"},
        {"paginationToken": "garbage"},
    ]
    for params in cases:
        response = search(emu, token, **params)
        assert response.status_code == 400, params
        assert response.json()["errors"][0]["code"] == "InvalidInput", params
    assert search(emu, "Atza|forged").status_code == 403


def test_filters(emu):
    token = token_of(emu)
    unshipped = place(emu)
    pending = place(emu, status="Pending")
    afn = place(emu, fulfillment_channel="AFN", status="Shipped")
    canadian = place(emu, marketplace_id=CA)

    def ids(**params):
        response = search(emu, token, **params)
        assert response.status_code == 200, response.text
        return {o["orderId"] for o in response.json()["orders"]}

    assert ids() == {unshipped, pending, afn, canadian}
    assert ids(fulfillmentStatuses="UNSHIPPED") == {unshipped, canadian}
    assert ids(fulfillmentStatuses="PENDING,SHIPPED") == {pending, afn}
    assert ids(fulfilledBy="AMAZON") == {afn}
    assert ids(fulfilledBy="MERCHANT", marketplaceIds=US) == {unshipped, pending}
    now = emu.state.now()
    assert ids(lastUpdatedAfter=iso(now - 300)) == set()
    assert ids(lastUpdatedAfter=None, createdAfter=iso(now - 601)) == {unshipped, pending, afn, canadian}


def test_pagination_tokens(emu):
    token = token_of(emu)
    placed = [place(emu, created_seconds_ago=1000 - n) for n in range(5)]  # oldest first
    seen, params, pages = [], {"maxResultsPerPage": "2", "lastUpdatedAfter": iso(emu.state.now() - 3600)}, 0
    while True:
        body = search(emu, token, **params).json()
        pages += 1
        seen += [o["orderId"] for o in body["orders"]]
        if "pagination" not in body:
            break
        params["paginationToken"] = body["pagination"]["nextToken"]
    assert seen == placed and pages == 3
    first = search(emu, token, maxResultsPerPage="2", lastUpdatedAfter=params["lastUpdatedAfter"]).json()
    next_token = first["pagination"]["nextToken"]
    # The other parameters must stay the same.
    changed = search(emu, token, maxResultsPerPage="3", lastUpdatedAfter=params["lastUpdatedAfter"],
                     paginationToken=next_token)
    assert changed.status_code == 400
    # A token expires after 24 hours.
    tokens = tokens_of(emu)
    emu.advance_clock(24 * 3600 + 1)
    fresh = refresh(emu.url, PLAIN_APP, tokens["refresh_token"]).json()["access_token"]
    expired = search(emu, fresh, maxResultsPerPage="2", lastUpdatedAfter=params["lastUpdatedAfter"],
                     paginationToken=next_token)
    assert expired.status_code == 400 and "expired" in expired.json()["errors"][0]["details"]


def test_a_page_served_twice_on_demand(emu):
    token = token_of(emu)
    placed = [place(emu, created_seconds_ago=1000 - n) for n in range(3)]
    assert control(emu, "orders/repeat-page", {"selling_partner_id": SELLER_ID}).status_code == 200
    after = iso(emu.state.now() - 3600)
    first = search(emu, token, maxResultsPerPage="2", lastUpdatedAfter=after).json()
    again = search(emu, token, maxResultsPerPage="2", lastUpdatedAfter=after,
                   paginationToken=first["pagination"]["nextToken"]).json()
    assert [o["orderId"] for o in again["orders"]] == [o["orderId"] for o in first["orders"]] == placed[:2]
    last = search(emu, token, maxResultsPerPage="2", lastUpdatedAfter=after,
                  paginationToken=again["pagination"]["nextToken"]).json()
    assert [o["orderId"] for o in last["orders"]] == placed[2:] and "pagination" not in last


def test_pii_is_withheld_without_the_roles(emu):
    token = token_of(emu)
    order_id = place(emu)
    (withheld,) = search(emu, token, includedData="BUYER,RECIPIENT").json()["orders"]
    assert "buyer" not in withheld
    assert set(withheld["recipient"]["deliveryAddress"]) == {"city", "stateOrRegion", "postalCode", "countryCode"}
    response = control(emu, "orders/pii-roles", {"selling_partner_id": SELLER_ID,
                                                 "application_id": PLAIN_APP["application_id"], "enabled": True})
    assert response.status_code == 200
    order = get_order(emu, token, order_id, includedData="BUYER,RECIPIENT").json()["order"]
    assert order["buyer"]["buyerName"] and order["buyer"]["buyerEmail"].endswith("@marketplace.amazon.com")
    address = order["recipient"]["deliveryAddress"]
    assert address["name"] == order["buyer"]["buyerName"] and address["addressLine1"] and address["phone"]
    control(emu, "orders/pii-roles", {"selling_partner_id": SELLER_ID, "enabled": False,
                                      "application_id": PLAIN_APP["application_id"]})
    assert "buyer" not in get_order(emu, token, order_id, includedData="BUYER").json()["order"]


# -- getOrder ----------------------------------------------------------------------------


def test_get_order(emu):
    token = token_of(emu)
    order_id = place(emu)
    pending_id = place(emu, status="Pending")
    response = get_order(emu, token, order_id, includedData="FULFILLMENT,PROCEEDS")
    assert response.status_code == 200
    order = response.json()["order"]
    assert order["orderId"] == order_id and order["fulfillment"]["fulfillmentStatus"] == "UNSHIPPED"
    # While Pending, Amazon gives no pricing.
    pending = get_order(emu, token, pending_id, includedData="PROCEEDS").json()["order"]
    assert "proceeds" not in pending and "price" not in pending["orderItems"][0]["product"]
    missing = get_order(emu, token, "113-0000000-0000000")
    assert missing.status_code == 404 and missing.json()["errors"][0]["code"] == "NotFound"
    assert get_order(emu, token, order_id, includedData="NOPE").status_code == 400
    # Another seller's order is not found either.
    other = emu.orders.create("A3DEMOSELLEREU", [{"seller_sku": "X", "quantity": 1}])["order"]["orderId"]
    assert get_order(emu, token, other).status_code == 404


# -- confirmShipment -----------------------------------------------------------------------


def test_confirm_shipment_ships_partially_then_fully(emu):
    token = token_of(emu)
    order_id = place(emu)
    items = {i["product"]["sellerSku"]: i["orderItemId"] for i in emu.orders.read(order_id)["order"]["orderItems"]}
    emu.advance_clock(60)
    first = confirm(emu, token, order_id, package([{"orderItemId": items["SKU-A"], "quantity": 1}]))
    assert first.status_code == 204, first.text
    read = control(emu, f"orders/{order_id}", method="get").json()
    assert read["fulfillmentStatus"] == "PARTIALLY_SHIPPED"
    assert read["order"]["lastUpdatedTime"] == iso(emu.state.now())
    assert read["shipmentConfirmations"][0]["packageDetail"]["trackingNumber"] == "1Z999AA10123456784"
    second = confirm(emu, token, order_id, package(
        [{"orderItemId": items["SKU-A"], "quantity": 1}, {"orderItemId": items["SKU-B"], "quantity": 1}],
        reference="2", carrierCode="Other", carrierName="Local Courier"))
    assert second.status_code == 204, second.text
    order = emu.orders.read(order_id)["order"]
    assert order["fulfillment"]["fulfillmentStatus"] == "SHIPPED"
    assert [p["carrier"] for p in order["packages"]] == ["UPS", "Local Courier"]
    assert order["orderItems"][0]["fulfillment"] == {"quantityFulfilled": 2, "quantityUnfulfilled": 0}


def test_confirm_shipment_validation(emu):
    token = token_of(emu)
    order_id = place(emu)
    pending_id = place(emu, status="Pending")
    afn_id = place(emu, fulfillment_channel="AFN")
    item = emu.orders.read(order_id)["order"]["orderItems"][0]["orderItemId"]
    good = [{"orderItemId": item, "quantity": 1}]
    cases = [
        (order_id, package([{"orderItemId": "99999999999999", "quantity": 1}]), "invalid"),
        (order_id, package([{"orderItemId": item, "quantity": 3}]), "unshipped"),
        (order_id, package([{"orderItemId": item, "quantity": 2}, {"orderItemId": item, "quantity": 1}]), "unshipped"),
        (order_id, package([{"orderItemId": item, "quantity": 0}]), "positive"),
        (order_id, package(good, carrierCode="Speedy Gonzales"), "carrier"),
        (order_id, package(good, carrierCode="Other"), "carrierName"),
        (order_id, package(good, reference="PKG-1"), "numeric"),
        (order_id, package(good, shipDate="02/21/2022"), "shipDate"),
        (order_id, package(good, trackingNumber=""), "trackingNumber"),
        (order_id, {**package(good), "marketplaceId": CA}, "marketplace"),
        (order_id, {"packageDetail": package(good)["packageDetail"]}, "marketplaceId"),
        (pending_id, package(good), "PENDING"),
        (afn_id, package(good), "fulfilled by Amazon"),
    ]
    for target, body, words in cases:
        response = confirm(emu, token, target, body)
        assert response.status_code == 400, (body, response.text)
        error = response.json()["errors"][0]
        assert error["code"] == "InvalidInput" and words in error["details"], (words, error)
    assert emu.orders.read(order_id)["fulfillmentStatus"] == "UNSHIPPED"  # nothing was applied
    assert confirm(emu, token, "113-0000000-0000000", package(good)).status_code == 404
    assert confirm(emu, token, order_id, package(good)).status_code == 204
    again = confirm(emu, token, order_id, package(good))  # the same package twice
    assert again.status_code == 400 and "already confirmed" in again.json()["errors"][0]["details"]


# -- usage plans and faults ------------------------------------------------------------------


@pytest.mark.parametrize("operation, rate, burst", [
    ("searchOrders", "0.0056", 20), ("getOrder", "0.5", 30), ("confirmShipment", "2.0", 10),
])
def test_usage_plans(operation, rate, burst):
    with Emulator() as emu:
        emu.seed_demo()
        emu.register_app(**PLAIN_APP)
        token = token_of(emu)
        order_id = "111-0000001-0000001"  # a demo order, two units of its first item
        item = emu.orders.read(order_id)["order"]["orderItems"][0]["orderItemId"]
        emu.orders.set_status("111-0000001-0000002", "Unshipped")

        def call(n):
            if operation == "searchOrders":
                return search(emu, token)
            if operation == "getOrder":
                return get_order(emu, token, order_id)
            # Invalid on purpose (quantity too high): validation comes after the usage plan.
            return confirm(emu, token, order_id, package([{"orderItemId": item, "quantity": 5}], reference=str(n + 1)))

        statuses = [call(n) for n in range(burst)]
        assert all(r.status_code in (200, 400) for r in statuses), [r.text for r in statuses]
        assert {r.headers["x-amzn-RateLimit-Limit"] for r in statuses} == {rate}
        refused = call(burst)
        assert refused.status_code == 429 and refused.json()["errors"][0]["code"] == "QuotaExceeded"
        assert "x-amzn-RateLimit-Limit" not in refused.headers
        counters = control(emu, "orders/calls", method="get").json()
        assert counters["calls"][operation] == burst + 1 and counters["throttled"][operation] == 1
        assert counters["calls_by_seller"][SELLER_ID][operation] == burst + 1
        assert counters["usage_plans"][operation] == {"rate": float(rate), "burst": burst}
        emu.advance_clock(1 / float(rate) + 1)  # one token back
        assert call(burst + 1).status_code in (200, 400)
        # A raised plan (Amazon does that for some sellers) starts full.
        raised = control(emu, "orders/usage-plans", {"operation": operation, "rate": 10, "burst": 50})
        assert raised.status_code == 200
        assert all(call(burst + 2 + n).status_code in (200, 400) for n in range(40))


def test_faults_per_operation_and_for_every_sp_api_call(emu):
    token = token_of(emu)
    order_id = place(emu)
    response = control(emu, "orders/faults", {"operation": "getOrder", "status": 503, "count": 2})
    assert response.status_code == 201
    assert search(emu, token).status_code == 200  # another operation is not affected
    assert [get_order(emu, token, order_id).status_code for _ in range(3)] == [503, 503, 200]
    control(emu, "orders/faults", {"operation": "searchOrders", "status": 429})
    throttled = search(emu, token)
    assert throttled.status_code == 429 and throttled.json()["errors"][0]["code"] == "QuotaExceeded"
    emu.inject_fault("sp-api", status=500)
    assert search(emu, token).status_code == 500
    assert control(emu, "orders/faults", {"operation": "listOrders"}).status_code == 400
    assert control(emu, "orders/calls", method="get").json()["calls"] == {
        "searchOrders": 3, "getOrder": 3, "confirmShipment": 0}


def test_expired_access_tokens_are_refused(emu):
    tokens = tokens_of(emu)
    place(emu)
    assert search(emu, tokens["access_token"]).status_code == 200
    assert control(emu, "tokens/expire", {"selling_partner_id": SELLER_ID}).json() == {"expired": 1}
    refused = search(emu, tokens["access_token"])
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "Unauthorized"
    fresh = refresh(emu.url, PLAIN_APP, tokens["refresh_token"]).json()["access_token"]
    assert search(emu, fresh).status_code == 200


# -- scenario controls -----------------------------------------------------------------------


def test_orders_move_through_statuses(emu):
    token = token_of(emu)
    order_id = place(emu, status="Pending")
    before = emu.orders.read(order_id)["order"]["lastUpdatedTime"]
    emu.advance_clock(300)
    moved = control(emu, f"orders/{order_id}/status", {"status": "Unshipped"})
    assert moved.status_code == 200 and moved.json()["fulfillmentStatus"] == "UNSHIPPED"
    assert moved.json()["order"]["lastUpdatedTime"] > before
    items = moved.json()["order"]["orderItems"]
    partial = control(emu, f"orders/{order_id}/status", {
        "status": "PartiallyShipped", "items": [{"orderItemId": items[0]["orderItemId"], "quantity": 1}]})
    assert partial.json()["fulfillmentStatus"] == "PARTIALLY_SHIPPED"
    assert control(emu, f"orders/{order_id}/status", {"status": "Canceled"}).status_code == 400
    assert control(emu, f"orders/{order_id}/status", {"status": "Shipped"}).json()["fulfillmentStatus"] == "SHIPPED"
    assert control(emu, f"orders/{order_id}/status", {"status": "Unshipped"}).status_code == 400
    assert control(emu, "orders/113-0000000-0000000/status", {"status": "Shipped"}).status_code == 404

    cancelled_id = place(emu)
    requested = control(emu, f"orders/{cancelled_id}/cancellation-request", {"reason": "Ordered by mistake"})
    assert requested.status_code == 200
    emu.advance_clock(121)
    (order,) = search(emu, token, fulfillmentStatuses="UNSHIPPED", includedData="CANCELLATION").json()["orders"]
    assert order["orderItems"][0]["cancellation"] == {
        "cancellationRequest": {"requester": "BUYER", "cancelReason": "Ordered by mistake"}}
    control(emu, f"orders/{cancelled_id}/status", {"status": "Canceled", "cancelled_by": "BUYER",
                                                   "reason": "Ordered by mistake"})
    order = get_order(emu, token, cancelled_id, includedData="CANCELLATION,FULFILLMENT").json()["order"]
    assert order["fulfillment"]["fulfillmentStatus"] == "CANCELLED"
    assert order["orderItems"][0]["cancellation"]["cancellationExecution"] == {
        "cancelledBy": "BUYER", "cancelReason": "Ordered by mistake"}


def test_a_late_update_lands_in_an_already_read_window(emu):
    token = token_of(emu)
    order_id = place(emu, status="Pending", created_seconds_ago=3600)
    window = {"lastUpdatedAfter": iso(emu.state.now() - 3000), "lastUpdatedBefore": iso(emu.state.now() - 1800)}
    assert search(emu, token, **window).json()["orders"] == []
    emu.orders.set_status(order_id, "Unshipped")
    late = control(emu, f"orders/{order_id}/last-updated", {"seconds_ago": 2400})
    assert late.status_code == 200
    assert [o["orderId"] for o in search(emu, token, **window).json()["orders"]] == [order_id]
    assert control(emu, f"orders/{order_id}/last-updated", {"seconds_ago": 7200}).status_code == 400


def test_create_order_checks_its_arguments(emu):
    bad = [
        {"selling_partner_id": "NOBODY", "items": ITEMS},
        {"selling_partner_id": SELLER_ID, "items": []},
        {"selling_partner_id": SELLER_ID, "items": [{"quantity": 1}]},
        {"selling_partner_id": SELLER_ID, "items": [{"seller_sku": "A", "quantity": 0}]},
        {"selling_partner_id": SELLER_ID, "items": [{"seller_sku": "A", "unit_price": "-1"}]},
        {"selling_partner_id": SELLER_ID, "items": ITEMS, "marketplace_id": "A1PA6795UKMFR9"},
        {"selling_partner_id": SELLER_ID, "items": ITEMS, "fulfillment_channel": "DROPSHIP"},
        {"selling_partner_id": SELLER_ID, "items": ITEMS, "status": "Shipped-ish"},
        {"selling_partner_id": SELLER_ID, "items": ITEMS, "surprise": True},
    ]
    for body in bad:
        assert control(emu, "orders", body).status_code == 400, body
    listed = control(emu, f"orders?selling_partner_id={SELLER_ID}", method="get").json()
    assert listed["orders"] == []
    one = {"selling_partner_id": SELLER_ID, "items": ITEMS}
    assert control(emu, "orders/bulk", {"orders": [one, {**one, "status": "Nope"}]}).status_code == 400
    assert emu.orders.summary()["orders"] == []  # all or none
    placed = control(emu, "orders/bulk", {"orders": [one] * 3})
    assert placed.status_code == 201 and len(set(placed.json()["orderIds"])) == 3


def test_demo_orders():
    with Emulator() as emu:
        emu.seed_demo()
        emu.seed_demo()  # twice: still three orders
        orders = emu.orders.summary("A2DEMOSELLER01")["orders"]
        assert [(o["orderId"], o["fulfillmentStatus"], o["fulfilledBy"]) for o in orders] == [
            ("111-0000001-0000001", "UNSHIPPED", "MERCHANT"), ("111-0000001-0000002", "PENDING", "MERCHANT"),
            ("111-0000001-0000003", "SHIPPED", "AMAZON")]
        # On the demo seller's offers: their SKUs, ASINs and prices.
        offers = {o["sku"]: o for o in requests.get(
            f"{emu.url}/_emulator/offers?selling_partner_id={SELLER_ID}", timeout=5).json()["offers"]}
        for line in emu.orders.read("111-0000001-0000001")["order"]["orderItems"]:
            offer = offers[line["product"]["sellerSku"]]
            assert line["product"]["asin"] == offer["asin"]
            assert line["product"]["price"]["unitPrice"] == {"amount": offer["price"], "currencyCode": "USD"}
