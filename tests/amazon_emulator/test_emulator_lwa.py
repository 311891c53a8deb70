"""LWA token endpoint: code exchange, refresh, revocation, error mapping."""

import threading

import requests
from emulator_helpers import (
    LOGIN_APP,
    PLAIN_APP,
    SELLER_ID,
    authorize,
    connect,
    exchange_code,
    participations,
    refresh,
    token_request,
)

REVOKED = (
    "The request has an invalid grant parameter : refresh_token. "
    "User may have revoked or didn't grant the permission."
)


def test_code_is_single_use(emulator, browser):
    code = authorize(browser)["spapi_oauth_code"]
    assert exchange_code(emulator.url, PLAIN_APP, code).status_code == 200
    again = exchange_code(emulator.url, PLAIN_APP, code)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_code_expires_after_five_minutes(emulator, browser):
    code = authorize(browser)["spapi_oauth_code"]
    emulator.advance_clock(299)
    fresh = authorize(browser, state="s2")["spapi_oauth_code"]
    emulator.advance_clock(2)
    expired = exchange_code(emulator.url, PLAIN_APP, code)
    assert expired.status_code == 400 and expired.json()["error"] == "invalid_grant"
    assert exchange_code(emulator.url, PLAIN_APP, fresh).status_code == 200


def test_code_is_bound_to_redirect_uri_and_client(emulator, browser):
    code = authorize(browser)["spapi_oauth_code"]
    mismatch = exchange_code(emulator.url, PLAIN_APP, code, PLAIN_APP["redirect_uris"][1])
    assert mismatch.status_code == 400 and mismatch.json()["error"] == "invalid_grant"
    other_client = exchange_code(emulator.url, LOGIN_APP, code, PLAIN_APP["redirect_uris"][0])
    assert other_client.status_code == 400 and other_client.json()["error"] == "invalid_grant"
    # Failed attempts do not use the code up.
    assert exchange_code(emulator.url, PLAIN_APP, code).status_code == 200


def test_bad_client_credentials_are_invalid_client(emulator, browser):
    code = authorize(browser)["spapi_oauth_code"]
    for client_id, secret in ((PLAIN_APP["client_id"], "wrong"), ("unknown", "x")):
        response = token_request(
            emulator.url,
            grant_type="authorization_code",
            code=code,
            redirect_uri=PLAIN_APP["redirect_uris"][0],
            client_id=client_id,
            client_secret=secret,
        )
        assert response.status_code == 401
        assert response.json() == {
            "error": "invalid_client",
            "error_description": "Client authentication failed",
        }


def test_malformed_requests_are_invalid_request(emulator):
    base = emulator.url + "/auth/o2/token"
    as_json = requests.post(base, json={"grant_type": "refresh_token"})
    assert as_json.status_code == 400 and as_json.json()["error"] == "invalid_request"
    missing = token_request(
        emulator.url, grant_type="authorization_code", code="x", client_id="c", client_secret="s"
    )
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    assert "redirect_uri" in missing.json()["error_description"]
    repeated = requests.post(base, data=[("grant_type", "refresh_token")] * 2)
    assert repeated.json()["error"] == "invalid_request"
    no_grant = token_request(emulator.url, client_id="c")
    assert no_grant.json()["error"] == "invalid_request"
    unknown = token_request(emulator.url, grant_type="password", client_id="c")
    assert unknown.json()["error"] == "unsupported_grant_type"
    grantless = token_request(
        emulator.url,
        grant_type="client_credentials",
        scope="sellingpartnerapi::notifications",
        client_id=PLAIN_APP["client_id"],
        client_secret=PLAIN_APP["client_secret"],
    )
    assert grantless.status_code == 400 and grantless.json()["error"] == "unauthorized_client"
    assert requests.get(base).status_code == 405


def test_refresh_returns_new_access_token_and_same_refresh_token(emulator, browser):
    tokens = connect(browser)
    refreshed = refresh(emulator.url, PLAIN_APP, tokens["refresh_token"])
    assert refreshed.status_code == 200
    body = refreshed.json()
    assert body["refresh_token"] == tokens["refresh_token"]
    assert body["access_token"] != tokens["access_token"]
    assert body["expires_in"] == 3600 and body["token_type"] == "bearer"
    assert refreshed.headers["Cache-Control"] == "no-store"
    # Both access tokens work until they expire.
    assert participations(emulator.url, tokens["access_token"]).status_code == 200
    assert participations(emulator.url, body["access_token"]).status_code == 200

    refresh(emulator.url, PLAIN_APP, tokens["refresh_token"])
    assert emulator.state.refresh_grants[tokens["refresh_token"]] == 2
    assert emulator.state.lwa_calls == 3
    assert emulator.state.lwa_calls_by_grant == {"authorization_code": 1, "refresh_token": 2}


def test_refresh_token_of_another_client_is_invalid_grant(emulator, browser):
    tokens = connect(browser)
    response = refresh(emulator.url, LOGIN_APP, tokens["refresh_token"])
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_new_authorization_keeps_older_refresh_tokens(emulator, browser):
    first = connect(browser)
    second = connect(browser)
    assert first["refresh_token"] != second["refresh_token"]
    assert refresh(emulator.url, PLAIN_APP, first["refresh_token"]).status_code == 200
    assert refresh(emulator.url, PLAIN_APP, second["refresh_token"]).status_code == 200


def test_revoke_gives_invalid_grant_and_403(emulator, browser):
    tokens = connect(browser)
    assert emulator.revoke(SELLER_ID, PLAIN_APP["application_id"]) == 1

    response = refresh(emulator.url, PLAIN_APP, tokens["refresh_token"])
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant", "error_description": REVOKED}

    denied = participations(emulator.url, tokens["access_token"])
    assert denied.status_code == 403
    assert denied.json()["errors"][0]["code"] == "Unauthorized"


def test_revoke_of_one_app_leaves_the_others(emulator, browser):
    emulator.register_app(**{**LOGIN_APP, "login_uri": None})
    plain = connect(browser, PLAIN_APP)
    other = connect(browser, LOGIN_APP)
    emulator.revoke(SELLER_ID, LOGIN_APP["application_id"])
    assert refresh(emulator.url, PLAIN_APP, plain["refresh_token"]).status_code == 200
    assert refresh(emulator.url, LOGIN_APP, other["refresh_token"]).status_code == 400
    assert emulator.revoke(SELLER_ID) == 1  # the remaining grant


def test_concurrent_exchanges_of_one_code_succeed_once(emulator, browser):
    code = authorize(browser)["spapi_oauth_code"]
    statuses = []

    def exchange():
        statuses.append(exchange_code(emulator.url, PLAIN_APP, code).status_code)

    threads = [threading.Thread(target=exchange) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [400] * 7
