"""Manage Your Apps: list, Re-Authorize (Appstore/renewal flow), Revoke."""

from emulator_helpers import (
    LOGIN_APP,
    PLAIN_APP,
    SELLER_ID,
    exchange_code,
    participations,
    query_of,
    refresh,
)


def _connect_login_app(emulator, browser) -> dict:
    browser.consent(LOGIN_APP["application_id"], "s")
    params = query_of(browser.location)
    confirm = browser.back_from_login_uri(params)
    code = query_of(confirm.headers["Location"])["spapi_oauth_code"]
    return exchange_code(emulator.url, LOGIN_APP, code).json()


def test_manage_requires_sign_in_and_lists_authorized_apps(emulator, browser):
    browser.open("/apps/manage")
    assert browser.response.url.endswith("/ap/signin")
    browser.sign_in()
    assert browser.response.url.endswith("/apps/manage")
    assert "You have not authorized any applications." in browser.text

    _connect_login_app(emulator, browser)
    browser.open("/apps/manage")
    assert "Login Test App" in browser.text and "Plain Test App" not in browser.text
    assert browser.text.count(">Re-Authorize</button>") == 1


def test_reauthorize_goes_to_login_uri_and_issues_a_new_refresh_token(emulator, browser):
    first = _connect_login_app(emulator, browser)
    browser.open("/apps/manage")
    browser.click("Re-Authorize")

    login = browser.location
    assert login.startswith(LOGIN_APP["login_uri"] + "?")
    params = query_of(login)
    assert set(params) == {"amazon_callback_uri", "amazon_state", "selling_partner_id"}
    assert params["selling_partner_id"] == SELLER_ID

    # The app's log-in page comes back with a state of its own.
    confirm = browser.back_from_login_uri(
        params, "renewal-state", redirect_uri=LOGIN_APP["redirect_uris"][0]
    )
    assert confirm.status_code == 302
    query = query_of(confirm.headers["Location"])
    assert query["state"] == "renewal-state" and query["selling_partner_id"] == SELLER_ID
    second = exchange_code(emulator.url, LOGIN_APP, query["spapi_oauth_code"]).json()
    assert second["refresh_token"] != first["refresh_token"]
    # The older grant is not invalidated.
    assert refresh(emulator.url, LOGIN_APP, first["refresh_token"]).status_code == 200


def test_reauthorize_of_a_draft_app_adds_version_beta(emulator, browser):
    emulator.register_app(**LOGIN_APP, draft=True)
    browser.consent(LOGIN_APP["application_id"], "s", version="beta")
    params = query_of(browser.location)
    confirm = browser.back_from_login_uri(params, version="beta")
    exchange_code(
        emulator.url, LOGIN_APP, query_of(confirm.headers["Location"])["spapi_oauth_code"]
    )
    browser.open("/apps/manage")
    browser.click("Re-Authorize")
    assert query_of(browser.location)["version"] == "beta"


def test_app_without_login_uri_cannot_be_reauthorized(emulator, browser):
    browser.consent(PLAIN_APP["application_id"], "s")
    exchange_code(emulator.url, PLAIN_APP, query_of(browser.location)["spapi_oauth_code"])
    browser.open("/apps/manage")
    browser.click("Re-Authorize")
    assert browser.response.status_code == 400
    assert "no log-in URI" in browser.text


def test_revoke_button(emulator, browser):
    tokens = _connect_login_app(emulator, browser)
    browser.open("/apps/manage")
    browser.click("Revoke")
    assert browser.response.url.endswith("/apps/manage")
    assert "You have not authorized any applications." in browser.text
    assert (
        refresh(emulator.url, LOGIN_APP, tokens["refresh_token"]).json()["error"] == "invalid_grant"
    )
    assert participations(emulator.url, tokens["access_token"]).status_code == 403


def test_sign_out(browser):
    browser.open("/apps/manage")
    browser.sign_in()
    browser.click("Sign out")
    browser.open("/apps/manage")
    assert browser.response.url.endswith("/ap/signin")
