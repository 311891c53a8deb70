"""The plugin's GraphQL endpoint reached through Saleor's own URL routing, with tokens Saleor issues."""

import io

import pytest
import saleor
from django.core.management import call_command
from django.urls import resolve
from saleor.app.models import App
from saleor.core.jwt import create_access_token
from saleor.graphql.tests.fixtures import ApiClient
from saleor.graphql.tests.utils import get_graphql_content
from saleor.plugins.views import handle_global_plugin_webhook

from saleor_amazon_channel.dashboard import APP_IDENTIFIER
from tests.fixtures import GRAPHQL_PATH, GraphQLClient

pytestmark = pytest.mark.django_db

STORES = "{ amazonStores(first: 10) { totalCount } }"
DENIED = "To access this path, you need one of the following permissions: MANAGE_CHANNELS"

# Saleor 3.21's AppExtension has the enums ``mount``/``target``; 3.22 added the names (mountName, targetName) the
# Dashboard reads since. Aliased to one shape.
_NAMES = "mountName: mount targetName: target" if saleor.schema_version == "3.21" else "mountName targetName"
SALEOR_APPS = """
{ apps(first: 10) { edges { node { identifier type accessToken
    extensions { label NAMES url accessToken permissions { code } } } } } }
""".replace("NAMES", _NAMES)


def jwt_client(token) -> GraphQLClient:
    return GraphQLClient({"HTTP_AUTHORIZATION": f"JWT {token}"})


def reads(client) -> bool:
    body = client.execute(STORES)
    if "errors" in body:
        assert body["errors"][0]["message"] == DENIED
        assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
        return False
    assert body["data"]["amazonStores"]["totalCount"] == 0
    return True


def test_the_route_is_saleors_global_plugin_webhook(plugin):
    assert resolve(GRAPHQL_PATH).func is handle_global_plugin_webhook


def test_staff_access_token_with_and_without_manage_channels(plugin, make_staff):
    assert reads(jwt_client(create_access_token(make_staff(permissions=("MANAGE_CHANNELS",)))))
    assert not reads(jwt_client(create_access_token(make_staff(permissions=("MANAGE_ORDERS", "MANAGE_APPS")))))


def test_app_token_with_and_without_manage_channels(plugin, make_app):
    _, allowed = make_app(permissions=("MANAGE_CHANNELS",))
    _, denied = make_app(permissions=("MANAGE_PRODUCTS",))
    assert reads(GraphQLClient({"HTTP_AUTHORIZATION": f"Bearer {allowed}"}))
    assert not reads(GraphQLClient({"HTTP_AUTHORIZATION": f"Bearer {denied}"}))


def test_token_of_a_deactivated_app_reads_nothing(plugin, make_app):
    app, token = make_app(permissions=("MANAGE_CHANNELS",))
    App.objects.filter(pk=app.pk).update(is_active=False)
    assert not reads(GraphQLClient({"HTTP_AUTHORIZATION": f"Bearer {token}"}))


def test_requestor_as_saleor_authenticates_it(plugin, make_staff, make_app, auth_header):
    from django.test import RequestFactory

    from saleor_amazon_channel.plugin import SaleorHost

    user = make_staff(permissions=("MANAGE_CHANNELS", "MANAGE_ORDERS"))
    requestor = SaleorHost().authenticate(RequestFactory().post(GRAPHQL_PATH, **auth_header(user=user)))
    assert (requestor.user_id, requestor.app_id, requestor.label) == (user.pk, None, user.email)
    assert requestor.permissions == {"MANAGE_CHANNELS", "MANAGE_ORDERS"}
    app, token = make_app(permissions=("MANAGE_CHANNELS",), name="Stock sync")
    requestor = SaleorHost().authenticate(RequestFactory().post(GRAPHQL_PATH, **auth_header(app_token=token)))
    assert (requestor.user_id, requestor.app_id, requestor.label) == (None, app.pk, "Stock sync")
    assert requestor.permissions == {"MANAGE_CHANNELS"}
    assert not SaleorHost().authenticate(RequestFactory().post(GRAPHQL_PATH)).is_authenticated


@pytest.fixture
def installed_app(plugin):
    call_command("amazon_channel_install_app", stdout=io.StringIO())
    return App.objects.get(identifier=APP_IDENTIFIER)


def dashboard_view_of_the_app(user) -> dict:
    """What Saleor's Dashboard reads from Saleor's own /graphql/ for this user."""
    content = get_graphql_content(ApiClient(user=user).post_graphql(SALEOR_APPS))
    [node] = [edge["node"] for edge in content["data"]["apps"]["edges"] if edge["node"]["identifier"] == APP_IDENTIFIER]
    return node


def test_dashboard_tokens_of_the_installed_app_reach_the_endpoint(installed_app, make_staff):
    node = dashboard_view_of_the_app(make_staff(permissions=("MANAGE_APPS", "MANAGE_CHANNELS", "MANAGE_ORDERS")))
    assert node["type"] == "THIRDPARTY"
    page = next(ext for ext in node["extensions"] if ext["mountName"] == "NAVIGATION_CATALOG")
    assert (page["targetName"], page["url"]) == ("APP_PAGE", "/")
    assert page["permissions"] == [{"code": "MANAGE_CHANNELS"}]
    assert reads(jwt_client(page["accessToken"]))  # the extension's token, what the iframe gets
    assert reads(jwt_client(node["accessToken"]))  # the app's token for this user


def test_dashboard_token_of_a_user_without_manage_channels_reads_nothing(installed_app, make_staff):
    node = dashboard_view_of_the_app(make_staff(permissions=("MANAGE_APPS", "MANAGE_ORDERS")))
    page = next(ext for ext in node["extensions"] if ext["mountName"] == "NAVIGATION_CATALOG")
    assert page["accessToken"] is None  # Saleor gives no extension token without the extension's permissions
    assert not reads(jwt_client(node["accessToken"]))  # app ∩ user permissions is empty
