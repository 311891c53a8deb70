"""Sellers API: getMarketplaceParticipations, auth failures, rate limiting."""

import pytest
import requests
from emulator_helpers import (
    PLAIN_APP,
    Browser,
    connect,
    exchange_code,
    participations,
    query_of,
    refresh,
)

from amazon_emulator import Emulator

UNAUTHORIZED = {
    "errors": [
        {
            "code": "Unauthorized",
            "message": "Access to requested resource is denied.",
            "details": "The access token you provided is revoked, malformed or invalid.",
        }
    ]
}


def test_participations_payload(emulator, browser):
    tokens = connect(browser)
    response = participations(emulator.url, tokens["access_token"])
    assert response.status_code == 200
    assert response.headers["x-amzn-RateLimit-Limit"] == "0.0167"
    assert response.headers["x-amzn-RequestId"]
    us = response.json()["payload"][0]
    assert us == {
        "marketplace": {
            "id": "ATVPDKIKX0DER",
            "name": "Amazon.com",
            "countryCode": "US",
            "defaultCurrencyCode": "USD",
            "defaultLanguageCode": "en_US",
            "domainName": "www.amazon.com",
        },
        "storeName": "Demo Seller Store",
        "participation": {"isParticipating": True, "hasSuspendedListings": False},
    }


def test_non_participating_marketplace_and_suspended_listings(emulator):
    emulator.add_seller(
        "na-nonparticipant@example.com",
        "amazon-demo",
        "A4DEMONONPART01",
        marketplaces={"ATVPDKIKX0DER": True, "A2EUQ1WTGCTBG2": False},
        has_suspended_listings=True,
        store_name="Suspended",
    )
    with Browser(emulator.url) as browser:
        browser.start_consent(application_id=PLAIN_APP["application_id"], state="s")
        browser.sign_in(email="na-nonparticipant@example.com")
        browser.click("Next", check=["I understand"])
        browser.click("Continue")
        code = query_of(browser.location)["spapi_oauth_code"]
        token = exchange_code(emulator.url, PLAIN_APP, code).json()["access_token"]
    payload = participations(emulator.url, token).json()["payload"]
    by_country = {p["marketplace"]["countryCode"]: p["participation"] for p in payload}
    assert by_country == {
        "US": {"isParticipating": True, "hasSuspendedListings": True},
        "CA": {"isParticipating": False, "hasSuspendedListings": True},
    }
    assert payload[0]["storeName"] == "Suspended"


@pytest.mark.parametrize("token", [None, "", "Atza|forged"])
def test_missing_or_unknown_token_is_403(emulator, token):
    response = participations(emulator.url, token)
    assert response.status_code == 403
    assert response.json() == UNAUTHORIZED
    assert "x-amzn-RateLimit-Limit" not in response.headers


def test_access_token_expires_after_an_hour(emulator, browser):
    tokens = connect(browser)
    emulator.advance_clock(3599)
    assert participations(emulator.url, tokens["access_token"]).status_code == 200
    emulator.advance_clock(1)
    assert participations(emulator.url, tokens["access_token"]).json() == UNAUTHORIZED
    fresh = refresh(emulator.url, PLAIN_APP, tokens["refresh_token"]).json()["access_token"]
    assert participations(emulator.url, fresh).status_code == 200


def test_rate_limit_burst_then_refill(emulator, browser):
    tokens = connect(browser)
    for _ in range(15):
        assert participations(emulator.url, tokens["access_token"]).status_code == 200
    throttled = participations(emulator.url, tokens["access_token"])
    assert throttled.status_code == 429
    assert throttled.json() == {
        "errors": [
            {
                "code": "QuotaExceeded",
                "message": "You exceeded your quota for the requested resource.",
            }
        ]
    }
    assert "x-amzn-RateLimit-Limit" not in throttled.headers
    # The bucket is per application-seller pair: a new token shares it.
    fresh = refresh(emulator.url, PLAIN_APP, tokens["refresh_token"]).json()["access_token"]
    assert participations(emulator.url, fresh).status_code == 429
    emulator.advance_clock(60)  # 60 s x 0.0167 rps = one request
    assert participations(emulator.url, fresh).status_code == 200
    assert participations(emulator.url, fresh).status_code == 429
    assert emulator.state.sp_api_calls["A2DEMOSELLER01"] == 19


def test_rate_limit_can_be_disabled_or_tuned():
    with Emulator(rate_limit=False) as emu:
        emu.seed_demo()
        emu.register_app(**PLAIN_APP)
        with Browser(emu.url) as browser:
            token = connect(browser)["access_token"]
        assert all(participations(emu.url, token).status_code == 200 for _ in range(20))

    with Emulator(rate=1.0, burst=2) as emu:
        emu.seed_demo()
        emu.register_app(**PLAIN_APP)
        with Browser(emu.url) as browser:
            token = connect(browser)["access_token"]
        statuses = [participations(emu.url, token).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]


def test_unimplemented_operation_is_404(emulator):
    response = requests.get(emulator.url + "/orders/v0/orders")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "NotFound"
