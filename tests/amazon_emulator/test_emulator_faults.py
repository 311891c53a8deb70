"""Injected faults: statuses, LWA error codes, delays, counts."""

import pytest
import requests
from emulator_helpers import PLAIN_APP, connect, participations, refresh


def test_lwa_fault_by_error_code_then_recovers(emulator, browser):
    tokens = connect(browser)
    emulator.inject_fault("lwa", error="temporarily_unavailable", count=2)
    for _ in range(2):
        response = refresh(emulator.url, PLAIN_APP, tokens["refresh_token"])
        assert response.status_code == 503
        assert response.json()["error"] == "temporarily_unavailable"
    assert refresh(emulator.url, PLAIN_APP, tokens["refresh_token"]).status_code == 200
    # Counters count what the client sent, faulted requests included.
    assert emulator.state.lwa_calls == 4
    assert emulator.state.refresh_grants[tokens["refresh_token"]] == 3


@pytest.mark.parametrize(
    "kwargs, status, error",
    [
        ({"error": "invalid_client"}, 401, "invalid_client"),
        ({"error": "unauthorized_client"}, 400, "unauthorized_client"),
        ({"status": 500}, 500, "server_error"),
        ({}, 500, "server_error"),
        ({"status": 429}, 429, "temporarily_unavailable"),
        ({"status": 500, "error": "invalid_grant"}, 500, "invalid_grant"),
    ],
)
def test_lwa_fault_shapes(emulator, kwargs, status, error):
    emulator.inject_fault("lwa", **kwargs)
    response = refresh(emulator.url, PLAIN_APP, "Atzr|whatever")
    assert response.status_code == status
    assert response.json()["error"] == error
    assert response.json()["error_description"]


@pytest.mark.parametrize(
    "kwargs, status, code",
    [
        ({"status": 500}, 500, "InternalFailure"),
        ({"status": 503}, 503, "ServiceUnavailable"),
        ({"status": 429}, 429, "QuotaExceeded"),
        ({"error": "QuotaExceeded"}, 429, "QuotaExceeded"),
    ],
)
def test_sp_api_fault_shapes(emulator, browser, kwargs, status, code):
    token = connect(browser)["access_token"]
    emulator.inject_fault("sp-api", **kwargs)
    response = participations(emulator.url, token)
    assert response.status_code == status
    assert response.json()["errors"][0]["code"] == code
    assert response.headers["x-amzn-RequestId"]
    assert participations(emulator.url, token).status_code == 200


def test_seller_central_fault(emulator, browser):
    emulator.inject_fault("seller-central", status=503)
    response = browser.start_consent(application_id=PLAIN_APP["application_id"], state="s")
    assert response.status_code == 503
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert browser.start_consent(application_id=PLAIN_APP["application_id"], state="s").ok


def test_delay_only_fault_times_out_clients_then_serves(emulator, browser):
    tokens = connect(browser)
    emulator.inject_fault("lwa", delay=0.5)
    with pytest.raises(requests.Timeout):
        requests.post(
            emulator.url + "/auth/o2/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": tokens["refresh_token"],
                "client_id": PLAIN_APP["client_id"],
                "client_secret": PLAIN_APP["client_secret"],
            },
            timeout=0.1,
        )
    assert refresh(emulator.url, PLAIN_APP, tokens["refresh_token"]).status_code == 200


def test_faults_are_per_target_and_fifo(emulator, browser):
    token = connect(browser)["access_token"]
    emulator.inject_fault("lwa", status=500)
    emulator.inject_fault("sp-api", status=500)
    emulator.inject_fault("sp-api", status=503)
    assert participations(emulator.url, token).status_code == 500
    assert participations(emulator.url, token).status_code == 503
    assert participations(emulator.url, token).status_code == 200
    assert [f.target for f in emulator.state.faults] == ["lwa"]


def test_bad_faults_are_rejected(emulator):
    with pytest.raises(ValueError):
        emulator.inject_fault("s3", status=500)
    with pytest.raises(ValueError):
        emulator.inject_fault("lwa", status=500, count=0)


# -- shapes: hostile answers for the client's defences (issue 16) -------------------------------


def test_trickle_sends_the_normal_answer_one_byte_at_a_time(emulator):
    import time

    emulator.inject_fault("sp-api", shape="trickle", interval=0.01)
    started = time.monotonic()
    response = participations(emulator.url, None)
    assert response.status_code == 403 and response.json()["errors"][0]["code"] == "Unauthorized"
    assert time.monotonic() - started >= 0.01 * len(response.content) * 0.9


def test_huge_streams_a_body_without_content_length(emulator):
    emulator.inject_fault("sp-api", shape="huge", size=3 * 1024 * 1024)
    with requests.get(emulator.url + "/sellers/v1/marketplaceParticipations", stream=True, timeout=10) as response:
        assert response.status_code == 200 and "Content-Length" not in response.headers
        assert sum(len(chunk) for chunk in response.iter_content(65536)) == 3 * 1024 * 1024


def test_deep_answers_deeply_nested_json(emulator):
    emulator.inject_fault("lwa", shape="deep", size=5000)
    response = refresh(emulator.url, PLAIN_APP, "Atzr|whatever")
    assert response.status_code == 200 and response.content == b"[" * 5000 + b"]" * 5000
    assert emulator.state.lwa_calls == 1


def test_nul_puts_a_nul_in_every_string(emulator):
    emulator.inject_fault("sp-api", shape="nul")
    body = participations(emulator.url, None).json()
    assert body["errors"][0]["code"] == "Unauthorized\x00"


def test_shapes_are_checked(emulator):
    with pytest.raises(ValueError):
        emulator.inject_fault("sp-api", shape="slow")
    assert emulator.inject_fault("sp-api", shape="huge", size=10).as_dict()["shape"] == "huge"
