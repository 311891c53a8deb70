"""Reading an SP-API answer: one GET, its error shape, and the one field a caller needs.

Every SP-API operation the plugin calls (the Sellers API, the Catalog Items API) answers
errors as ``{"errors": [{"code", "message", "details"}]}`` and data under one top-level
key; this module turns both into values or :class:`AmazonError` subclasses, once.
"""

import unicodedata
from typing import Any

import requests

from saleor_amazon_channel.amazon.errors import (
    AmazonError,
    AmazonRequestError,
    AmazonUnavailable,
    Forbidden,
    Throttled,
    safe_code,
)
from saleor_amazon_channel.amazon.http import AmazonHttp, json_body, retry_after_seconds

# Cc controls (NUL among them: PostgreSQL refuses it in text and JSON), Cf format characters, Cs lone surrogates.
_UNSTORABLE = frozenset({"Cc", "Cf", "Cs"})


def clean_text(value: object, limit: int) -> str | None:
    """Text from Amazon fit to store and show: without control, format or surrogate characters, whitespace
    collapsed, at most ``limit`` characters; None when it is not a string."""
    if not isinstance(value, str):
        return None
    kept = "".join(c for c in value if unicodedata.category(c) not in _UNSTORABLE or c in "\t\n\r")
    return " ".join(unicodedata.normalize("NFC", kept).split())[:limit]


def get_field(http: AmazonHttp, url: str, access_token: str, key: str, api: str) -> tuple[dict[str, Any], list[Any],
                                                                                      requests.Response]:
    """GET ``url`` and return ``(body, body[key], response)``; ``body[key]`` must be a list.

    Raises :func:`error_from_response`'s exception for an error answer, and
    :class:`AmazonUnavailable` (``bad_response``) when the answer cannot be read.
    """
    response = http.get(url, headers={"x-amz-access-token": access_token, "Accept": "application/json"})
    if response.status_code != 200:
        raise error_from_response(response)
    body = json_body(response)
    value = body.get(key) if isinstance(body, dict) else None
    if not isinstance(body, dict) or not isinstance(value, list):
        raise AmazonUnavailable(f"Amazon's {api} sent an answer the plugin cannot read.", code="bad_response",
                                status=response.status_code)
    return body, value, response


def error_from_response(response: requests.Response) -> AmazonError:
    """The exception for an SP-API error answer (``{"errors": [{"code", "message", "details"}]}``)."""
    status = response.status_code
    try:
        body = json_body(response)
    except AmazonError:
        body = None  # the status still says what happened
    errors = body.get("errors") if isinstance(body, dict) else None
    first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
    code = safe_code(first.get("code"), f"http_{status}")
    if status == 429:
        return Throttled(code=code, retry_after=retry_after_seconds(response))
    if status in (401, 403):
        return Forbidden(code=code, status=status)
    if status >= 500:
        return AmazonUnavailable(code=code, status=status)
    return AmazonRequestError(code=code, status=status)
