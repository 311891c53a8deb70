"""Issue 16: Amazon's answers are bounded. A total deadline per call (connect + the whole body) and a
maximum body size; a slow, huge, deeply nested or NUL-laden answer is a coded error, never a hang, a
ballooning process, a RecursionError or an internal error. Real HTTP against the emulator's fault shapes."""

import time

import pytest

from saleor_amazon_channel.amazon import errors, lwa, sellers
from saleor_amazon_channel.amazon.http import AmazonHttp, configured_deadline, configured_max_body_bytes
from saleor_amazon_channel.core import ids
from tests.amazon_fixtures import SELLER_A, US, obtain_code
from tests.connected_stores import CONFIG
from tests.consent.helpers import callback_url_for, open_ours, reload, result_of

PARTICIPATIONS = "/sellers/v1/marketplaceParticipations"


def test_deadline_and_body_cap_defaults_and_settings(settings):
    assert configured_deadline() == 30.0
    assert configured_max_body_bytes() == 5 * 1024 * 1024
    settings.AMAZON_CHANNEL_HTTP_DEADLINE = 12
    settings.AMAZON_CHANNEL_HTTP_MAX_BODY_BYTES = 1000
    assert configured_deadline() == 12.0 and configured_max_body_bytes() == 1000
    settings.AMAZON_CHANNEL_HTTP_DEADLINE = -1  # nonsense falls back to the safe default
    settings.AMAZON_CHANNEL_HTTP_MAX_BODY_BYTES = "lots"
    assert configured_deadline() == 30.0 and configured_max_body_bytes() == 5 * 1024 * 1024


def test_a_trickling_answer_is_cut_at_the_deadline(emulator):
    emulator.inject_fault("sp-api", shape="trickle", interval=0.2)
    started = time.monotonic()
    with AmazonHttp(deadline=1.0, sleep=lambda s: None) as http:
        with pytest.raises(errors.AmazonUnavailable) as caught:
            http.get(emulator.url + PARTICIPATIONS)
    assert caught.value.code == "deadline_exceeded"
    assert time.monotonic() - started < 1.6


def test_a_trickling_answer_is_cut_at_the_deadline_with_urllib3_1_26s_reader(emulator, monkeypatch):
    """Saleor 3.21 locks urllib3 1.26: its response has no read1, and read(n) waits for n bytes, each socket
    wait short enough. A byte every 0.2 s kept the call 34 s past a 1 s deadline there."""
    import urllib3.response

    for kind in (urllib3.response.HTTPResponse, getattr(urllib3.response, "BaseHTTPResponse", None)):
        if kind is not None and "read1" in vars(kind):
            monkeypatch.delattr(kind, "read1")
    emulator.inject_fault("sp-api", shape="trickle", interval=0.2)
    started = time.monotonic()
    with AmazonHttp(deadline=1.0, sleep=lambda s: None) as http:
        with pytest.raises(errors.AmazonUnavailable) as caught:
            http.get(emulator.url + PARTICIPATIONS)
    assert caught.value.code == "deadline_exceeded"
    assert time.monotonic() - started < 1.6


def test_a_huge_answer_is_cut_at_the_body_cap(emulator):
    emulator.inject_fault("sp-api", shape="huge", size=200 * 1024 * 1024)
    started = time.monotonic()
    with AmazonHttp(max_body_bytes=1024 * 1024, sleep=lambda s: None) as http:
        with pytest.raises(errors.AmazonError) as caught:
            http.get(emulator.url + PARTICIPATIONS)
    assert caught.value.code == "response_too_large" and caught.value.retryable is False
    assert time.monotonic() - started < 5


def test_a_declared_huge_answer_is_refused_before_reading(emulator, monkeypatch):
    with AmazonHttp(max_body_bytes=10, sleep=lambda s: None) as http:
        with pytest.raises(errors.AmazonError) as caught:
            http.get(emulator.url + PARTICIPATIONS)  # a 403 with a JSON body longer than 10 bytes
    assert caught.value.code == "response_too_large"


def test_deep_json_from_sp_api_is_a_bad_response(emulator):
    emulator.inject_fault("sp-api", shape="deep", size=100_000)
    with pytest.raises(errors.AmazonUnavailable) as caught:
        sellers.get_marketplace_participations("NA", "Atza|whatever")
    assert caught.value.code == "bad_response"


def test_deep_json_from_lwa_is_a_bad_response(emulator):
    emulator.inject_fault("lwa", shape="deep", size=100_000)
    with pytest.raises(errors.AmazonUnavailable) as caught:
        lwa.refresh_access_token(CONFIG, "Atzr|whatever")
    assert caught.value.code == "bad_response"


def test_nul_in_a_participation_is_cleaned(emulator):
    code = obtain_code(emulator, SELLER_A)
    tokens = lwa.exchange_code(CONFIG, code, "http://testserver/plugins/global/saleor_amazon_channel/oauth/callback")
    emulator.inject_fault("sp-api", shape="nul")
    participations = sellers.get_marketplace_participations("NA", tokens.access_token)
    us = next(p for p in participations if p["marketplaceId"] == US)
    assert us["storeName"] == SELLER_A.store_name and us["countryCode"] == "US"


CHECK = """
mutation Check($id: ID!) {
  amazonStoreCheckConnection(id: $id) { amazonStore { id status } errors { field code message } }
}
"""


def test_deep_json_during_check_connection_is_a_coded_error(staff_api, connect_store, emulator):
    store = connect_store()
    emulator.inject_fault("sp-api", shape="deep", size=100_000, count=3)
    data = staff_api.execute(CHECK, {"id": ids.to_global_id("AmazonStore", store.pk)})
    assert "errors" not in data, data
    payload = data["data"]["amazonStoreCheckConnection"]
    assert [error["code"] for error in payload["errors"]] == ["AMAZON_UNAVAILABLE"]


def test_a_trickling_answer_during_the_callback_is_a_coded_error(staff_api, store, emulator, seller_browser,
                                                                  settings):
    settings.AMAZON_CHANNEL_HTTP_DEADLINE = 1
    url = callback_url_for(staff_api, store, seller_browser, SELLER_A)
    emulator.inject_fault("sp-api", shape="trickle", interval=0.2, count=3)
    started = time.monotonic()
    result = result_of(open_ours(seller_browser.client, url))
    assert result["reason"] == "AMAZON_UNAVAILABLE"
    assert time.monotonic() - started < 2.5
    assert reload(store).authorization_id is None


def test_nul_in_amazons_answers_during_the_callback_connects_cleanly(staff_api, store, emulator, seller_browser):
    url = callback_url_for(staff_api, store, seller_browser, SELLER_A)
    emulator.inject_fault("sp-api", shape="nul")
    assert result_of(open_ours(seller_browser.client, url))["connectResult"] == "connected"
    assert "\x00" not in str(reload(store).authorization.participations)


def test_an_asin_with_a_trailing_newline_is_not_an_asin():
    from saleor_amazon_channel.amazon.catalog import parse_item

    assert parse_item({"asin": "B000000001"}, US) is not None
    assert parse_item({"asin": "B000000001\n"}, US) is None
