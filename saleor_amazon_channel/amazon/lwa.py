"""Login with Amazon: the authorization-code exchange and the refresh-token grant.

Both are form POSTs to :func:`endpoints.lwa_token_url`. An authorization code is
single use, so its exchange is never retried once it may have reached Amazon.
"""

from dataclasses import dataclass, field

import requests

from saleor_amazon_channel.amazon import endpoints
from saleor_amazon_channel.amazon.errors import (
    AmazonError,
    AmazonRequestError,
    AmazonUnavailable,
    InvalidClient,
    InvalidGrant,
    Throttled,
    UnauthorizedClient,
    safe_code,
)
from saleor_amazon_channel.amazon.http import AmazonHttp, Retry, json_body, retry_after_seconds
from saleor_amazon_channel.core.config import AmazonChannelConfig

DEFAULT_EXPIRES_IN = 3600

# LWA error code -> exception (the codes of Amazon's LWAExceptionErrorCode).
ERRORS = {
    "invalid_grant": InvalidGrant,
    "invalid_client": InvalidClient,
    "unauthorized_client": UnauthorizedClient,
    "server_error": AmazonUnavailable,
    "temporarily_unavailable": AmazonUnavailable,
}


@dataclass(frozen=True)
class Tokens:
    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_in: int = DEFAULT_EXPIRES_IN


def exchange_code(
    config: AmazonChannelConfig, code: str, redirect_uri: str, *, http: AmazonHttp | None = None
) -> Tokens:
    """Trade a ``spapi_oauth_code`` for tokens (the code lives five minutes)."""
    _require_credentials(config)
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": config.client_id,
        "client_secret": config.client_secret,
    }
    return _token_request(data, Retry.UNSENT, http, fallback_refresh_token=None)


def refresh_access_token(config: AmazonChannelConfig, refresh_token: str, *, http: AmazonHttp | None = None) -> Tokens:
    """A new access token for a refresh token (Amazon returns the same refresh token)."""
    _require_credentials(config)
    data = {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_id": config.client_id,
        "client_secret": config.client_secret,
    }
    return _token_request(data, Retry.SAFE, http, fallback_refresh_token=refresh_token)


def _require_credentials(config: AmazonChannelConfig) -> None:
    if not config.client_id or not config.client_secret:
        raise InvalidClient(
            "The plugin has no LWA client ID or client secret: fill them in on the plugin's configuration page.",
            code="missing_credentials",
        )


def _token_request(
    data: dict[str, str], retry: Retry, http: AmazonHttp | None, fallback_refresh_token: str | None
) -> Tokens:
    if http is None:
        with AmazonHttp() as own_http:
            return _token_request(data, retry, own_http, fallback_refresh_token)
    response = http.post_form(endpoints.lwa_token_url(), data, retry=retry)
    if response.status_code != 200:
        raise error_from_response(response)
    return _tokens_from(response, fallback_refresh_token)


def _tokens_from(response: requests.Response, fallback_refresh_token: str | None) -> Tokens:
    body = json_body(response)
    if not isinstance(body, dict) or not isinstance(body.get("access_token"), str) or not body["access_token"]:
        raise AmazonUnavailable("Amazon's token service sent an answer the plugin cannot read.", code="bad_response",
                                status=response.status_code)
    refresh_token = body.get("refresh_token") or fallback_refresh_token
    if not isinstance(refresh_token, str) or not refresh_token:
        raise AmazonUnavailable("Amazon's token service sent no refresh token.", code="bad_response",
                                status=response.status_code)
    try:
        expires_in = int(body.get("expires_in", DEFAULT_EXPIRES_IN))
    except (TypeError, ValueError):
        expires_in = DEFAULT_EXPIRES_IN
    return Tokens(body["access_token"], refresh_token, expires_in)


def error_from_response(response: requests.Response) -> AmazonError:
    """The exception for an LWA error answer (``{"error", "error_description"}``).

    Amazon's ``error_description`` stays out of the message: the message is ours,
    so it can never echo a code or token back to a person or a log.
    """
    status = response.status_code
    try:
        body = json_body(response)
    except AmazonError:
        body = None  # the status still says what happened
    error_code = safe_code(body.get("error"), "") if isinstance(body, dict) else ""
    if status == 429:
        return Throttled(
            "Amazon's token service is limiting requests. Please try again in a minute.",
            code=error_code or "http_429",
            retry_after=retry_after_seconds(response),
        )
    cls = ERRORS.get(error_code or "")
    if cls is None:
        cls = AmazonUnavailable if status >= 500 else AmazonRequestError
    return cls(code=error_code or f"http_{status}", status=status)
