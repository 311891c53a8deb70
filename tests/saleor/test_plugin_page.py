"""The plugin as Saleor's own API shows it: the ``plugins`` query and ``pluginUpdate``."""

import pytest
from saleor.graphql.tests.fixtures import ApiClient
from saleor.graphql.tests.utils import get_graphql_content
from saleor.plugins.models import PluginConfiguration

from saleor_amazon_channel import APP_NAME, PLUGIN_ID, PLUGIN_NAME
from saleor_amazon_channel.core.host import get_host
from saleor_amazon_channel.core.urls import plugin_url
from tests.fixtures import APPLICATION_ID, CLIENT_ID, CLIENT_SECRET
from tests.hosts.saleor import PLUGIN_PATH

pytestmark = pytest.mark.django_db

PLUGINS = """
query Plugins($search: String) {
  plugins(first: 50, filter: { search: $search }) {
    edges { node { id name description
      globalConfiguration { active configuration { name value type label helpText } }
    } }
  }
}
"""

UPDATE = """
mutation Update($id: ID!, $input: PluginUpdateInput!) {
  pluginUpdate(id: $id, input: $input) {
    plugin { id globalConfiguration { active configuration { name value type } } }
    errors { field code message }
  }
}
"""

REDIRECT_URI = "https://example.com" + plugin_url("oauth/callback")
LOGIN_URI = "https://example.com" + plugin_url("oauth/login")


@pytest.fixture
def plugin_loaded(configure_plugin):
    """The plugin in PLUGINS, never configured: no configuration row yet."""


@pytest.fixture
def plugins_admin(make_staff):
    """Saleor's own GraphQL client, as a staff user who may manage plugins."""
    return ApiClient(user=make_staff(permissions=("MANAGE_PLUGINS",)))


def configuration_of(node) -> dict:
    return {item["name"]: item for item in node["globalConfiguration"]["configuration"]}


def update(client, **input_):
    response = client.post_graphql(UPDATE, {"id": PLUGIN_ID, "input": input_})
    return get_graphql_content(response)["data"]["pluginUpdate"]


def items(**values):
    return [{"name": name, "value": value} for name, value in values.items()]


def test_plugins_query_lists_the_plugin_with_its_fields(plugin, plugins_admin):
    content = get_graphql_content(plugins_admin.post_graphql(PLUGINS, {"search": "Amazon"}))
    [edge] = content["data"]["plugins"]["edges"]
    node = edge["node"]
    assert (node["id"], node["name"]) == (PLUGIN_ID, PLUGIN_NAME)
    # Beside the app in Extensions → Installed: the plugin says it holds the settings, and where the stores are.
    assert node["name"] != APP_NAME and "settings" in node["name"]
    assert f"Extensions → Installed → {APP_NAME}" in node["description"]
    assert node["globalConfiguration"]["active"] is True
    fields = configuration_of(node)
    assert list(fields) == [
        "application_id", "lwa_client_id", "lwa_client_secret", "draft_app", "lwa_client_secret_source",
        "oauth_redirect_uri", "oauth_login_uri"
    ]
    assert fields["application_id"]["value"] == APPLICATION_ID
    assert fields["application_id"]["label"] == "SP-API application ID"
    assert fields["lwa_client_secret"]["type"] == "SECRET"
    assert fields["lwa_client_secret"]["value"] == CLIENT_SECRET[-4:]  # Saleor masks secrets
    assert fields["draft_app"]["type"] == "BOOLEAN"
    assert fields["lwa_client_secret_source"]["type"] == "OUTPUT"
    assert fields["lwa_client_secret_source"]["value"] == "The LWA client secret field above."


def test_plugin_page_shows_the_uris_to_copy_into_developer_central(plugin, plugins_admin):
    content = get_graphql_content(plugins_admin.post_graphql(PLUGINS, {"search": "Amazon"}))
    fields = configuration_of(content["data"]["plugins"]["edges"][0]["node"])
    assert fields["oauth_redirect_uri"]["type"] == "OUTPUT"
    assert fields["oauth_redirect_uri"]["value"] == REDIRECT_URI
    assert fields["oauth_login_uri"]["type"] == "OUTPUT"
    assert fields["oauth_login_uri"]["value"] == LOGIN_URI
    assert fields["oauth_login_uri"]["helpText"].startswith("Copy into")


def test_uris_keep_a_public_url_path_prefix(plugin, plugins_admin, settings):
    settings.PUBLIC_URL = "https://shop.example.com/saleor"
    content = get_graphql_content(plugins_admin.post_graphql(PLUGINS, {"search": "Amazon"}))
    fields = configuration_of(content["data"]["plugins"]["edges"][0]["node"])
    assert fields["oauth_redirect_uri"]["value"] == "https://shop.example.com/saleor" + plugin_url("oauth/callback")


def test_uris_are_shown_before_the_plugin_is_ever_saved(plugin_loaded, plugins_admin):
    assert not PluginConfiguration.objects.filter(identifier=PLUGIN_ID).exists()
    content = get_graphql_content(plugins_admin.post_graphql(PLUGINS, {"search": "Amazon"}))
    node = content["data"]["plugins"]["edges"][0]["node"]
    assert node["globalConfiguration"]["active"] is False
    assert configuration_of(node)["oauth_redirect_uri"]["value"] == REDIRECT_URI


def test_plugin_update_saves_the_configuration_and_masks_the_secret(plugin_loaded, plugins_admin):
    result = update(
        plugins_admin,
        active=True,
        configuration=items(
            application_id=APPLICATION_ID, lwa_client_id=CLIENT_ID, lwa_client_secret=CLIENT_SECRET, draft_app="true"
        ),
    )
    assert result["errors"] == []
    fields = configuration_of(result["plugin"])
    assert fields["lwa_client_secret"]["value"] == CLIENT_SECRET[-4:]
    assert CLIENT_SECRET not in str(result)
    assert fields["oauth_redirect_uri"]["value"] == REDIRECT_URI
    row = PluginConfiguration.objects.get(identifier=PLUGIN_ID)
    stored = {item["name"]: item["value"] for item in row.configuration}
    assert row.active is True
    assert stored["lwa_client_secret"] == CLIENT_SECRET and stored["draft_app"] is True
    config = get_host().get_config()
    assert (config.active, config.client_id, config.client_secret) == (True, CLIENT_ID, CLIENT_SECRET)
    assert config.draft_app is True


def test_output_fields_cannot_be_overwritten(plugin, plugins_admin):
    result = update(plugins_admin, configuration=items(oauth_redirect_uri="https://evil.example.com/cb"))
    assert result["errors"] == []
    assert configuration_of(result["plugin"])["oauth_redirect_uri"]["value"] == REDIRECT_URI
    row = PluginConfiguration.objects.get(identifier=PLUGIN_ID)
    assert "https://evil.example.com/cb" not in str(row.configuration)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"application_id": "not-an-app-id"},
            "applicationId",
            "The SP-API application ID looks wrong: expected something like amzn1.sellerapps.app.<id>.",
        ),
        (
            {"lwa_client_id": "client-123"},
            "lwaClientId",
            "The LWA client ID looks wrong: expected amzn1.application-oa2-client.<id>.",
        ),
        (
            {"lwa_client_secret": ""},
            "lwaClientSecret",
            "LWA client secret is required to activate the plugin.",
        ),
    ],
)
def test_plugin_update_rejects_bad_values_with_our_messages(plugin, plugins_admin, values, field, message):
    """Our validation's messages; Saleor camel-cases the field names, as for its own plugins."""
    before = PluginConfiguration.objects.get(identifier=PLUGIN_ID).configuration
    result = update(plugins_admin, configuration=items(**values))
    assert result["plugin"] is None
    assert result["errors"] == [{"field": field, "code": "INVALID", "message": message}]
    assert PluginConfiguration.objects.get(identifier=PLUGIN_ID).configuration == before


def test_activating_without_credentials_is_refused(plugin_loaded, plugins_admin):
    result = update(plugins_admin, active=True)
    assert {error["field"] for error in result["errors"]} == {"applicationId", "lwaClientId", "lwaClientSecret"}
    assert not PluginConfiguration.objects.filter(identifier=PLUGIN_ID, active=True).exists()


def test_plugin_update_needs_manage_plugins(plugin, make_staff):
    client = ApiClient(user=make_staff(permissions=("MANAGE_CHANNELS",)))
    response = client.post_graphql(UPDATE, {"id": PLUGIN_ID, "input": {"active": False}})
    content = get_graphql_content(response, ignore_errors=True)
    assert content["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert PluginConfiguration.objects.get(identifier=PLUGIN_ID).active is True


def test_saleor_discovers_the_plugin_through_its_entry_point(settings):
    """Saleor's settings add the entry point's plugin to PLUGINS and its name to INSTALLED_APPS."""
    assert PLUGIN_PATH in settings.EXTERNAL_PLUGINS
    assert "saleor_amazon_channel" in settings.INSTALLED_APPS
