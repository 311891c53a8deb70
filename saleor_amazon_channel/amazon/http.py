"""HTTP to Amazon: one ``requests.Session`` per client object, timeouts, bounded retries.

Retries follow what is safe to repeat:

- ``Retry.SAFE`` (reads, refresh-token grants): 429, 5xx, timeouts and connection
  errors are retried with exponential backoff, honouring ``Retry-After``.
- ``Retry.UNSENT`` (the authorization-code grant: codes are single use): retried
  only when the request provably never left, i.e. the connection could not be opened.

The whole call, waits included, stays within a small time budget so a web request
never hangs on Amazon. Settings (optional): ``AMAZON_CHANNEL_HTTP_TIMEOUT`` (seconds,
or ``(connect, read)``; default ``(5, 20)``), ``AMAZON_CHANNEL_HTTP_RETRY_BUDGET``
(seconds; default 4) and ``AMAZON_CHANNEL_HTTP_MAX_ATTEMPTS`` (default 3).
"""

import email.utils
import enum
import logging
import random
import time
from collections.abc import Callable
from typing import Any, Self
from urllib.parse import urlsplit

import requests
from django.conf import settings
from urllib3.exceptions import NewConnectionError

from saleor_amazon_channel import __version__
from saleor_amazon_channel.amazon.errors import AmazonUnavailable

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = (5.0, 20.0)
DEFAULT_RETRY_BUDGET = 4.0
DEFAULT_MAX_ATTEMPTS = 3
BACKOFF_BASE = 0.5
# Amazon asks for "AppName/Version (Language=...)".
USER_AGENT = f"saleor-amazon-channel/{__version__} (Language=Python)"


class Retry(enum.Enum):
    SAFE = "safe"
    UNSENT = "unsent"


def configured_timeout() -> tuple[float, float]:
    value = getattr(settings, "AMAZON_CHANNEL_HTTP_TIMEOUT", None)
    if value is None:
        return DEFAULT_TIMEOUT
    if isinstance(value, (int, float)):
        return (float(value), float(value))
    connect, read = value
    return (float(connect), float(read))


def retry_after_seconds(response: requests.Response) -> float | None:
    """``Retry-After`` as seconds (delta or HTTP date); None when absent or unreadable."""
    value = (response.headers.get("Retry-After") or "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _never_sent(error: requests.RequestException) -> bool:
    """True when the connection could not even be opened, so Amazon never saw the request."""
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return True
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, NewConnectionError)


def _retryable_status(status: int) -> bool:
    return status == 429 or status >= 500


class AmazonHttp:
    """A small HTTP client; use one per call site (``with AmazonHttp() as http:``)."""

    def __init__(
        self,
        *,
        timeout: float | tuple[float, float] | None = None,
        retry_budget: float | None = None,
        max_attempts: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.timeout = timeout or configured_timeout()
        self.retry_budget = float(
            retry_budget if retry_budget is not None
            else getattr(settings, "AMAZON_CHANNEL_HTTP_RETRY_BUDGET", DEFAULT_RETRY_BUDGET)
        )
        self.max_attempts = int(
            max_attempts if max_attempts is not None
            else getattr(settings, "AMAZON_CHANNEL_HTTP_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)
        )
        self.sleep = sleep
        # Seconds spent waiting on Amazon (requests and backoff), for timing our own share.
        self.elapsed = 0.0
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def get(self, url: str, *, headers: dict[str, str] | None = None) -> requests.Response:
        return self.request("GET", url, retry=Retry.SAFE, headers=headers)

    def post_form(self, url: str, data: dict[str, str], *, retry: Retry) -> requests.Response:
        return self.request("POST", url, retry=retry, data=data)

    def request(self, method: str, url: str, *, retry: Retry, **kwargs: Any) -> requests.Response:
        """The response, whatever its status, after at most ``max_attempts`` tries.

        Raises :class:`AmazonUnavailable` (code ``timeout`` or ``connection_error``)
        when no response came back.
        """
        started = time.monotonic()
        try:
            return self._request(method, url, retry, started, **kwargs)
        finally:
            self.elapsed += time.monotonic() - started

    def _request(self, method: str, url: str, retry: Retry, started: float, **kwargs: Any) -> requests.Response:
        path = urlsplit(url).path  # never the query: it may carry secrets
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self.session.request(method, url, timeout=self.timeout, allow_redirects=False, **kwargs)
            except requests.Timeout as error:
                may_retry = retry is Retry.SAFE or _never_sent(error)
                failure = AmazonUnavailable("Amazon did not answer in time. Please try again.", code="timeout")
            except requests.ConnectionError as error:
                may_retry = retry is Retry.SAFE or _never_sent(error)
                failure = AmazonUnavailable(
                    "Amazon could not be reached. Please try again in a few minutes.", code="connection_error"
                )
            except requests.RequestException:
                logger.warning("amazon_channel.http.request_error", extra={"method": method, "path": path})
                raise AmazonUnavailable("Amazon could not be reached.", code="connection_error") from None
            else:
                if retry is not Retry.SAFE or not _retryable_status(response.status_code):
                    return response
                delay = self._delay(attempt, retry_after_seconds(response), started)
                if delay is None:
                    return response
                logger.info(
                    "amazon_channel.http.retry",
                    extra={"method": method, "path": path, "status": response.status_code, "attempt": attempt},
                )
                response.close()
                self.sleep(delay)
                continue
            delay = self._delay(attempt, None, started) if may_retry else None
            if delay is None:
                logger.warning(
                    "amazon_channel.http.failed",
                    extra={"method": method, "path": path, "code": failure.code, "attempt": attempt},
                )
                raise failure from None
            logger.info(
                "amazon_channel.http.retry",
                extra={"method": method, "path": path, "code": failure.code, "attempt": attempt},
            )
            self.sleep(delay)

    def _delay(self, attempt: int, retry_after: float | None, started: float) -> float | None:
        """How long to wait before the next attempt; None when we should stop."""
        if attempt >= self.max_attempts:
            return None
        backoff = BACKOFF_BASE * 2 ** (attempt - 1)
        delay = backoff / 2 + random.uniform(0, backoff / 2)
        if retry_after is not None:
            delay = max(delay, retry_after)
        remaining = self.retry_budget - (time.monotonic() - started)
        return delay if delay < remaining else None
