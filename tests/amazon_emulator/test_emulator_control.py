"""The /_emulator/ control API, the CLI, the request log and the lifecycle."""

import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from emulator_helpers import PLAIN_APP, SELLER_ID, Browser, connect, participations, refresh

from amazon_emulator import Emulator

REPO = Path(__file__).resolve().parents[2]


def _post(emulator, path, body):
    return requests.post(f"{emulator.url}/_emulator/{path}", json=body, timeout=5)


def test_control_api_drives_the_emulator():
    with Emulator() as emu:
        assert _post(emu, "seed-demo", {}).json() == {"sellers": 3}
        app = _post(emu, "apps", PLAIN_APP)
        assert app.status_code == 201 and "client_secret" not in app.json()
        seller = _post(
            emu,
            "sellers",
            {
                "email": "mx@example.com",
                "password": "pw",
                "selling_partner_id": "A9MX",
                "marketplaces": {"A1AM78C64UM0Y8": True},
            },
        )
        assert seller.status_code == 201 and "password" not in seller.json()

        with Browser(emu.url) as browser:
            tokens = connect(browser)
        assert _post(emu, "faults", {"target": "sp-api", "status": 503}).status_code == 201
        assert participations(emu.url, tokens["access_token"]).status_code == 503

        state = requests.get(emu.url + "/_emulator/state").json()
        assert state["counters"]["lwa_calls"] == 1
        assert state["counters"]["sp_api_calls"] == {SELLER_ID: 1}
        (authorization,) = state["authorizations"]
        assert authorization["refresh_token_suffix"] == tokens["refresh_token"][-4:]
        assert tokens["refresh_token"] not in str(state) and tokens["access_token"] not in str(
            state
        )

        assert _post(emu, "clock", {"seconds": 3600}).json()["clock_offset"] == 3600
        assert participations(emu.url, tokens["access_token"]).status_code == 403
        assert _post(emu, "revoke", {"selling_partner_id": SELLER_ID}).json() == {"revoked": 1}
        assert refresh(emu.url, PLAIN_APP, tokens["refresh_token"]).status_code == 400

        assert _post(emu, "reset", {}).status_code == 200
        state = requests.get(emu.url + "/_emulator/state").json()
        assert state["authorizations"] == [] and state["clock_offset"] == 0
        assert len(state["apps"]) == 1 and len(state["sellers"]) == 4
        _post(emu, "reset", {"keep_accounts": False})
        assert requests.get(emu.url + "/_emulator/state").json()["sellers"] == []


def test_control_api_rejects_bad_requests(emulator):
    form = requests.post(emulator.url + "/_emulator/apps", data={"application_id": "x"})
    assert form.status_code == 415
    assert _post(emulator, "apps", {"application_id": "x"}).status_code == 400
    assert _post(emulator, "faults", {"target": "nowhere"}).status_code == 400
    assert _post(emulator, "clock", {"seconds": -5}).status_code == 400
    assert (
        _post(
            emulator,
            "sellers",
            {**{"email": "e", "password": "p"}, "selling_partner_id": "X", "region": "MARS"},
        ).status_code
        == 400
    )
    assert requests.post(emulator.url + "/_emulator/nope", json={}).status_code == 404
    assert requests.get(emulator.url + "/_emulator/apps").status_code == 405


def test_request_log_has_no_query_strings(emulator, browser, caplog):
    with caplog.at_level(logging.INFO, logger="amazon_emulator"):
        tokens = connect(browser)
        refresh(emulator.url, PLAIN_APP, tokens["refresh_token"])
    log = caplog.text
    assert "GET /apps/authorize/consent 302" in log
    assert "POST /auth/o2/token 200" in log
    assert "?" not in log and "state=" not in log
    assert tokens["refresh_token"] not in log and tokens["access_token"] not in log


def test_only_loopback_hosts():
    with pytest.raises(ValueError):
        Emulator(host="0.0.0.0")
    with pytest.raises(ValueError):
        Emulator(host="example.com")
    emu = Emulator(host="localhost")
    with pytest.raises(RuntimeError):
        _ = emu.url
    with emu:
        assert emu.url.startswith("http://127.0.0.1:")


def test_cli_prints_its_url_and_serves_the_demo():
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "amazon_emulator",
            "--port",
            "0",
            "--seed-demo",
            "--quiet",
            "--app-id",
            PLAIN_APP["application_id"],
            "--client-id",
            PLAIN_APP["client_id"],
            "--client-secret",
            PLAIN_APP["client_secret"],
            "--redirect-uri",
            PLAIN_APP["redirect_uris"][0],
            "--redirect-uri",
            PLAIN_APP["redirect_uris"][1],
            "--login-uri",
            "https://app.test/oauth/login",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        line = process.stdout.readline().strip()
        assert line.startswith("amazon-emulator listening on http://127.0.0.1:")
        url = line.rsplit(" ", 1)[1]
        state = requests.get(url + "/_emulator/state", timeout=5).json()
        assert {s["selling_partner_id"] for s in state["sellers"]} == {
            "A2DEMOSELLER01",
            "A3DEMOSELLEREU",
            "A4DEMONONPART01",
        }
        (app,) = state["apps"]
        assert app["login_uri"] == "https://app.test/oauth/login"
        assert app["redirect_uris"] == PLAIN_APP["redirect_uris"] and not app["draft"]
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=5) == 0


def test_cli_rejects_an_incomplete_app():
    result = subprocess.run(
        [sys.executable, "-m", "amazon_emulator", "--app-id", "x"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 2 and "go together" in result.stderr
