"""Tiny request/response types so the protocol modules stay free of http.server."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

SESSION_COOKIE = "amazon_emulator_session"

# Amazon advises this on every page that carries state/codes in its URL.
PAGE_HEADERS = (
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-store"),
)


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    def form_pairs(self) -> list[tuple[str, str]]:
        return parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True)

    def form(self) -> dict[str, str]:
        """URL-encoded body; the first value wins for repeated keys."""
        return first_values(self.form_pairs())

    def json(self):
        return json.loads(self.body.decode("utf-8") or "null")


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    # Fault shapes (faults.py): the body sent one byte every ``trickle`` seconds, or streamed from ``chunks``
    # with chunked transfer encoding instead of ``body``.
    trickle: float = 0.0
    chunks: Iterable[bytes] | None = None


def first_values(pairs: list[tuple[str, str]]) -> dict[str, str]:
    result: dict[str, str] = {}
    for key, value in pairs:
        result.setdefault(key, value)
    return result


def json_response(status: int, payload, headers=()) -> Response:
    body = json.dumps(payload).encode()
    return Response(
        status,
        body,
        [("Content-Type", "application/json;charset=UTF-8"), *headers],
    )


def html_response(status: int, html: str, headers=()) -> Response:
    return Response(
        status,
        html.encode(),
        [("Content-Type", "text/html; charset=utf-8"), *PAGE_HEADERS, *headers],
    )


def redirect(location: str, headers=()) -> Response:
    return Response(302, b"", [("Location", location), *PAGE_HEADERS, *headers])


def add_query(url: str, params: dict[str, str]) -> str:
    """Append ``params`` to ``url``, keeping any query it already has."""
    scheme, netloc, path, query, fragment = urlsplit(url)
    pairs = parse_qsl(query, keep_blank_values=True) + list(params.items())
    return urlunsplit((scheme, netloc, path, urlencode(pairs), fragment))


def parse_cookies(header: str) -> dict[str, str]:
    cookie = SimpleCookie()
    try:
        cookie.load(header)
    except Exception:  # a malformed Cookie header from some other app on 127.0.0.1
        return {}
    return {key: morsel.value for key, morsel in cookie.items()}


def session_cookie(session_id: str) -> tuple[str, str]:
    # Cookies are shared by every port on 127.0.0.1, hence the distinctive name.
    return (
        "Set-Cookie",
        f"{SESSION_COOKIE}={session_id}; Path=/; HttpOnly; SameSite=Lax",
    )


class Halt(Exception):
    """Raised by a handler to answer early with ``response``."""

    def __init__(self, response: Response):
        super().__init__(response.status)
        self.response = response
