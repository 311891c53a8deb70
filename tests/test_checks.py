"""Django system checks: the plugin active without its Amazon credentials (W003)."""

import pytest
from django.core import checks

from saleor_amazon_channel.checks import check_plugin_configuration
from tests.fixtures import APPLICATION_ID, CLIENT_ID, CLIENT_SECRET


def w003(messages):
    return [m for m in messages if m.id == "saleor_amazon_channel.W003"]


@pytest.mark.parametrize(
    "missing, names",
    [
        ({"application_id": ""}, "applicationId"),
        ({"lwa_client_id": ""}, "lwaClientId"),
        ({"lwa_client_secret": "  "}, "lwaClientSecret"),
        (
            {"application_id": "", "lwa_client_id": "", "lwa_client_secret": ""},
            "applicationId, lwaClientId, lwaClientSecret",
        ),
    ],
)
def test_active_plugin_missing_a_credential_warns(configure_plugin, missing, names):
    values = {"application_id": APPLICATION_ID, "lwa_client_id": CLIENT_ID, "lwa_client_secret": CLIENT_SECRET}
    configure_plugin(active=True, **{**values, **missing})
    [warning] = w003(check_plugin_configuration())
    assert warning.level == checks.WARNING
    assert warning.msg.endswith("missing " + names + ".")
    assert "Extensions" in warning.hint


def test_configured_plugin_is_fine(plugin):
    assert w003(check_plugin_configuration()) == []


def test_inactive_plugin_is_not_reported(configure_plugin):
    configure_plugin(active=False, application_id="", lwa_client_id="", lwa_client_secret="")
    assert w003(check_plugin_configuration()) == []


def test_no_configuration_row_yet_is_not_reported(db):
    assert w003(check_plugin_configuration()) == []


def test_it_runs_with_djangos_checks(configure_plugin):
    """Registered: ``manage.py check`` shows it."""
    configure_plugin(active=True, application_id=APPLICATION_ID, lwa_client_id=CLIENT_ID, lwa_client_secret="")
    assert [m.id for m in w003(checks.run_checks(include_deployment_checks=False, databases=["default"]))] == [
        "saleor_amazon_channel.W003"
    ]
