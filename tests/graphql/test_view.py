"""The GraphQL endpoint over HTTP: authentication, permissions, malformed requests."""

import json

import pytest
from django.test import Client

from saleor_amazon_channel.stores.models import AmazonStore
from tests.fixtures import GRAPHQL_PATH, GraphQLClient

pytestmark = pytest.mark.django_db

STORES = "{ amazonStores(first: 10) { totalCount edges { node { name } } } }"


def test_staff_token_reads(staff_api):
    assert staff_api.execute(STORES)["data"]["amazonStores"]["totalCount"] == 0


def test_app_token_with_permission_reads(plugin, make_app, auth_header):
    _, token = make_app(permissions=("MANAGE_CHANNELS",))
    assert GraphQLClient(auth_header(app_token=token)).execute(STORES)["data"]["amazonStores"]["totalCount"] == 0


def test_dashboard_extension_token_uses_app_and_user_permissions(plugin, make_staff, auth_header):
    user = make_staff(permissions=("MANAGE_CHANNELS", "MANAGE_ORDERS"))
    allowed = GraphQLClient(auth_header(user=user, token_type="thirdparty", permissions=["MANAGE_CHANNELS"]))
    assert "errors" not in allowed.execute(STORES)
    denied = GraphQLClient(auth_header(user=user, token_type="thirdparty", permissions=["MANAGE_ORDERS"]))
    assert denied.execute(STORES)["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_AUTHORIZATION": "Bearer not.a.jwt"},
        {"HTTP_AUTHORIZATION": "Bearer unknown-app-token-0123456789"},
        {"HTTP_AUTHORIZATION": "JWT eyJhbGciOiJIUzI1NiJ9.eyJ0eXBlIjoiYWNjZXNzIn0.forged"},
    ],
)
def test_unrecognised_token_reads_nothing(plugin, headers):
    """A token no one issued. Saleor treats it as no token, as on its own /graphql/
    (the anonymous permission error); the stand-in answers 401. Never data."""
    response = GraphQLClient(headers).post(STORES)
    body = response.json()
    code = body["errors"][0]["extensions"]["exception"]["code"]
    if response.status_code == 401:
        assert code == "InvalidTokenError" and "data" not in body
    else:
        assert response.status_code == 200
        assert code == "PermissionDenied" and body["data"] == {"amazonStores": None}


def test_token_with_a_bad_signature_is_401(plugin, staff_user, auth_header):
    prefix, token = auth_header(user=staff_user)["HTTP_AUTHORIZATION"].split()
    header, payload, signature = token.split(".")
    forged = ".".join([header, payload, "A" * len(signature)])
    response = GraphQLClient({"HTTP_AUTHORIZATION": f"{prefix} {forged}"}).post(STORES)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["exception"]["code"] == "InvalidTokenError"


def test_token_of_a_logged_out_user_is_401(plugin, staff_user, auth_header):
    headers = auth_header(user=staff_user)
    staff_user.jwt_token_key = "logged-out"  # what "log out everywhere" does
    staff_user.save(update_fields=["jwt_token_key"])
    assert GraphQLClient(headers).post(STORES).status_code == 401


def test_expired_token_is_401(plugin, staff_user, auth_header):
    response = GraphQLClient(auth_header(user=staff_user, expired=True)).post(STORES)
    assert response.status_code == 401


def test_anonymous_gets_permission_error(anonymous_api):
    body = anonymous_api.execute(STORES)
    assert body["data"] == {"amazonStores": None}
    assert (
        body["errors"][0]["message"]
        == "To access this path, you need one of the following permissions: MANAGE_CHANNELS"
    )


@pytest.mark.parametrize(
    "query",
    [
        STORES,
        '{ amazonStore(id: "QW1hem9uU3RvcmU6MQ==") { name } }',
        "{ amazonMarketplaces { id } }",
        "{ amazonChannelSetup { isConfigured } }",
    ],
)
def test_every_read_needs_manage_channels(staff_api_without_permission, query):
    body = staff_api_without_permission.execute(query)
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        ("[1, 2]", "application/json", 400),
        (json.dumps({"query": 5}), "application/json", 400),
        (json.dumps({"query": "{ amazonMarketplaces { id } }", "variables": [1]}), "application/json", 400),
        (json.dumps({"query": "{ amazonMarketplaces { id } }"}), "text/plain", 400),
        ("\xff\xfe", "application/json", 400),
        (json.dumps({"query": "{ amazonStores(first: 1) { nope } }"}), "application/json", 400),
        (json.dumps({"query": "query {"}), "application/json", 400),
    ],
)
def test_malformed_requests_are_400(staff_api, body, content_type, status):
    response = staff_api.post_raw(body, content_type=content_type)
    assert response.status_code == status
    assert response.json()["errors"][0]["message"]


def test_huge_body_is_413(staff_api):
    body = json.dumps({"query": "{ amazonMarketplaces { id } }", "variables": {"x": "a" * 400_000}})
    assert staff_api.post_raw(body).status_code == 413


def test_get_is_405(plugin):
    response = Client().get(GRAPHQL_PATH)
    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"


def test_inactive_plugin_is_404(configure_plugin, staff_user, auth_header):
    configure_plugin(active=False)
    assert GraphQLClient(auth_header(user=staff_user)).post(STORES).status_code == 404


def test_page_size_is_bounded(staff_api):
    body = staff_api.execute("{ amazonStores(first: 101) { totalCount } }")
    assert "between 0 and 100" in body["errors"][0]["message"]
    body = staff_api.execute("{ amazonStores { totalCount } }")
    assert "first" in body["errors"][0]["message"]


def test_setup_query_lists_urls_and_missing_configuration(configure_plugin, staff_user, auth_header):
    configure_plugin(active=True, application_id="", lwa_client_id="", lwa_client_secret="")
    body = GraphQLClient(auth_header(user=staff_user)).execute(
        "{ amazonChannelSetup { isConfigured missingConfiguration redirectUri loginUri draftApp } }"
    )
    setup = body["data"]["amazonChannelSetup"]
    assert setup["isConfigured"] is False
    assert setup["missingConfiguration"] == ["applicationId", "lwaClientId", "lwaClientSecret"]
    assert setup["redirectUri"].endswith("/plugins/global/saleor_amazon_channel/oauth/callback")
    assert setup["loginUri"].endswith("/plugins/global/saleor_amazon_channel/oauth/login")


def test_no_secret_in_any_response(staff_api):
    from tests.fixtures import CLIENT_SECRET

    body = staff_api.post("{ amazonChannelSetup { isConfigured redirectUri } amazonMarketplaces { id } }").content
    assert CLIENT_SECRET.encode() not in body
    assert not AmazonStore.objects.exists()
