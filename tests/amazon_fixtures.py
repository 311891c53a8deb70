"""The Amazon emulator as a test fixture, and a scripted seller's browser.

``emulator`` starts a loopback emulator, registers the plugin's application in it
(the constants of tests/fixtures.py, our Redirect and Log-in URIs) with three
sellers, and points every Amazon URL setting at it. Shared by the OAuth, token,
health and task tests; imported by tests/fixtures.py.
"""

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from django.core.cache import cache

from amazon_emulator import Emulator
from saleor_amazon_channel.core.urls import plugin_url

US, CA, MX = "ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8"
GB, DE = "A1F83G8C2ARO7P", "A1PA6795UKMFR9"

PUBLIC_URL = "http://testserver"
REDIRECT_URI = PUBLIC_URL + plugin_url("oauth/callback")
LOGIN_URI = PUBLIC_URL + plugin_url("oauth/login")
PASSWORD = "seller-password-1"
OTP = "123456"


@dataclass(frozen=True)
class TestSeller:
    email: str
    selling_partner_id: str
    region: str
    marketplaces: dict
    store_name: str


# Sells in the US and Canada, registered in Mexico without selling there.
SELLER_A = TestSeller("seller-a@example.com", "A1SELLERAAAAAA", "NA", {US: True, CA: True, MX: False}, "Store A")
SELLER_B = TestSeller("seller-b@example.com", "A2SELLERBBBBBB", "NA", {US: True}, "Store B")
SELLER_EU = TestSeller("seller-eu@example.com", "A3SELLEREUEUEU", "EU", {GB: True, DE: True}, "Store EU")
SELLERS = (SELLER_A, SELLER_B, SELLER_EU)


def start_emulator(draft=False, login_uri=LOGIN_URI, **emulator_options) -> Emulator:
    """A running emulator with the plugin's app and the test sellers (the caller stops it)."""
    from tests.fixtures import APPLICATION_ID, CLIENT_ID, CLIENT_SECRET

    emu = Emulator(**emulator_options).start()
    emu.register_app(APPLICATION_ID, CLIENT_ID, CLIENT_SECRET, [REDIRECT_URI], login_uri=login_uri, draft=draft,
                     name="Saleor Amazon Channel (tests)")
    for seller in SELLERS:
        emu.add_seller(seller.email, PASSWORD, seller.selling_partner_id, region=seller.region,
                       marketplaces=dict(seller.marketplaces), otp=OTP, store_name=seller.store_name)
    return emu


def point_settings_at(settings, emu: Emulator):
    settings.AMAZON_CHANNEL_SELLER_CENTRAL_URL = emu.url
    settings.AMAZON_CHANNEL_LWA_TOKEN_URL = emu.url + "/auth/o2/token"
    settings.AMAZON_CHANNEL_SP_API_URL = emu.url
    settings.PUBLIC_URL = PUBLIC_URL


@pytest.fixture
def emulator(settings):
    """A running Amazon emulator the plugin talks to over real HTTP."""
    emu = start_emulator()
    point_settings_at(settings, emu)
    cache.clear()  # access tokens of earlier tests
    try:
        yield emu
    finally:
        emu.stop()
        cache.clear()


CONFIRM_FORM = "data-consent-confirm"


def hidden_fields(page: str) -> dict:
    """The hidden inputs of the plugin's confirmation form."""
    import html
    import re

    fields = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page)
    return {name: html.unescape(value) for name, value in fields}


def query_of(url: str) -> dict:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


class SellerBrowser:
    """One seller's browser: a Django test client for our pages, real HTTP for Amazon's.

    Drives Seller Central's forms by their documented steps (sign-in, two-step
    verification, "I understand" + Next, Continue) and follows redirects from one
    side to the other, stopping when it reaches our dashboard page.
    """

    def __init__(self, emu: Emulator, django_client=None):
        from django.test import Client

        self.emu = emu
        self.client = django_client or Client()
        self.amazon = requests.Session()
        self.amazon.trust_env = False
        self.last = None  # (status, url or location, text)
        self.history: list[str] = []
        self.stop_at: str | None = None  # a URL prefix not to open (e.g. our callback)
        # The plugin's confirmation page (the Log-in URI of a consent this browser started): the merchant's
        # one click. "confirm" submits it, "cancel" cancels, False stops there.
        self.auto_confirm: str | bool = "confirm"

    def close(self):
        self.amazon.close()

    # -- navigation ----------------------------------------------------------

    def open(self, url: str):
        """GET ``url`` and follow redirects across both sites; returns the last response."""
        for _ in range(20):
            self.history.append(url)
            if self.stop_at and url.startswith(self.stop_at):
                self.last = (302, url, "")
                return self.last
            if url.startswith(self.emu.url):
                response = self.amazon.get(url, allow_redirects=False, timeout=10)
                status, location, text = response.status_code, response.headers.get("Location"), response.text
                self.last_headers = dict(response.headers)
            else:
                path = url[len(PUBLIC_URL):] if url.startswith(PUBLIC_URL) else url
                response = self.client.get(path)
                status, location = response.status_code, response.headers.get("Location")
                text = response.content.decode(errors="replace")
                self.last_headers = dict(response.headers)
            self.last = (status, url, text)
            if status == 200 and self.auto_confirm and not url.startswith(self.emu.url) and CONFIRM_FORM in text:
                action = "cancel" if self.auto_confirm == "cancel" else "confirm"
                response = self.client.post(path.split("?")[0], {**hidden_fields(text), "action": action},
                                            HTTP_SEC_FETCH_SITE="same-origin")
                status, location = response.status_code, response.headers.get("Location")
                self.last_headers = dict(response.headers)
                self.last = (status, url, response.content.decode(errors="replace"))
            if status in (301, 302, 303, 307) and location:
                if location.startswith("/"):
                    base = self.emu.url if url.startswith(self.emu.url) else PUBLIC_URL
                    location = base + location
                if location.startswith(PUBLIC_URL + plugin_url("app/")):
                    self.history.append(location)
                    self.last = (status, location, "")
                    return self.last
                url = location
                continue
            return self.last
        raise AssertionError("too many redirects: " + " -> ".join(u.split("?")[0] for u in self.history))

    def post_amazon(self, path: str, data: dict):
        response = self.amazon.post(self.emu.url + path, data=data, allow_redirects=False, timeout=10)
        self.last_headers = dict(response.headers)
        if response.status_code in (301, 302, 303) and response.headers.get("Location"):
            location = response.headers["Location"]
            return self.open(self.emu.url + location if location.startswith("/") else location)
        self.last = (response.status_code, self.emu.url + path, response.text)
        return self.last

    @property
    def url(self) -> str:
        return self.last[1]

    @property
    def text(self) -> str:
        return self.last[2]

    @property
    def result(self) -> dict:
        """The query of our dashboard return page, where the flow ended."""
        assert self.url.startswith(PUBLIC_URL + plugin_url("app/")), (
            self.last[0],
            self.url.split("?")[0],
            self.text[:500],
        )
        return query_of(self.url)

    # -- Seller Central ------------------------------------------------------

    def sign_in(self, seller: TestSeller):
        assert "Sign in" in self.text, self.text[:500]
        self.post_amazon("/ap/signin", {"email": seller.email, "password": PASSWORD})
        assert "Two-Step Verification" in self.text, self.text[:500]
        return self.post_amazon("/ap/mfa", {"otp": OTP})

    def agree(self):
        assert "I understand" in self.text, self.text[:500]
        self.post_amazon("/apps/authorize/review", {"understand": "yes", "action": "next"})
        assert "You are almost done" in self.text, self.text[:500]
        return self.post_amazon("/apps/authorize/continue", {})

    def cancel(self):
        assert "I understand" in self.text, self.text[:500]
        return self.post_amazon("/apps/authorize/review", {"action": "cancel"})

    def consent(self, consent_url: str, seller: TestSeller, signed_in=False):
        """The whole journey from our consent URL to our dashboard page."""
        self.open(consent_url)
        if not signed_in and "I understand" not in self.text:
            self.sign_in(seller)
        return self.agree()

    def stop_before_login_uri(self, consent_url: str, seller: TestSeller):
        """Consent, but stop where Amazon sends the browser to our Log-in URI; returns that URL."""
        self.open(consent_url)
        self.sign_in(seller)
        assert "I understand" in self.text
        response = self.amazon.post(
            self.emu.url + "/apps/authorize/review",
            data={"understand": "yes", "action": "next"},
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302
        response = self.amazon.post(
            self.emu.url + "/apps/authorize/continue", data={}, allow_redirects=False, timeout=10
        )
        assert response.status_code == 302, response.text[:300]
        return response.headers["Location"]


@pytest.fixture
def seller_browser(emulator):
    browser = SellerBrowser(emulator)
    yield browser
    browser.close()


def consent_at_amazon(http: requests.Session, emu: Emulator, seller: TestSeller, state: str, **params: str):
    """Walk Seller Central's consent in ``http`` as ``seller`` (sign-in, MFA, review) and press Continue:
    Amazon's answer, a redirect to the app's Log-in URI, is returned unfollowed."""
    from tests.fixtures import APPLICATION_ID

    def follow(response):
        while response.status_code == 302 and response.headers["Location"].startswith("/"):
            response = http.get(emu.url + response.headers["Location"], allow_redirects=False, timeout=10)
        return response

    follow(http.get(emu.url + "/apps/authorize/consent", params={"application_id": APPLICATION_ID, "state": state,
                                                                   **params},
                    allow_redirects=False, timeout=10))
    follow(http.post(emu.url + "/ap/signin", data={"email": seller.email, "password": PASSWORD},
                     allow_redirects=False, timeout=10))
    follow(http.post(emu.url + "/ap/mfa", data={"otp": OTP}, allow_redirects=False, timeout=10))
    follow(http.post(emu.url + "/apps/authorize/review", data={"understand": "yes", "action": "next"},
                     allow_redirects=False, timeout=10))
    return http.post(emu.url + "/apps/authorize/continue", data={}, allow_redirects=False, timeout=10)


def obtain_code(emu: Emulator, seller: TestSeller, state: str = "test-state") -> str:
    """A fresh ``spapi_oauth_code`` for ``seller``, obtained at Amazon without the plugin's routes."""
    with requests.Session() as http:
        http.trust_env = False
        login = consent_at_amazon(http, emu, seller, state, redirect_uri=REDIRECT_URI)
        params = query_of(login.headers["Location"])
        back = http.get(params["amazon_callback_uri"], params={"amazon_state": params["amazon_state"], "state": state,
                                                               "redirect_uri": REDIRECT_URI},
                        allow_redirects=False, timeout=10)
        return query_of(back.headers["Location"])["spapi_oauth_code"]
