"""The HTTP layer's retry policy, Retry-After and time budget."""

import time

import pytest
import requests

from saleor_amazon_channel.amazon import errors
from saleor_amazon_channel.amazon.http import AmazonHttp, Retry, configured_timeout, retry_after_seconds


def _response(headers):
    response = requests.Response()
    response.status_code = 429
    response.headers.update(headers)
    return response


def test_retry_after_as_seconds_and_as_date():
    assert retry_after_seconds(_response({"Retry-After": "2"})) == 2.0
    assert retry_after_seconds(_response({})) is None
    assert retry_after_seconds(_response({"Retry-After": "soon"})) is None
    future = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 30))
    assert 25 < retry_after_seconds(_response({"Retry-After": future})) <= 30


def test_timeouts_default_and_from_settings(settings):
    assert configured_timeout() == (5.0, 20.0)
    settings.AMAZON_CHANNEL_HTTP_TIMEOUT = 3
    assert configured_timeout() == (3.0, 3.0)
    settings.AMAZON_CHANNEL_HTTP_TIMEOUT = (1, 7)
    assert configured_timeout() == (1.0, 7.0)


def test_backoff_grows_and_stops_at_the_attempt_limit(emulator):
    slept = []
    emulator.inject_fault("sp-api", status=503, count=5)
    with AmazonHttp(retry_budget=100, max_attempts=4, sleep=slept.append) as http:
        response = http.get(emulator.url + "/sellers/v1/marketplaceParticipations")
    assert response.status_code == 503  # the fourth attempt's answer
    assert len(slept) == 3
    assert 0.25 <= slept[0] <= 0.5 and 0.5 <= slept[1] <= 1.0 and 1.0 <= slept[2] <= 2.0


def _policy(retry_budget=4.0, elapsed=0.0, deadline=30.0):
    from saleor_amazon_channel.amazon.http import Retry, _Call, _policy

    call = _Call(deadline, retry_budget, 1.0, lambda s: None)
    call.started -= elapsed
    return _policy(Retry.SAFE, 5, call)


def _throttled(retry_after):
    from urllib3 import HTTPResponse

    return HTTPResponse(body=b"", headers={"Retry-After": retry_after}, status=429, preload_content=False)


def test_retry_after_is_honoured_but_never_beyond_the_budget_or_the_deadline():
    from urllib3.exceptions import MaxRetryError

    assert _policy().increment("GET", "/x", response=_throttled("2")).delay == 2.0
    with pytest.raises(MaxRetryError):
        _policy().increment("GET", "/x", response=_throttled("10"))
    with pytest.raises(MaxRetryError):
        _policy(elapsed=3.9).increment("GET", "/x", response=_throttled("0"))
    with pytest.raises(MaxRetryError):  # the wait fits the budget, the next attempt not the deadline
        _policy(retry_budget=100, deadline=2.5).increment("GET", "/x", response=_throttled("2"))
    assert _policy().increment("GET", "/x", response=_throttled("soon")).delay <= 0.5  # unreadable: ignored


def test_a_safe_call_is_retried_with_sleeps_between(emulator):
    slept = []
    emulator.inject_fault("sp-api", status=503, count=2)
    with AmazonHttp(sleep=slept.append) as http:
        response = http.get(emulator.url + "/sellers/v1/marketplaceParticipations")
    assert response.status_code == 403  # the faults passed; no token, so Amazon's own answer
    assert len(slept) == 2 and slept[0] < slept[1] + 0.5


def test_an_unsent_only_call_is_not_retried_on_5xx(emulator):
    emulator.inject_fault("lwa", status=503, count=2)
    before = emulator.state.requests["lwa"]
    with AmazonHttp(sleep=lambda s: None) as http:
        response = http.post_form(emulator.url + "/auth/o2/token", {"grant_type": "authorization_code"},
                                  retry=Retry.UNSENT)
    assert response.status_code == 503
    assert emulator.state.requests["lwa"] == before + 1


def test_an_unsent_only_call_is_retried_when_the_connection_is_refused():
    slept = []
    with AmazonHttp(sleep=slept.append, max_attempts=3) as http:
        with pytest.raises(errors.AmazonUnavailable) as caught:
            http.post_form("http://127.0.0.1:9/auth/o2/token", {}, retry=Retry.UNSENT)
    assert caught.value.code == "connection_error"
    assert len(slept) == 2


def test_no_module_level_session():
    import saleor_amazon_channel.amazon.http as module

    assert not [name for name, value in vars(module).items() if isinstance(value, requests.Session)]
    first, second = AmazonHttp(), AmazonHttp()
    assert first.session is not second.session


@pytest.mark.parametrize("jitter", ["none", "all"])
def test_the_one_backoff_policy_doubles_jitters_half_caps_and_yields_to_retry_after(monkeypatch, jitter):
    from saleor_amazon_channel.amazon import http as module

    # The two ends of the jitter, so every bound below is checked at its edge (not by chance).
    monkeypatch.setattr(module.random, "uniform", lambda low, high: low if jitter == "none" else high)
    for attempt, ceiling in ((1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0)):
        assert module.backoff(attempt) == (ceiling / 2 if jitter == "none" else ceiling)
    # Capped from the attempt whose ceiling passes the cap (0.5 * 2**4 = 8 > 5).
    capped = {module.backoff(attempt, base=0.5, cap=5.0) for attempt in range(5, 30)}
    assert capped == {2.5 if jitter == "none" else 5.0}
    assert module.backoff(1, 12.0) == 12.0  # Amazon's Retry-After, when longer, is the wait
