"""Reading an SP-API answer: one GET, its error shape, and the one field a caller needs.

Every SP-API operation the plugin calls (the Sellers API, the Catalog Items API) answers
errors as ``{"errors": [{"code", "message", "details"}]}`` and data under one top-level
key; this module turns both into values or :class:`AmazonError` subclasses, once.
"""

import json
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
from saleor_amazon_channel.amazon.http import AmazonHttp, Retry, json_body, retry_after_seconds

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


def call(http: AmazonHttp, method: str, url: str, access_token: str, body: Any = None, *,
         api: str = "Selling Partner API") -> tuple[dict[str, Any], requests.Response]:
    """One SP-API request with a JSON body (or none); ``(answer, response)`` for a 2xx JSON object.

    Reads retry 429/5xx within :class:`AmazonHttp`'s budget; writes are sent once unless the
    connection never opened (the caller owns pacing and further retries).
    """
    headers = {"x-amz-access-token": access_token, "Accept": "application/json"}
    kwargs: dict[str, Any] = {"headers": headers}
    if body is not None:
        headers["Content-Type"] = "application/json"
        kwargs["data"] = json.dumps(body, separators=(",", ":")).encode()
    retry = Retry.SAFE if method == "GET" else Retry.UNSENT
    response = http.request(method, url, retry=retry, **kwargs)
    if not 200 <= response.status_code < 300:
        raise error_from_response(response)
    if response.status_code == 204 or not response.content:
        return {}, response
    answer = json_body(response)
    if not isinstance(answer, dict):
        raise AmazonUnavailable(f"Amazon's {api} sent an answer the plugin cannot read.", code="bad_response",
                                status=response.status_code)
    return answer, response


def rate_limit(response: requests.Response) -> str | None:
    value: str | None = response.headers.get("x-amzn-RateLimit-Limit")
    return value


def clean_issues(raw: object, limit: int | None = 50) -> list[dict[str, Any]]:
    """Amazon's issues (Listings Items, feed reports) fit to store and show: known fields, clean text; at most
    ``limit`` of them (a listing's; a feed's report keeps all)."""
    issues: list[dict[str, Any]] = []
    for issue in raw if isinstance(raw, list) else []:
        if not isinstance(issue, dict):
            continue
        names = issue.get("attributeNames")
        if not isinstance(names, list) and isinstance(issue.get("attributeName"), str):
            names = [issue["attributeName"]]
        cleaned: dict[str, Any] = {
            "code": clean_text(issue.get("code"), 64) or "",
            "severity": clean_text(issue.get("severity"), 16) or "",
            "message": clean_text(issue.get("message"), 2000) or "",
            "attributeNames": [n for n in (clean_text(n, 100) for n in (names or [])[:20]) if n],
        }
        if isinstance(issue.get("messageId"), int):
            cleaned["messageId"] = issue["messageId"]
        issues.append(cleaned)
        if limit is not None and len(issues) >= limit:
            break
    return issues
