"""LWA access tokens, cached per seller authorization.

Access tokens live only in Django's cache, until ``expires_in`` minus 60 seconds
(Amazon's own helper expires them early by the same margin). Concurrent callers
share one refresh: the first takes a cache ``add()`` lock, the others wait for its
token (or its failure). An ``invalid_grant`` is remembered for an hour, so a revoked
authorization does not send every caller to LWA; renewing changes ``authorized_at``,
which is part of every key, so a renewed authorization starts clean.

Keys never contain a token: ``saleor_amazon_channel:lwa:<kind>:<pk>:<authorized_at µs>``.
"""

import logging
import time
import uuid
from typing import Any

from django.core.cache import cache

from saleor_amazon_channel.amazon import errors, lwa
from saleor_amazon_channel.amazon.http import AmazonHttp
from saleor_amazon_channel.authorizations.models import SellerAuthorization
from saleor_amazon_channel.core import crypto
from saleor_amazon_channel.core.config import AmazonChannelConfig
from saleor_amazon_channel.core.host import get_host

logger = logging.getLogger(__name__)

KEY_PREFIX = "saleor_amazon_channel:lwa"
EARLY_EXPIRY = 60
# Longer than one refresh can take (connect 5 s + read 20 s + retry budget).
LOCK_TIMEOUT = 60
WAIT_FOR_OTHER_REFRESH = 10.0
POLL_INTERVAL = 0.05
INVALID_GRANT_MEMORY = 3600
# Long enough for the waiters of one refresh to read its failure.
TRANSIENT_FAILURE_MEMORY = 30

_REMEMBERED = {cls.__name__: cls for cls in (
    errors.AmazonError, errors.InvalidGrant, errors.InvalidClient, errors.UnauthorizedClient,
    errors.AmazonUnavailable, errors.Throttled, errors.Forbidden, errors.AmazonRequestError,
)}


def _key(kind: str, authorization: SellerAuthorization) -> str:
    stamp = int(authorization.authorized_at.timestamp() * 1_000_000) if authorization.authorized_at else 0
    return f"{KEY_PREFIX}:{kind}:{authorization.pk}:{stamp}"


def get_access_token(
    authorization: SellerAuthorization, config: AmazonChannelConfig, *, http: AmazonHttp | None = None
) -> str:
    """A valid access token for ``authorization``; at most one LWA refresh per token lifetime.

    Raises :class:`errors.AmazonError` subclasses (``InvalidGrant`` when the seller
    revoked the authorization or it expired).
    """
    token_key, failure_key, lock_key = (_key(k, authorization) for k in ("access", "failed", "lock"))
    token: str | None = cache.get(token_key)
    if token:
        return token
    failure = cache.get(failure_key)
    if failure and failure.get("sticky"):
        raise _error_from(failure)
    deadline = time.monotonic() + WAIT_FOR_OTHER_REFRESH
    while True:
        if time.monotonic() > deadline:
            raise _busy()
        attempt = uuid.uuid4().hex
        if cache.add(lock_key, attempt, LOCK_TIMEOUT):
            try:
                token = cache.get(token_key)  # another caller finished just before us
                if token:
                    return token
                return _refresh(authorization, config, http, failure_key, attempt)
            finally:
                cache.delete(lock_key)
        # Someone else is refreshing: wait for their token, or their failure.
        other_attempt = cache.get(lock_key)
        while other_attempt is not None and cache.get(lock_key) == other_attempt:
            if time.monotonic() > deadline:
                raise _busy()
            time.sleep(POLL_INTERVAL)
        token = cache.get(token_key)
        if token:
            return token
        failure = cache.get(failure_key)
        if failure and (failure.get("sticky") or failure.get("attempt") == other_attempt):
            raise _error_from(failure)
        # The other refresh vanished without a word (a crashed worker): take over.


def remember_access_token(authorization: SellerAuthorization, access_token: str, expires_in: int) -> None:
    """Cache an access token obtained otherwise (the code exchange returns one)."""
    ttl = int(expires_in) - EARLY_EXPIRY
    if ttl > 0:
        cache.set(_key("access", authorization), access_token, ttl)


def _busy() -> errors.AmazonUnavailable:
    return errors.AmazonUnavailable(
        "Amazon's token service is slow to answer. Please try again in a minute.", code="token_refresh_busy"
    )


def forget_access_token(authorization: SellerAuthorization) -> None:
    """Drop the cached access token and any remembered failure of ``authorization``."""
    cache.delete_many([_key("access", authorization), _key("failed", authorization)])


def _refresh(
    authorization: SellerAuthorization,
    config: AmazonChannelConfig,
    http: AmazonHttp | None,
    failure_key: str,
    attempt: str,
) -> str:
    try:
        refresh_token = authorization.refresh_token
    except crypto.DecryptionError:
        raise errors.AmazonError(
            "The stored Amazon authorization cannot be decrypted with the configured encryption keys "
            f"({crypto.KEYS_SETTING}).",
            code="decryption_failed",
        ) from None
    try:
        tokens = lwa.refresh_access_token(config, refresh_token, http=http)
    except errors.AmazonError as error:
        sticky = isinstance(error, errors.InvalidGrant)
        cache.set(
            failure_key,
            {
                "attempt": attempt,
                "sticky": sticky,
                "class": type(error).__name__,
                "code": error.code,
                "message": error.message,
                "status": error.status,
            },
            INVALID_GRANT_MEMORY if sticky else TRANSIENT_FAILURE_MEMORY,
        )
        logger.warning(
            "amazon_channel.lwa.refresh_failed",
            extra={"authorization_id": authorization.pk, "code": error.code, "status": error.status},
        )
        raise
    cache.delete(failure_key)
    remember_access_token(authorization, tokens.access_token, tokens.expires_in)
    if tokens.refresh_token != refresh_token:
        _store_rotated_refresh_token(authorization, tokens.refresh_token)
    logger.info("amazon_channel.lwa.refreshed", extra={"authorization_id": authorization.pk})
    return tokens.access_token


def _store_rotated_refresh_token(authorization: SellerAuthorization, refresh_token: str) -> None:
    """Amazon returns the same refresh token today; should it ever rotate, keep the new one."""
    authorization.refresh_token = refresh_token
    with get_host().allow_writer():
        SellerAuthorization.objects.filter(pk=authorization.pk).update(
            encrypted_refresh_token=authorization.encrypted_refresh_token
        )


def _error_from(failure: dict[str, Any]) -> errors.AmazonError:
    cls = _REMEMBERED.get(str(failure.get("class")), errors.AmazonError)
    return cls(failure.get("message"), code=failure.get("code"), status=failure.get("status"))
