"""What can go wrong when talking to Amazon, as exceptions callers can act on.

``code`` is short and machine-readable (LWA's own error code, SP-API's error
code, ``http_503``, ``timeout``...); ``message`` is for a person and never holds a
token, code or secret; ``retryable`` says whether trying again later may help.
"""


import re
from typing import Any

_CODE_RE = re.compile(r"[^A-Za-z0-9_.-]")


def safe_code(value: object, fallback: str) -> str:
    """An error code from Amazon, reduced to a short token fit for logs and audit."""
    if not isinstance(value, str) or not value:
        return fallback
    return _CODE_RE.sub("", value)[:64] or fallback


class AmazonError(Exception):
    default_code = "amazon_error"
    default_message = "Amazon answered with an error."
    retryable = False

    def __init__(self, message: str | None = None, *, code: str | None = None, status: int | None = None,
                 retryable: bool | None = None) -> None:
        self.message = message or self.default_message
        self.code = code or self.default_code
        self.status = status
        if retryable is not None:
            self.retryable = retryable
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, status={self.status!r}, message={self.message!r})"


class InvalidGrant(AmazonError):
    """LWA ``invalid_grant``: a revoked or expired refresh token, or a bad, used or expired code."""

    default_code = "invalid_grant"
    default_message = "Amazon no longer accepts this authorization: it was revoked, expired or already used."


class InvalidClient(AmazonError):
    """LWA ``invalid_client``: the plugin's LWA client ID or secret is wrong or expired."""

    default_code = "invalid_client"
    default_message = (
        "Amazon rejected the plugin's LWA client ID or client secret: check them on the plugin's configuration "
        "page (the secret must be rotated every 180 days)."
    )


class UnauthorizedClient(AmazonError):
    default_code = "unauthorized_client"
    default_message = "Amazon does not allow this application to request this authorization."


class AmazonUnavailable(AmazonError):
    """5xx, timeouts, connection errors, LWA ``server_error``/``temporarily_unavailable``."""

    default_code = "unavailable"
    default_message = "Amazon is not reachable right now. Please try again in a few minutes."
    retryable = True


class Throttled(AmazonError):
    """HTTP 429 (SP-API ``QuotaExceeded``)."""

    default_code = "QuotaExceeded"
    default_message = "Amazon is limiting how often this seller's data can be read. Please try again in a minute."
    retryable = True

    def __init__(self, message: str | None = None, *, retry_after: float | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("status", 429)
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class Forbidden(AmazonError):
    """SP-API 403: token revoked or invalid, a missing role, or the wrong regional host."""

    default_code = "Unauthorized"
    default_message = (
        "Amazon denied access to the seller's data: the authorization may have been revoked, or the "
        "application lacks the required role."
    )


class AmazonRequestError(AmazonError):
    """Any other 4xx: the request itself was wrong."""

    default_code = "invalid_request"
    default_message = "Amazon rejected the request."
