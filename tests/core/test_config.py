import pytest

from saleor_amazon_channel.core.config import AmazonChannelConfig, validate
from tests.fixtures import APPLICATION_ID, CLIENT_ID, CLIENT_SECRET

GOOD = {"application_id": APPLICATION_ID, "lwa_client_id": CLIENT_ID, "lwa_client_secret": CLIENT_SECRET}


def test_complete_configuration_is_valid():
    assert validate(GOOD, active=True) == {}


def test_inactive_plugin_may_be_half_configured():
    assert validate({"application_id": APPLICATION_ID}, active=False) == {}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({**GOOD, "application_id": ""}, "application_id"),
        ({**GOOD, "application_id": "my-app"}, "application_id"),
        ({**GOOD, "lwa_client_id": "amzn1.application.123"}, "lwa_client_id"),
        ({**GOOD, "lwa_client_secret": "   "}, "lwa_client_secret"),
        ({**GOOD, "lwa_client_secret": "x" * 600}, "lwa_client_secret"),
        ({**GOOD, "lwa_client_id": 12}, "lwa_client_id"),
    ],
)
def test_bad_values_are_named(values, field):
    errors = validate(values, active=True)
    assert field in errors and errors[field]


def test_config_from_saleor_items_and_safe_repr():
    items = [
        {"name": "application_id", "value": f" {APPLICATION_ID} "},
        {"name": "lwa_client_id", "value": CLIENT_ID},
        {"name": "lwa_client_secret", "value": CLIENT_SECRET},
        {"name": "draft_app", "value": "true"},
    ]
    config = AmazonChannelConfig.from_items(items)
    assert config.application_id == APPLICATION_ID and config.draft_app is True and config.is_complete
    assert CLIENT_SECRET not in repr(config)
    assert AmazonChannelConfig.from_items([]).missing == ["applicationId", "lwaClientId", "lwaClientSecret"]
