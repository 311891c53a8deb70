"""HTTP to Amazon: one ``requests.Session`` per client object, bounded in time, size and retries.

Retries are urllib3's :class:`urllib3.util.Retry`, mounted under the session (the one retry policy of
every Amazon call), following what is safe to repeat:

- ``Retry.SAFE`` (reads, refresh-token grants): 429, 5xx, timeouts and connection
  errors are retried with exponential backoff, honouring ``Retry-After``.
- ``Retry.UNSENT`` (the authorization-code grant: codes are single use): retried
  only when the request provably never left, i.e. the connection could not be opened.

Every call is bounded:

- a **deadline** for the whole call: connecting, waiting for the answer, reading the whole body,
  and the retries and waits between them (``AMAZON_CHANNEL_HTTP_DEADLINE``, default 30 s). A retry is
  only made when its attempt fits in what is left; the body is read a piece at a time, each read
  given only the time left, so an answer trickling in byte by byte is cut at the deadline
  (``AmazonUnavailable``, code ``deadline_exceeded``);
- a **maximum body size** (``AMAZON_CHANNEL_HTTP_MAX_BODY_BYTES``, default 5 MiB, counted after
  decompression): a larger answer is refused as soon as it says so (Content-Length) or grows past it
  (code ``response_too_large``, not retryable), and never held in memory;
- ``AMAZON_CHANNEL_HTTP_TIMEOUT`` (seconds, or ``(connect, read)``; default ``(5, 20)``) for each
  connect and each wait for the answer's first byte, ``AMAZON_CHANNEL_HTTP_RETRY_BUDGET`` (seconds
  the waits between attempts may add up to; default 4) and ``AMAZON_CHANNEL_HTTP_MAX_ATTEMPTS``
  (default 3).

:func:`json_body` reads an answer's JSON, refusing what a client should not hold (deeper than
:data:`MAX_JSON_DEPTH`, or so deep the parser recurses out) as ``bad_response``.
"""

import enum
import logging
import random
import socket
import threading
import time
from collections.abc import Callable
from typing import Any, Self
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    ResponseError,
)
from urllib3.util import Retry as Urllib3Retry

from saleor_amazon_channel import __version__
from saleor_amazon_channel.amazon.errors import AmazonError, AmazonUnavailable

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = (5.0, 20.0)
DEFAULT_RETRY_BUDGET = 4.0
DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_DEADLINE = 30.0
DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024
BACKOFF_BASE = 0.5
READ_SIZE = 64 * 1024
# Amazon's answers nest a handful of levels; anything far deeper is not an answer to read.
MAX_JSON_DEPTH = 64
RETRY_STATUSES = frozenset({429, *range(500, 600)})
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


def _positive(name: str, default: float) -> float:
    value = getattr(settings, name, None)
    if value is None:
        return default
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    logger.warning("amazon_channel.http.bad_setting", extra={"setting": name})
    return default


def configured_deadline() -> float:
    """Seconds one call to Amazon may take in all (``AMAZON_CHANNEL_HTTP_DEADLINE``)."""
    return _positive("AMAZON_CHANNEL_HTTP_DEADLINE", DEFAULT_DEADLINE)


def configured_max_body_bytes() -> int:
    """The largest answer body read from Amazon (``AMAZON_CHANNEL_HTTP_MAX_BODY_BYTES``)."""
    return int(_positive("AMAZON_CHANNEL_HTTP_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))


def retry_after_seconds(response: requests.Response) -> float | None:
    """``Retry-After`` as seconds (delta or HTTP date); None when absent or unreadable."""
    value = (response.headers.get("Retry-After") or "").strip()
    if not value:
        return None
    try:
        return Urllib3Retry().parse_retry_after(value)
    except Exception:  # urllib3's InvalidHeader, or a date it cannot read
        return None


def too_large() -> AmazonError:
    return AmazonUnavailable("Amazon sent an answer larger than the plugin reads.", code="response_too_large",
                             retryable=False)


def json_body(response: requests.Response) -> Any:
    """The answer's JSON; None when it is not JSON. Raises :class:`AmazonUnavailable` (``bad_response``)
    for JSON nested deeper than :data:`MAX_JSON_DEPTH` (so deep the parser would recurse out, or deep
    enough to trouble whatever reads or stores it next)."""
    try:
        value = response.json()
    except RecursionError:
        raise _too_deep(response) from None
    except ValueError:
        return None
    if _depth_exceeds(value, MAX_JSON_DEPTH):
        raise _too_deep(response)
    return value


def _too_deep(response: requests.Response) -> AmazonError:
    return AmazonUnavailable("Amazon sent an answer the plugin cannot read.", code="bad_response",
                             status=response.status_code)


def _depth_exceeds(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def backoff(attempt: int, retry_after: float | None = None, *, base: float = BACKOFF_BASE,
            cap: float | None = None) -> float:
    """The one backoff policy of Amazon calls: exponential from ``base`` (capped at ``cap``) for the
    ``attempt``-th retry (1-based), half of it jittered; Amazon's Retry-After wins when longer."""
    ceiling: float = base * 2 ** (attempt - 1)
    if cap is not None:
        ceiling = min(ceiling, cap)
    delay = ceiling / 2 + random.uniform(0, ceiling / 2)
    return max(delay, retry_after or 0.0)


class _Call:
    """One call's clock: its deadline, its waiting budget, and how it sleeps."""

    def __init__(self, deadline: float, retry_budget: float, per_attempt: float,
                 sleep: Callable[[float], None]) -> None:
        self.started = time.monotonic()
        self.deadline = deadline
        self.retry_budget = retry_budget
        self.per_attempt = per_attempt
        self.sleep = sleep

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def remaining(self) -> float:
        return self.deadline - self.elapsed()

    def may_wait(self, delay: float) -> bool:
        """Whether waiting ``delay`` and one more attempt fit the budget and the deadline."""
        elapsed = self.elapsed()
        return delay < self.retry_budget - elapsed and elapsed + delay + self.per_attempt <= self.deadline


class _AmazonRetry(Urllib3Retry):
    """urllib3's Retry, held to the call's budget and deadline, waiting through the client's own sleep
    with jittered exponential backoff (Retry-After wins), and never reading the body of an answer it
    retries (urllib3 would drain it whole)."""

    call: _Call | None = None
    delay: float = 0.0

    def new(self, **kwargs: Any) -> Self:
        retry = super().new(**kwargs)
        retry.call = self.call
        return retry

    def increment(self, method: str | None = None, url: str | None = None, response: Any = None,
                  error: Exception | None = None, _pool: Any = None, _stacktrace: Any = None) -> Self:
        retry = super().increment(method, url, response, error, _pool, _stacktrace)
        attempt = len(retry.history)
        try:
            retry_after = self.get_retry_after(response) if response is not None else None
        except Exception:  # an unreadable Retry-After (urllib3's InvalidHeader) is no Retry-After
            retry_after = None
        delay = backoff(attempt, retry_after)
        path = urlsplit(url or "").path  # never the query: it may carry secrets
        if self.call is not None and not self.call.may_wait(delay):
            # Out of time: answer with what came back (or the error), as if the attempts were used up.
            raise MaxRetryError(_pool, url or "", error or ResponseError("retry budget spent"))
        logger.info(
            "amazon_channel.http.retry",
            extra={"method": method, "path": path, "status": getattr(response, "status", None),
                   "error": type(error).__name__ if error else None, "attempt": attempt},
        )
        if response is not None:
            response.close()  # the connection goes; its body is never read
        retry.delay = delay
        return retry

    def sleep(self, response: Any = None) -> None:
        if self.call is not None:
            self.call.sleep(self.delay)


def _policy(retry: Retry, max_attempts: int, call: _Call) -> _AmazonRetry:
    retries = max(0, max_attempts - 1)
    if retry is Retry.SAFE:
        policy = _AmazonRetry(total=retries, connect=retries, read=retries, status=retries, other=0, redirect=False,
                              status_forcelist=RETRY_STATUSES, allowed_methods=None, raise_on_status=False,
                              respect_retry_after_header=True)
    else:
        # Only a connection that could not be opened: the request provably never reached Amazon.
        policy = _AmazonRetry(total=retries, connect=retries, read=False, status=0, other=False, redirect=False,
                              status_forcelist=(), raise_on_status=False)
    policy.call = call
    return policy


class AmazonHttp:
    """A small HTTP client; use one per call site (``with AmazonHttp() as http:``)."""

    def __init__(
        self,
        *,
        timeout: float | tuple[float, float] | None = None,
        retry_budget: float | None = None,
        max_attempts: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
        deadline: float | None = None,
        max_body_bytes: int | None = None,
    ) -> None:
        configured = timeout or configured_timeout()
        self.timeout = (float(configured), float(configured)) if isinstance(configured, (int, float)) else configured
        self.retry_budget = float(
            retry_budget if retry_budget is not None
            else getattr(settings, "AMAZON_CHANNEL_HTTP_RETRY_BUDGET", DEFAULT_RETRY_BUDGET)
        )
        self.max_attempts = int(
            max_attempts if max_attempts is not None
            else getattr(settings, "AMAZON_CHANNEL_HTTP_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)
        )
        self.deadline = float(deadline) if deadline is not None else configured_deadline()
        self.max_body_bytes = int(max_body_bytes) if max_body_bytes is not None else configured_max_body_bytes()
        self.sleep = sleep
        # Seconds spent waiting on Amazon (requests and backoff), for timing our own share.
        self.elapsed = 0.0
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self._adapter = HTTPAdapter(max_retries=0)
        self.session.mount("https://", self._adapter)
        self.session.mount("http://", self._adapter)

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
        """The response, whatever its status, its body read (within the deadline and the size cap).

        Raises :class:`AmazonUnavailable`: ``timeout`` or ``connection_error`` when no answer came
        back, ``deadline_exceeded`` when the call ran out of time, ``response_too_large`` (not
        retryable) for an answer larger than ``max_body_bytes``.
        """
        connect, read = self.timeout
        call = _Call(self.deadline, self.retry_budget, connect + read, self.sleep)
        # One policy per call (a session serves one call at a time): it carries the call's clock.
        self._adapter.max_retries = _policy(retry, self.max_attempts, call)
        path = urlsplit(url).path  # never the query: it may carry secrets
        try:
            try:
                response = self.session.request(
                    method, url, timeout=(min(connect, self.deadline), min(read, self.deadline)),
                    allow_redirects=False, stream=True, **kwargs,
                )
            except requests.RequestException as error:
                if _timed_out(error):
                    raise self._failed(method, path, AmazonUnavailable(
                        "Amazon did not answer in time. Please try again.", code="timeout")) from None
                raise self._failed(method, path, AmazonUnavailable(
                    "Amazon could not be reached. Please try again in a few minutes.", code="connection_error")
                ) from None
            self._read_body(response, call, method, path)
            return response
        finally:
            self.elapsed += call.elapsed()

    @staticmethod
    def _failed(method: str, path: str, failure: AmazonError) -> AmazonError:
        logger.warning("amazon_channel.http.failed", extra={"method": method, "path": path, "code": failure.code})
        return failure

    def _read_body(self, response: requests.Response, call: _Call, method: str, path: str) -> None:
        """Read the whole body into ``response`` (so ``.json()``/``.text`` work), a piece at a time, each
        read given only the time left, never more than ``max_body_bytes``."""
        try:
            declared = int(response.headers.get("Content-Length") or 0)
        except ValueError:
            declared = 0
        if declared > self.max_body_bytes:
            response.close()
            raise self._failed(method, path, too_large())
        body = bytearray()
        raw = response.raw
        # read1 (urllib3 2) returns what has arrived. urllib3 1.26 (Saleor 3.21's lock) has only read(n), which
        # waits for n bytes: each socket wait is bounded by _limit_next_read, the whole read is not, so a
        # watchdog shuts the socket at the deadline.
        watchdog = None if hasattr(raw, "read1") else _SocketWatchdog(raw, call.remaining())
        try:
            while True:
                remaining = call.remaining()
                if remaining <= 0:
                    raise self._deadline()
                _limit_next_read(raw, remaining)
                piece = raw.read1(READ_SIZE) if watchdog is None else raw.read(READ_SIZE)
                if watchdog is not None and watchdog.fired:
                    raise self._deadline()
                if not piece:
                    break
                body += piece
                if len(body) > self.max_body_bytes:
                    raise too_large()
        except AmazonError as error:
            response.close()
            raise self._failed(method, path, error) from None
        except ReadTimeoutError:
            response.close()
            raise self._failed(method, path, self._deadline()) from None
        except (ProtocolError, OSError, requests.RequestException):
            response.close()
            if watchdog is not None and watchdog.fired:
                raise self._failed(method, path, self._deadline()) from None
            raise self._failed(method, path, AmazonUnavailable(
                "Amazon's answer broke off. Please try again.", code="connection_error")) from None
        finally:
            if watchdog is not None:
                watchdog.cancel()
        response._content = bytes(body)
        response._content_consumed = True
        raw.release_conn()

    @staticmethod
    def _deadline() -> AmazonError:
        return AmazonUnavailable("Amazon did not finish its answer in time. Please try again.",
                                 code="deadline_exceeded")


def _timed_out(error: requests.RequestException) -> bool:
    """A timeout, also when urllib3's retries ended on one (requests then says ConnectionError)."""
    if isinstance(error, requests.Timeout):
        return True
    reason = getattr(error.args[0], "reason", None) if error.args else None
    # urllib3's NewConnectionError (refused, unreachable) is a ConnectTimeoutError too: not a timeout.
    return isinstance(reason, (ReadTimeoutError, ConnectTimeoutError)) and not isinstance(reason, NewConnectionError)


def _socket_of(raw: Any) -> Any:
    """The socket an answer is read from: its connection's, or (when urllib3 no longer holds the connection)
    the one under http.client's file."""
    connection = getattr(raw, "connection", None) or getattr(raw, "_connection", None)
    sock = getattr(connection, "sock", None)
    if sock is None:
        file = getattr(getattr(raw, "_fp", None), "fp", None)
        sock = getattr(getattr(file, "raw", None), "_sock", None)
    return sock


def _limit_next_read(raw: Any, seconds: float) -> None:
    """Give the next socket read only ``seconds`` (the socket's timeout counts per read, not per body)."""
    sock = _socket_of(raw)
    if sock is not None:
        sock.settimeout(max(seconds, 0.001))


class _SocketWatchdog:
    """Shuts the answer's socket down when the call's time is up; the blocked read then ends."""

    def __init__(self, raw: Any, seconds: float) -> None:
        self.fired = False
        self.sock = _socket_of(raw)
        self.timer = threading.Timer(max(seconds, 0.0), self._fire)
        self.timer.daemon = True
        self.timer.start()

    def _fire(self) -> None:
        self.fired = True
        if self.sock is not None:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:  # already closed
                pass

    def cancel(self) -> None:
        self.timer.cancel()
