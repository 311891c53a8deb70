"""The Sellers API client against the emulator, over real HTTP."""

import pytest

from saleor_amazon_channel.amazon import errors, sellers
from tests.amazon_fixtures import CA, DE, GB, MX, SELLER_A, SELLER_EU, US

from .helpers import real_tokens


def test_participations_are_normalized(emulator):
    tokens = real_tokens(emulator, SELLER_A)
    result = sellers.get_marketplace_participations("NA", tokens.access_token)
    by_id = {entry["marketplaceId"]: entry for entry in result}
    assert set(by_id) == {US, CA, MX}
    assert by_id[US] == {
        "marketplaceId": US,
        "countryCode": "US",
        "storeName": "Store A",
        "isParticipating": True,
        "hasSuspendedListings": False,
    }
    assert by_id[MX]["isParticipating"] is False


def test_eu_seller(emulator):
    tokens = real_tokens(emulator, SELLER_EU)
    result = sellers.get_marketplace_participations("EU", tokens.access_token)
    assert {entry["marketplaceId"] for entry in result} == {GB, DE}


def test_a_bad_access_token_is_forbidden(emulator):
    with pytest.raises(errors.Forbidden) as caught:
        sellers.get_marketplace_participations("NA", "Atza|not-a-token")
    assert caught.value.status == 403 and caught.value.code == "Unauthorized"
    assert "Atza|" not in caught.value.message


def test_a_revoked_authorization_is_forbidden(emulator):
    tokens = real_tokens(emulator, SELLER_A)
    emulator.revoke(SELLER_A.selling_partner_id)
    with pytest.raises(errors.Forbidden):
        sellers.get_marketplace_participations("NA", tokens.access_token)


@pytest.mark.parametrize("fault", [{"status": 429}, {"status": 500}, {"status": 503}])
def test_one_transient_failure_is_retried(emulator, fault):
    tokens = real_tokens(emulator, SELLER_A)
    before = emulator.state.requests["sp-api"]
    emulator.inject_fault("sp-api", **fault)
    assert len(sellers.get_marketplace_participations("NA", tokens.access_token)) == 3
    assert emulator.state.requests["sp-api"] == before + 2


def test_persistent_throttling_is_throttled_after_bounded_retries(emulator, settings):
    settings.AMAZON_CHANNEL_HTTP_MAX_ATTEMPTS = 3
    tokens = real_tokens(emulator, SELLER_A)
    before = emulator.state.requests["sp-api"]
    emulator.inject_fault("sp-api", error="QuotaExceeded", count=10)
    with pytest.raises(errors.Throttled) as caught:
        sellers.get_marketplace_participations("NA", tokens.access_token)
    assert caught.value.code == "QuotaExceeded" and caught.value.retryable and caught.value.status == 429
    assert emulator.state.requests["sp-api"] == before + 3


def test_persistent_server_errors_are_unavailable(emulator):
    tokens = real_tokens(emulator, SELLER_A)
    emulator.inject_fault("sp-api", error="InternalFailure", count=10)
    with pytest.raises(errors.AmazonUnavailable) as caught:
        sellers.get_marketplace_participations("NA", tokens.access_token)
    assert caught.value.code == "InternalFailure" and caught.value.status == 500


def test_a_slow_sp_api_times_out_within_the_budget(emulator, settings):
    settings.AMAZON_CHANNEL_HTTP_TIMEOUT = (2, 0.2)
    settings.AMAZON_CHANNEL_HTTP_RETRY_BUDGET = 1.0
    tokens = real_tokens(emulator, SELLER_A)
    emulator.inject_fault("sp-api", delay=0.6, count=10)
    with pytest.raises(errors.AmazonUnavailable) as caught:
        sellers.get_marketplace_participations("NA", tokens.access_token)
    assert caught.value.code == "timeout"


def test_the_real_rate_limit_is_reported_as_throttled(emulator, settings):
    """The emulator's usage plan (burst 15, ~1/min) runs out; the client says so instead of hanging."""
    settings.AMAZON_CHANNEL_HTTP_RETRY_BUDGET = 0.5
    tokens = real_tokens(emulator, SELLER_A)
    with pytest.raises(errors.Throttled):
        for _ in range(20):
            sellers.get_marketplace_participations("NA", tokens.access_token)
