"""The LWA client against the emulator, over real HTTP."""

import pytest

from saleor_amazon_channel.amazon import errors, lwa
from saleor_amazon_channel.core.config import AmazonChannelConfig
from tests.amazon_fixtures import REDIRECT_URI, SELLER_A, obtain_code
from tests.fixtures import APPLICATION_ID, CLIENT_ID, CLIENT_SECRET

from .helpers import CONFIG


def test_exchange_code_returns_tokens_and_hides_them_in_repr(emulator):
    code = obtain_code(emulator, SELLER_A)
    tokens = lwa.exchange_code(CONFIG, code, REDIRECT_URI)
    assert tokens.access_token.startswith("Atza|")
    assert tokens.refresh_token.startswith("Atzr|")
    assert tokens.expires_in == 3600
    assert tokens.access_token not in repr(tokens) and tokens.refresh_token not in repr(tokens)
    assert tokens.access_token not in str(tokens)


def test_a_used_code_is_invalid_grant(emulator):
    code = obtain_code(emulator, SELLER_A)
    lwa.exchange_code(CONFIG, code, REDIRECT_URI)
    with pytest.raises(errors.InvalidGrant) as caught:
        lwa.exchange_code(CONFIG, code, REDIRECT_URI)
    assert caught.value.code == "invalid_grant" and caught.value.status == 400
    assert not caught.value.retryable
    assert code not in caught.value.message


def test_a_code_with_another_redirect_uri_is_invalid_grant(emulator):
    code = obtain_code(emulator, SELLER_A)
    with pytest.raises(errors.InvalidGrant):
        lwa.exchange_code(CONFIG, code, REDIRECT_URI + "x")


def test_wrong_client_secret_is_invalid_client(emulator):
    code = obtain_code(emulator, SELLER_A)
    config = AmazonChannelConfig(application_id=APPLICATION_ID, client_id=CLIENT_ID, client_secret="wrong-secret")
    with pytest.raises(errors.InvalidClient) as caught:
        lwa.exchange_code(config, code, REDIRECT_URI)
    assert caught.value.status == 401
    assert "wrong-secret" not in caught.value.message and CLIENT_SECRET not in caught.value.message


def test_missing_credentials_fail_without_calling_amazon(emulator):
    before = emulator.state.requests["lwa"]
    with pytest.raises(errors.InvalidClient) as caught:
        lwa.exchange_code(AmazonChannelConfig(application_id=APPLICATION_ID), "code", REDIRECT_URI)
    assert caught.value.code == "missing_credentials"
    assert emulator.state.requests["lwa"] == before


@pytest.mark.parametrize(
    "fault, expected, code",
    [
        ({"status": 500}, errors.AmazonUnavailable, "server_error"),
        ({"error": "temporarily_unavailable"}, errors.AmazonUnavailable, "temporarily_unavailable"),
        ({"error": "unauthorized_client"}, errors.UnauthorizedClient, "unauthorized_client"),
        ({"error": "invalid_client"}, errors.InvalidClient, "invalid_client"),
        ({"error": "invalid_scope"}, errors.AmazonRequestError, "invalid_scope"),
        ({"status": 429}, errors.Throttled, "temporarily_unavailable"),
    ],
)
def test_code_exchange_errors_are_mapped_and_never_retried(emulator, fault, expected, code):
    """A code is single use: once the request reached Amazon, it is not sent again."""
    auth_code = obtain_code(emulator, SELLER_A)
    before = emulator.state.requests["lwa"]
    emulator.inject_fault("lwa", count=5, **fault)
    with pytest.raises(expected) as caught:
        lwa.exchange_code(CONFIG, auth_code, REDIRECT_URI)
    assert caught.value.code == code
    assert emulator.state.requests["lwa"] == before + 1
    assert caught.value.retryable == isinstance(caught.value, (errors.AmazonUnavailable, errors.Throttled))


def test_code_exchange_timeout_is_not_retried(emulator, settings):
    settings.AMAZON_CHANNEL_HTTP_TIMEOUT = (2, 0.3)
    auth_code = obtain_code(emulator, SELLER_A)
    before = emulator.state.requests["lwa"]
    emulator.inject_fault("lwa", delay=1.0, count=3)
    with pytest.raises(errors.AmazonUnavailable) as caught:
        lwa.exchange_code(CONFIG, auth_code, REDIRECT_URI)
    assert caught.value.code == "timeout" and caught.value.retryable
    assert emulator.state.requests["lwa"] == before + 1


def test_unreachable_token_endpoint_is_unavailable(settings):
    settings.AMAZON_CHANNEL_LWA_TOKEN_URL = "http://127.0.0.1:9/auth/o2/token"  # discard port: refused
    with pytest.raises(errors.AmazonUnavailable) as caught:
        lwa.exchange_code(CONFIG, "code", REDIRECT_URI)
    assert caught.value.code == "connection_error"


def test_refresh_returns_a_new_access_token_and_the_same_refresh_token(emulator):
    tokens = lwa.exchange_code(CONFIG, obtain_code(emulator, SELLER_A), REDIRECT_URI)
    refreshed = lwa.refresh_access_token(CONFIG, tokens.refresh_token)
    assert refreshed.access_token != tokens.access_token
    assert refreshed.refresh_token == tokens.refresh_token


def test_refresh_is_retried_on_server_errors(emulator):
    tokens = lwa.exchange_code(CONFIG, obtain_code(emulator, SELLER_A), REDIRECT_URI)
    before = emulator.state.requests["lwa"]
    emulator.inject_fault("lwa", status=503, count=2)
    refreshed = lwa.refresh_access_token(CONFIG, tokens.refresh_token)
    assert refreshed.access_token.startswith("Atza|")
    assert emulator.state.requests["lwa"] == before + 3  # the third try got through


def test_refresh_retries_are_bounded(emulator, settings):
    settings.AMAZON_CHANNEL_HTTP_MAX_ATTEMPTS = 3
    tokens = lwa.exchange_code(CONFIG, obtain_code(emulator, SELLER_A), REDIRECT_URI)
    before = emulator.state.requests["lwa"]
    emulator.inject_fault("lwa", status=500, count=10)
    with pytest.raises(errors.AmazonUnavailable):
        lwa.refresh_access_token(CONFIG, tokens.refresh_token)
    assert emulator.state.requests["lwa"] == before + 3


def test_revoked_refresh_token_is_invalid_grant(emulator):
    tokens = lwa.exchange_code(CONFIG, obtain_code(emulator, SELLER_A), REDIRECT_URI)
    emulator.revoke(SELLER_A.selling_partner_id)
    with pytest.raises(errors.InvalidGrant) as caught:
        lwa.refresh_access_token(CONFIG, tokens.refresh_token)
    assert tokens.refresh_token not in caught.value.message
