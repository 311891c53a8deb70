"""Seller Central website authorization, driven through the HTML like a browser."""

from urllib.parse import urlsplit

from emulator_helpers import (
    LOGIN_APP,
    PLAIN_APP,
    SELLER_ID,
    Browser,
    exchange_code,
    participations,
    query_of,
)

CALLBACK = PLAIN_APP["redirect_uris"][0]


def test_flow_without_login_uri_redirects_to_first_redirect_uri(emulator, browser):
    browser.start_consent(application_id=PLAIN_APP["application_id"], state="st-123")
    assert browser.response.url.endswith("/ap/signin")
    browser.sign_in()
    assert "Plain Test App" in browser.text
    browser.click("Next", check=["I understand"])
    assert "You are almost done" in browser.text
    browser.click("Continue")

    assert browser.location.startswith(CALLBACK + "?")
    query = query_of(browser.location)
    assert query["state"] == "st-123"
    assert query["selling_partner_id"] == SELLER_ID
    assert len(query["spapi_oauth_code"]) == 20
    assert browser.response.headers["Referrer-Policy"] == "no-referrer"

    tokens = exchange_code(emulator.url, PLAIN_APP, query["spapi_oauth_code"]).json()
    assert tokens["token_type"] == "bearer" and tokens["expires_in"] == 3600
    assert tokens["access_token"].startswith("Atza|")
    assert tokens["refresh_token"].startswith("Atzr|")
    body = participations(emulator.url, tokens["access_token"]).json()
    assert {p["marketplace"]["countryCode"] for p in body["payload"]} == {"US", "CA", "MX"}


def test_explicit_registered_redirect_uri_is_used(browser):
    other = PLAIN_APP["redirect_uris"][1]
    browser.consent(PLAIN_APP["application_id"], "s", redirect_uri=other)
    assert browser.location.startswith(other + "?")


def test_flow_with_login_uri_goes_through_confirm(emulator, browser):
    browser.consent(LOGIN_APP["application_id"], "st-login")
    login = browser.location
    assert login.startswith(LOGIN_APP["login_uri"] + "?")
    params = query_of(login)
    assert params["selling_partner_id"] == SELLER_ID
    assert params["amazon_callback_uri"] == (
        f"{emulator.url}/apps/authorize/confirm/{LOGIN_APP['application_id']}"
    )
    assert "version" not in params and "state" not in params

    # The app's log-in page sends the browser back with its own state.
    response = browser.back_from_login_uri(
        params, "st-login", redirect_uri=LOGIN_APP["redirect_uris"][0]
    )
    assert response.status_code == 302
    query = query_of(response.headers["Location"])
    assert query["state"] == "st-login" and query["selling_partner_id"] == SELLER_ID
    assert exchange_code(emulator.url, LOGIN_APP, query["spapi_oauth_code"]).status_code == 200

    # amazon_state is single-use.
    again = browser.back_from_login_uri(params, "st-login")
    assert again.status_code == 400 and "expired or was already used" in again.text


def test_confirm_rejects_foreign_expired_and_bad_redirects(emulator, browser):
    emulator.register_app(**{**PLAIN_APP, "login_uri": "https://app.test/oauth/login"})
    browser.consent(LOGIN_APP["application_id"], "s")
    params = query_of(browser.location)
    confirm = f"{emulator.url}/apps/authorize/confirm/"

    def get(app_id, **extra):
        return browser.back_from_login_uri(params, url=confirm + app_id, **extra)

    # Bound to the app it was issued for.
    assert get(PLAIN_APP["application_id"]).status_code == 400
    assert "MD5101" in get(LOGIN_APP["application_id"], redirect_uri="https://evil.test/cb").text
    assert "MD5110" in get(LOGIN_APP["application_id"], redirect_uri=CALLBACK + "#x").text
    missing_state = browser.back_from_login_uri(params, state=None)
    assert missing_state.status_code == 400
    # None of these used the ticket up, but time does.
    emulator.advance_clock(11 * 60)
    assert "expired" in get(LOGIN_APP["application_id"]).text


def test_omitted_redirect_uri_at_confirm_uses_the_consent_one(emulator, browser):
    emulator.register_app(**{**PLAIN_APP, "login_uri": "https://app.test/oauth/login"})
    other = PLAIN_APP["redirect_uris"][1]
    browser.consent(PLAIN_APP["application_id"], "s", redirect_uri=other)
    params = query_of(browser.location)
    response = browser.back_from_login_uri(params)
    assert response.headers["Location"].startswith(other + "?")
    code = query_of(response.headers["Location"])["spapi_oauth_code"]
    # The code is bound to that redirect URI.
    assert exchange_code(emulator.url, PLAIN_APP, code).json()["error"] == "invalid_grant"
    assert exchange_code(emulator.url, PLAIN_APP, code, other).status_code == 200


def test_draft_app_needs_version_beta(emulator, browser):
    draft = {**LOGIN_APP, "application_id": "amzn1.sellerapps.app.draft", "client_id": "d"}
    emulator.register_app(**draft, draft=True)

    browser.start_consent(application_id=draft["application_id"], state="s")
    assert browser.response.status_code == 400
    assert '<p class="error-code">MD1000</p>' in browser.text
    assert "Location" not in browser.response.headers

    browser.consent(draft["application_id"], "s", version="beta")
    params = query_of(browser.location)
    assert params["version"] == "beta"
    confirm = browser.back_from_login_uri(params)
    assert confirm.status_code == 400 and "MD1000" in confirm.text
    confirm = browser.back_from_login_uri(params, version="beta")
    assert confirm.status_code == 302 and "spapi_oauth_code=" in confirm.headers["Location"]


def test_consent_request_errors_show_md_codes_without_redirect(browser):
    app_id = PLAIN_APP["application_id"]
    cases = {
        "MD5101": {"redirect_uri": "https://evil.test/callback"},
        "MD5110": {"redirect_uri": CALLBACK + "#fragment"},
    }
    for code, extra in cases.items():
        response = browser.start_consent(application_id=app_id, state="s", **extra)
        assert response.status_code == 400
        assert f'<p class="error-code">{code}</p>' in response.text
        assert response.headers["Referrer-Policy"] == "no-referrer"

    unknown = browser.start_consent(application_id="amzn1.sellerapps.app.nope", state="s")
    assert unknown.status_code == 400 and "not valid" in unknown.text
    no_state = browser.start_consent(application_id=app_id)
    assert no_state.status_code == 400 and "state" in no_state.text


def test_wrong_password_and_wrong_otp_show_errors(browser):
    browser.start_consent(application_id=PLAIN_APP["application_id"], state="s")
    browser.click("Sign in", {"Email": "seller@example.com", "Password": "nope"})
    assert "Your email or password is incorrect." in browser.text
    browser.click("Sign in", {"Email": "seller@example.com", "Password": "amazon-demo"})
    assert "Enter the code" in browser.text
    browser.click("Sign in", {"Enter the code": "000000"})
    assert "not valid" in browser.text
    browser.click("Sign in", {"Enter the code": "123456"})
    assert "I understand" in browser.text


def test_next_without_ticking_the_box_shows_an_error(browser):
    browser.start_consent(application_id=PLAIN_APP["application_id"], state="s")
    browser.sign_in()
    browser.click("Next")
    assert "Please confirm that you understand" in browser.text
    browser.click("Next", check=["I understand"])
    assert "You are almost done" in browser.text


def test_cancel_returns_access_denied_with_state(browser):
    browser.start_consent(application_id=PLAIN_APP["application_id"], state="st-cancel")
    browser.sign_in()
    browser.click("Cancel")
    assert browser.location.startswith(CALLBACK + "?")
    query = query_of(browser.location)
    assert query["state"] == "st-cancel"
    assert query["error"] == "access_denied"
    assert query["error_description"]
    assert "spapi_oauth_code" not in query


def test_signed_in_session_skips_sign_in(browser):
    browser.consent(PLAIN_APP["application_id"], "first")
    browser.start_consent(application_id=PLAIN_APP["application_id"], state="second")
    assert browser.response.url.endswith("/apps/authorize/review")
    browser.click("Next", check=["I understand"])
    browser.click("Continue")
    assert query_of(browser.location)["state"] == "second"


def test_session_cookie_is_http_only(browser):
    response = browser.http.get(browser.base_url + "/ap/signin")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_redirect_uri_keeps_its_own_query(emulator, browser):
    uri = "https://app.test/plugins/global/amazon/oauth/callback?channel=default"
    emulator.register_app(**{**PLAIN_APP, "redirect_uris": [uri]})
    browser.consent(PLAIN_APP["application_id"], "s")
    assert urlsplit(browser.location).path == urlsplit(uri).path
    query = query_of(browser.location)
    assert query["channel"] == "default" and query["state"] == "s"


def test_amazon_state_is_bound_to_the_seller_central_session_that_consented(emulator, browser):
    """Another browser coming back with the amazon_state is refused and uses nothing up (issue 16)."""
    emulator.register_app(**LOGIN_APP)
    browser.consent(LOGIN_APP["application_id"], "st-bound")
    params = query_of(browser.location)
    with Browser(emulator.url) as other:
        refused = other.back_from_login_uri(params, "attacker-state")
        assert refused.status_code == 400 and "expired or was already used" in refused.text
    confirmed = browser.back_from_login_uri(params, "st-bound")
    assert confirmed.status_code == 302 and query_of(confirmed.headers["Location"])["state"] == "st-bound"
