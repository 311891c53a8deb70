"""The security tester's probes of issue 9, rerun: each gets a 4xx or a field error and changes nothing."""

import base64
import json

import pytest
from django.test import Client

from saleor_amazon_channel import dashboard
from saleor_amazon_channel.authorizations.models import SellerAuthorization
from saleor_amazon_channel.consent.models import PendingConnection
from saleor_amazon_channel.core.ids import to_global_id
from saleor_amazon_channel.core.urls import plugin_url
from saleor_amazon_channel.stores.models import AmazonStore, AmazonStoreEvent
from tests.amazon_fixtures import SELLER_A, US, query_of
from tests.consent.helpers import callback_url_for, make_store, open_ours, result_of
from tests.fixtures import GraphQLClient
from tests.graphql.stores.test_store_crud import CREATE, UPDATE, store_input

pytestmark = pytest.mark.django_db


def code_of(response):
    return response.json()["errors"][0]["extensions"]["exception"]["code"]


def test_graphql_body_nested_100000_deep_is_400(anonymous_api):
    body = '{"query": "{ __typename }", "variables": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = anonymous_api.post_raw(body)
    assert response.status_code == 400
    assert code_of(response) == "BadRequest"


def test_graphql_variables_nested_deeper_than_the_limit_are_400(anonymous_api):
    variables = '{"x": ' + "[" * 40 + "]" * 40 + "}"
    response = anonymous_api.post_raw('{"query": "{ __typename }", "variables": ' + variables + "}")
    assert response.status_code == 400


def test_register_body_nested_100000_deep_is_400(plugin):
    body = "[" * 100_000 + "]" * 100_000
    response = Client().post(plugin_url("register"), body, content_type="application/json")
    assert response.status_code == 400


def test_register_body_of_3_mb_is_413(plugin):
    body = json.dumps({"auth_token": "x" * 3_000_000})
    response = Client().post(plugin_url("register"), body, content_type="application/json")
    assert response.status_code == 413
    assert code_of(response) == "RequestTooLarge"


def test_graphql_selections_nested_1000_deep_are_400_with_a_code(staff_api):
    query = "query { " + "amazonStores(first: 1) { edges { node { " * 333 + "name" + " } } }" * 333 + " }"
    response = staff_api.post(query)
    assert response.status_code == 400
    assert code_of(response) == "QueryTooDeep"
    assert "Internal" not in response.content.decode()


def test_graphql_argument_lists_nested_1000_deep_are_400(staff_api):
    query = "{ amazonStore(id: " + "[" * 1000 + '"x"' + "]" * 1000 + ") { name } }"
    response = staff_api.post(query)
    assert response.status_code == 400
    assert code_of(response) == "QueryTooDeep"


@pytest.mark.parametrize("mutation", ["create", "update"])
def test_nul_byte_in_store_name_is_a_field_error(staff_api, channel_usd, isbn_attribute, mutation):
    if mutation == "create":
        body = staff_api.execute(CREATE, {"input": store_input(channel_usd, name="Bad\x00Name")})
        result = body["data"]["amazonStoreCreate"]
        assert not AmazonStore.objects.exists()
    else:
        store = make_store(channel_usd, name="Good Name")
        body = staff_api.execute(UPDATE, {"id": to_global_id("AmazonStore", store.pk), "input": {"name": "Bad\x00"}})
        result = body["data"]["amazonStoreUpdate"]
        assert AmazonStore.objects.get().name == "Good Name"
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("name", "INVALID")]


def test_nul_byte_in_attribute_slug_is_a_field_error(staff_api, channel_usd, isbn_attribute):
    identifier = {"type": "ISBN", "source": "ATTRIBUTE", "attribute": "isbn\x00"}
    body = staff_api.execute(CREATE, {"input": store_input(channel_usd, productIdentifier=identifier)})
    result = body["data"]["amazonStoreCreate"]
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("attribute", "INVALID")]
    assert not AmazonStore.objects.exists()


def test_nul_byte_in_search_filter_is_a_typed_error(staff_api):
    body = staff_api.execute('query($s: String) { amazonStores(first: 5, filter: {search: $s}) { totalCount } }',
                             {"s": "store\x00"})
    assert body["data"]["amazonStores"] is None
    assert body["errors"][0]["extensions"]["exception"]["code"] == "INVALID"  # the one text validation


def test_cursor_of_a_negative_offset_is_a_typed_error(staff_api, channel_usd):
    make_store(channel_usd)
    cursor = base64.b64encode(b"arrayconnection:-5").decode()
    body = staff_api.execute('query($c: String) { amazonStores(last: 5, before: $c) { totalCount } }', {"c": cursor})
    assert body["data"]["amazonStores"] is None
    assert body["errors"][0]["extensions"]["exception"]["code"] == "InvalidCursor"


def test_login_with_nul_in_selling_partner_id_is_400(plugin):
    response = Client().get(plugin_url("oauth/login"), {
        "amazon_callback_uri": "https://sellercentral.amazon.com/apps/authorize/confirm/x",
        "amazon_state": "s", "selling_partner_id": "A\x00B"})
    assert response.status_code == 400
    assert not PendingConnection.objects.exists()


def test_callback_with_nul_in_selling_partner_id_does_not_burn_the_state(staff_api, channel_usd, emulator,
                                                                         seller_browser):
    store = make_store(channel_usd, US, name="Amazon US")
    url = callback_url_for(staff_api, store, seller_browser, SELLER_A)
    params = query_of(url)
    bad = url.replace("selling_partner_id=" + params["selling_partner_id"], "selling_partner_id=A%00B")
    assert bad != url
    response = open_ours(seller_browser.client, bad)
    assert response.status_code == 400
    assert not AmazonStoreEvent.objects.filter(store=store, type="connect_failed").exists()
    assert SellerAuthorization.objects.count() == 0
    # The very state still connects: the refused request used nothing up.
    assert result_of(open_ours(seller_browser.client, url)) == {
        "connectResult": "connected",
        "store": to_global_id("AmazonStore", store.pk),
    }


@pytest.mark.parametrize("route", ["oauth/start", "oauth/login", "oauth/callback", "graphql/", "manifest"])
def test_more_than_1000_query_parameters_are_400(plugin, route):
    query = "&".join(f"p{i}=1" for i in range(1001))
    response = Client().get(plugin_url(route) + "?" + query)
    assert response.status_code == 400
    assert code_of(response) == "TooManyParameters"


@pytest.fixture
def bundle(tmp_path, monkeypatch):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><div id=root></div>")
    monkeypatch.setattr(dashboard, "BUNDLE_DIR", tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "path",
    [
        "app/%00",
        "app/assets/x%00.js",
        "app/" + "a" * 5000,
        "app/assets/" + "b" * 300 + ".js",
        "app/" + "c/" * 200 + "d",
    ],
)
def test_bad_app_paths_are_404(plugin, bundle, path):
    assert Client().get(plugin_url(path)).status_code == 404


def test_schema_version_of_5000_digits_is_handled(plugin):
    response = Client().get(plugin_url("manifest"), HTTP_SALEOR_SCHEMA_VERSION="9" * 5000)
    assert response.status_code == 200
    assert [e["mount"] for e in response.json()["extensions"]] == ["NAVIGATION_CATALOG"]
    response = Client().get(plugin_url("manifest"), HTTP_SALEOR_SCHEMA_VERSION="3." + "2" * 5000)
    assert response.status_code == 200


def test_nul_in_any_query_parameter_is_400(plugin):
    for route in ("oauth/start", "manifest", "app/"):
        assert Client().get(plugin_url(route), {"x": "\x00"}).status_code == 400


def test_anonymous_625_aliased_schemas_are_refused_quickly(plugin):
    query = "{ " + " ".join(f"a{i}: __schema {{ types {{ name }} }}" for i in range(625)) + " }"
    response = GraphQLClient().post(query)
    assert response.status_code == 400
    assert len(response.content) < 1000


@pytest.mark.parametrize(
    "partner", ["A" * 65, "A1 SELLER", "A1SELLER<script>", "A1SELLER%0A"],
)
def test_callback_with_a_malformed_selling_partner_id_does_not_burn_the_state(staff_api, channel_usd, emulator,
                                                                              seller_browser, partner):
    store = make_store(channel_usd, US, name="Amazon US")
    url = callback_url_for(staff_api, store, seller_browser, SELLER_A)
    params = query_of(url)
    bad = url.replace("selling_partner_id=" + params["selling_partner_id"], "selling_partner_id=" + partner)
    assert bad != url
    response = open_ours(seller_browser.client, bad)
    assert response.status_code == 400
    assert not AmazonStoreEvent.objects.filter(store=store, type="connect_failed").exists()
    assert result_of(open_ours(seller_browser.client, url))["connectResult"] == "connected"


def test_callback_with_an_overlong_code_does_not_burn_the_state(staff_api, channel_usd, emulator, seller_browser):
    store = make_store(channel_usd, US, name="Amazon US")
    url = callback_url_for(staff_api, store, seller_browser, SELLER_A)
    params = query_of(url)
    bad = url.replace("spapi_oauth_code=" + params["spapi_oauth_code"], "spapi_oauth_code=" + "c" * 3000)
    assert open_ours(seller_browser.client, bad).status_code == 400
    assert result_of(open_ours(seller_browser.client, url))["connectResult"] == "connected"
