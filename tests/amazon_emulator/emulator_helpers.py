"""A tiny scripted browser for the emulator's HTML, and the test fixtures' data.

The browser follows redirects while they stay on the emulator and stops at
the first one that leaves it (the app's log-in or redirect URI), which is
where the app under test would take over.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import requests

PLAIN_APP = {
    "application_id": "amzn1.sellerapps.app.plain-0001",
    "client_id": "amzn1.application-oa2-client.plain",
    "client_secret": "plain-secret",
    "redirect_uris": ["https://app.test/oauth/callback", "https://app.test/oauth/other"],
    "name": "Plain Test App",
}
LOGIN_APP = {
    "application_id": "amzn1.sellerapps.app.login-0002",
    "client_id": "amzn1.application-oa2-client.login",
    "client_secret": "login-secret",
    "redirect_uris": ["https://app.test/oauth/callback"],
    "login_uri": "https://app.test/oauth/login",
    "name": "Login Test App",
}
SELLER = {"email": "seller@example.com", "password": "amazon-demo", "otp": "123456"}
SELLER_ID = "A2DEMOSELLER01"


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)  # defaults (hidden, text)
    checkboxes: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (name, value)
    inputs_by_id: dict[str, str] = field(default_factory=dict)  # id -> name
    labels: dict[str, str] = field(default_factory=dict)  # label text -> input id
    buttons: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self.labels: dict[str, str] = {}
        self._form: Form | None = None
        self._text_for: tuple[str, object, list[str]] | None = None  # (kind, key, chunks)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = Form(attrs.get("action", ""), attrs.get("method", "get").lower())
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None:
            name, kind = attrs.get("name"), attrs.get("type", "text")
            if attrs.get("id"):
                self._form.inputs_by_id[attrs["id"]] = name
            if kind == "checkbox":
                self._form.checkboxes[attrs.get("id", name)] = (name, attrs.get("value", "on"))
            elif name:
                self._form.fields[name] = attrs.get("value", "")
        elif tag == "button" and self._form is not None:
            self._text_for = ("button", (attrs.get("name"), attrs.get("value")), [])
        elif tag == "label":
            self._text_for = ("label", attrs.get("for"), [])

    def handle_data(self, data):
        if self._text_for:
            self._text_for[2].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag in ("button", "label") and self._text_for:
            kind, key, chunks = self._text_for
            text = " ".join("".join(chunks).split())
            if kind == "button":
                self._form.buttons[text] = key
            else:
                self.labels[text] = key
            self._text_for = None


def parse_forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    for form in parser.forms:
        form.labels = {
            text: input_id
            for text, input_id in parser.labels.items()
            if input_id in form.inputs_by_id
        }
    return parser.forms


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


class Browser:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.http = requests.Session()
        self.response: requests.Response | None = None

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc_info) -> None:
        self.http.close()

    # -- navigation ----------------------------------------------------------

    def open(self, path_or_url: str) -> requests.Response:
        return self._follow(
            self.http.get(urljoin(self.base_url, path_or_url), allow_redirects=False)
        )

    def _follow(self, response: requests.Response) -> requests.Response:
        while response.is_redirect:
            location = urljoin(response.url, response.headers["Location"])
            if not location.startswith(self.base_url):
                break  # leaving Amazon: the app's turn
            response = self.http.get(location, allow_redirects=False)
        self.response = response
        return response

    @property
    def location(self) -> str:
        """Where the browser was sent outside the emulator."""
        assert self.response.is_redirect, (self.response.status_code, self.response.text[:500])
        return self.response.headers["Location"]

    @property
    def text(self) -> str:
        return self.response.text

    # -- forms ---------------------------------------------------------------

    def click(self, button: str, fill: dict[str, str] | None = None, check=()) -> requests.Response:
        """Submit the form holding ``button``, filling inputs by label text prefix."""
        for form in parse_forms(self.response.text):
            if button in form.buttons:
                break
        else:
            raise AssertionError(f"no button {button!r} on the page:\n{self.response.text}")
        data = dict(form.fields)
        for label_prefix, value in (fill or {}).items():
            data[form.inputs_by_id[self._label(form, label_prefix)]] = value
        for label_prefix in check:
            name, value = form.checkboxes[self._label(form, label_prefix)]
            data[name] = value
        name, value = form.buttons[button]
        if name:
            data[name] = value
        url = urljoin(self.response.url, form.action)
        return self._follow(self.http.post(url, data=data, allow_redirects=False))

    @staticmethod
    def _label(form: Form, prefix: str) -> str:
        matches = [input_id for text, input_id in form.labels.items() if text.startswith(prefix)]
        assert len(matches) == 1, f"label {prefix!r} matches {matches} in {form.labels}"
        return matches[0]

    # -- Seller Central steps ------------------------------------------------

    def sign_in(self, email=SELLER["email"], password=SELLER["password"], otp=SELLER["otp"]):
        assert "Sign in" in self.text
        self.click("Sign in", {"Email": email, "Password": password})
        return self.click("Sign in", {"Enter the code": otp})

    def consent(self, application_id: str, state: str, **params):
        """Open the consent URL, sign in if needed, tick "I understand", Next, Continue."""
        self.start_consent(application_id=application_id, state=state, **params)
        if self.response.url.endswith("/ap/signin"):
            self.sign_in()
        self.click("Next", check=["I understand"])
        assert "You are almost done" in self.text
        return self.click("Continue")

    def back_from_login_uri(self, login: dict, state: str | None = "s", url=None, **extra):
        """What the app's log-in page does: send the browser to ``amazon_callback_uri``.

        ``login`` is the query Amazon sent to the log-in URI; ``url`` overrides
        the callback (to try another app's); ``state=None`` leaves state out.
        """
        query = {"amazon_state": login["amazon_state"], **extra}
        if state is not None:
            query["state"] = state
        return self.http.get(
            url or login["amazon_callback_uri"], params=query, allow_redirects=False
        )

    def start_consent(self, **query) -> requests.Response:
        """What the app's Connect button does: send the browser to the consent URL."""
        return self._follow(
            self.http.get(
                self.base_url + "/apps/authorize/consent", params=query, allow_redirects=False
            )
        )


# -- app side: what the plugin does with LWA and SP-API ----------------------


def token_request(base_url: str, **form) -> requests.Response:
    return requests.post(base_url + "/auth/o2/token", data=form, timeout=5)


def exchange_code(base_url: str, app: dict, code: str, redirect_uri: str | None = None):
    return token_request(
        base_url,
        grant_type="authorization_code",
        code=code,
        redirect_uri=redirect_uri or app["redirect_uris"][0],
        client_id=app["client_id"],
        client_secret=app["client_secret"],
    )


def refresh(base_url: str, app: dict, refresh_token: str) -> requests.Response:
    return token_request(
        base_url,
        grant_type="refresh_token",
        refresh_token=refresh_token,
        client_id=app["client_id"],
        client_secret=app["client_secret"],
    )


def participations(base_url: str, access_token: str | None) -> requests.Response:
    headers = {"x-amz-access-token": access_token} if access_token else {}
    return requests.get(
        base_url + "/sellers/v1/marketplaceParticipations", headers=headers, timeout=5
    )


def authorize(browser: Browser, app: dict = PLAIN_APP, state: str = "st-1") -> dict[str, str]:
    """Run the whole website flow for an app without log-in URI; the redirect's query."""
    browser.consent(app["application_id"], state)
    return query_of(browser.location)


def connect(browser: Browser, app: dict = PLAIN_APP) -> dict:
    """Authorize and exchange the code: the LWA token response."""
    code = authorize(browser, app)["spapi_oauth_code"]
    response = exchange_code(browser.base_url, app, code)
    assert response.status_code == 200, response.text
    return response.json()
