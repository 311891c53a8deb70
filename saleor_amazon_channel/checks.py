"""Django system checks: problems an operator should see before a merchant does.

Checks that read the database (every stored token, the plugin's row) are tagged ``database``:
Django runs them for ``check --database`` and ``migrate``, not on every ``manage.py`` command.
Every ``AMAZON_CHANNEL_*`` setting is validated at start-up by :func:`check_settings`
(:data:`SETTINGS` lists them; README's settings tables document them).
"""

import os
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.db import DatabaseError
from django.utils.module_loading import import_string

from saleor_amazon_channel.amazon import endpoints
from saleor_amazon_channel.core import crypto

# A validator returns what is wrong with a value that is set, or None.
Validator = Callable[[object], str | None]


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number(minimum: float, *, strict: bool = False) -> Validator:
    def validate(value: object) -> str | None:
        if not _is_number(value):
            return "must be a number"
        assert isinstance(value, (int, float))
        if value < minimum or (strict and value == minimum):
            return f"must be {'more than' if strict else 'at least'} {minimum:g}"
        return None

    return validate


def _integer(minimum: int) -> Validator:
    def validate(value: object) -> str | None:
        if not isinstance(value, int) or isinstance(value, bool):
            return "must be a whole number"
        return f"must be at least {minimum}" if value < minimum else None

    return validate


def _boolean(value: object) -> str | None:
    return None if isinstance(value, bool) else "must be True or False"


def _text(value: object) -> str | None:
    return None if isinstance(value, str) and value.strip() else "must be non-empty text"


def _url(value: object) -> str | None:
    if not isinstance(value, str):
        return "must be an http(s) URL"
    parts = urlsplit(value)
    return None if parts.scheme in ("http", "https") and parts.hostname else "must be an http(s) URL"


def _timeout(value: object) -> str | None:
    positive = _number(0, strict=True)
    if _is_number(value):
        return positive(value)
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(positive(part) is None for part in value):
        return None
    return "must be seconds (more than 0), or a (connect, read) pair of them"


def _keys(value: object) -> str | None:
    # The keys themselves are checked by W002; here only their container.
    if isinstance(value, str) or (isinstance(value, (list, tuple)) and all(isinstance(k, str) for k in value)):
        return None
    return "must be comma-separated text or a list of keys"


def _importable(value: object) -> str | None:
    if not isinstance(value, str):
        return "must be a dotted path to a Host class"
    try:
        import_string(value)
    except ImportError:
        return "cannot be imported"
    return None


# Every setting the plugin reads, with its validator; True: the environment may set it too.
SETTINGS: dict[str, tuple[Validator, bool]] = {
    crypto.KEYS_SETTING: (_keys, True),
    "AMAZON_CHANNEL_LWA_CLIENT_SECRET": (_text, True),
    endpoints.SELLER_CENTRAL_SETTING: (_url, True),
    endpoints.LWA_TOKEN_SETTING: (_url, True),
    endpoints.SP_API_SETTING: (_url, True),
    "AMAZON_CHANNEL_HTTP_TIMEOUT": (_timeout, False),
    "AMAZON_CHANNEL_HTTP_RETRY_BUDGET": (_number(0), False),
    "AMAZON_CHANNEL_HTTP_MAX_ATTEMPTS": (_integer(1), False),
    "AMAZON_CHANNEL_CATALOG_MAX_AGE_DAYS": (_number(0), False),
    "AMAZON_CHANNEL_CATALOG_RATE": (_number(0, strict=True), False),
    "AMAZON_CHANNEL_CATALOG_LEASE": (_number(0, strict=True), False),
    "AMAZON_CHANNEL_CATALOG_QUEUE": (_text, False),
    "AMAZON_CHANNEL_HTTP_DEADLINE": (_number(0, strict=True), False),
    "AMAZON_CHANNEL_HTTP_MAX_BODY_BYTES": (_integer(1), False),
    "AMAZON_CHANNEL_CHECK_CONCURRENCY": (_integer(1), False),
    "AMAZON_CHANNEL_LISTINGS_FEED_TURNAROUND": (_number(0), False),
    "AMAZON_CHANNEL_LISTINGS_LEASE": (_number(0, strict=True), False),
    "AMAZON_CHANNEL_LISTINGS_VERIFY_DELAY": (_number(0), False),
    "AMAZON_CHANNEL_ORDERS_POLL_INTERVAL": (_number(0, strict=True), False),
    "AMAZON_CHANNEL_ORDERS_OVERLAP": (_number(0), False),
    "AMAZON_CHANNEL_ORDERS_LEASE": (_number(0, strict=True), False),
    "AMAZON_CHANNEL_ORDERS_SEARCH_RATE": (_number(0, strict=True), False),
    "AMAZON_CHANNEL_ORDERS_SHIPMENT_LEASE": (_number(0, strict=True), False),
    "AMAZON_CHANNEL_GRAPHQL_MAX_DEPTH": (_integer(1), False),
    "AMAZON_CHANNEL_GRAPHQL_MAX_ALIASES": (_integer(0), False),
    "AMAZON_CHANNEL_GRAPHQL_MAX_SELECTIONS": (_integer(1), False),
    "AMAZON_CHANNEL_GRAPHQL_MAX_COST": (_integer(0), False),
    "AMAZON_CHANNEL_GRAPHQL_AMAZON_CALL_COST": (_integer(0), False),
    "AMAZON_CHANNEL_GRAPHQL_MAX_INTROSPECTION_FIELDS": (_integer(0), False),
    "AMAZON_CHANNEL_GRAPHQL_ANONYMOUS_INTROSPECTION": (_boolean, False),
    "AMAZON_CHANNEL_GRAPHQL_SEARCH_COST": (_integer(0), False),
    "AMAZON_CHANNEL_GRAPHQL_STATEMENT_TIMEOUT": (_integer(0), False),
    "AMAZON_CHANNEL_HOST": (_importable, False),
}


@register()
def check_settings(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """Every plugin setting that is set holds a value its reader accepts (E002); no database."""
    messages: list[CheckMessage] = []
    for name, (validate, from_environment) in SETTINGS.items():
        value = getattr(settings, name, None)
        if value is None and from_environment:
            value = os.environ.get(name)
        if value is None:
            continue
        problem = validate(value)
        if problem:
            messages.append(
                Error(f"{name}: {problem} (got {type(value).__name__}).", hint="See the README's settings table.",
                      id="saleor_amazon_channel.E002")
            )
    return messages


@register(Tags.security)
def check_encryption_keys(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    if not crypto.configured_keys():
        messages.append(
            Warning(
                "Amazon refresh tokens are encrypted with a key derived from SECRET_KEY.",
                hint=f"Set {crypto.KEYS_SETTING} to one or more Fernet keys (comma-separated, newest first).",
                id="saleor_amazon_channel.W001",
            )
        )
    for problem in crypto.keys_are_valid():
        messages.append(Warning(f"{crypto.KEYS_SETTING}: {problem}.", id="saleor_amazon_channel.W002"))
    return messages


@register(Tags.security, Tags.database)
def check_stored_tokens(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """How many stored refresh tokens no key can read, and how many are not under the newest key yet.

    Reads every authorization's ciphertext (``database``: only when asked); before migrations there is none.
    """
    if not kwargs.get("databases"):
        return []
    from saleor_amazon_channel.authorizations.models import SellerAuthorization

    unreadable = not_newest = 0
    try:
        for ciphertext in SellerAuthorization.objects.values_list("encrypted_refresh_token", flat=True).iterator():
            index = crypto.key_index(ciphertext)
            if index is None:
                unreadable += 1
            elif index > 0:
                not_newest += 1
    except DatabaseError:
        return []
    except ValueError:  # a malformed configured key; W002 says which
        return []
    messages: list[CheckMessage] = []
    if unreadable:
        messages.append(
            Warning(
                f"{unreadable} stored Amazon refresh token(s) cannot be read with any configured key: "
                "their stores cannot reach Amazon.",
                hint=f"Add the key they were encrypted with to {crypto.KEYS_SETTING} (or the old SECRET_KEY to "
                "SECRET_KEY_FALLBACKS), or reconnect those stores.",
                id="saleor_amazon_channel.W004",
            )
        )
    if not_newest:
        messages.append(
            Warning(
                f"{not_newest} stored Amazon refresh token(s) are not encrypted with the newest key.",
                hint="Run manage.py amazon_channel_rotate_keys.",
                id="saleor_amazon_channel.W005",
            )
        )
    return messages


@register(Tags.security)
def check_amazon_urls(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """Client secrets and refresh tokens travel to these URLs: https only, outside development."""
    return [
        Error(
            f"{name} is not an https URL; the LWA client secret and refresh tokens would travel in clear.",
            hint="Use https, or a loopback address (127.0.0.1, localhost) for a local emulator; DEBUG allows http.",
            id="saleor_amazon_channel.E001",
        )
        for name in endpoints.insecure_overrides()
    ]


@register(Tags.database)
def check_plugin_configuration(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """An active plugin without Amazon credentials cannot connect any store.

    Reads the plugin's configuration row (``database``: only when asked); before migrations there is none.
    """
    if not kwargs.get("databases"):
        return []
    from saleor_amazon_channel.core.host import get_host

    try:
        config = get_host().get_config()
    except DatabaseError:
        return []
    if config.active and config.missing:
        return [
            Warning(
                "The Amazon Sales Channel plugin is active but not configured: missing "
                + ", ".join(config.missing)
                + ".",
                hint="Fill them in on the plugin's page in the Saleor Dashboard (Extensions > Amazon Sales Channel).",
                id="saleor_amazon_channel.W003",
            )
        ]
    return []


@register()
def check_celery_worker(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """Without a broker Saleor runs Celery tasks inline and no beat runs: nothing reads Amazon's orders or
    follows Saleor's stock on its own, and a sync runs inside the merchant's request (at most
    ``core.waits.INLINE_BUDGET`` seconds of waiting, then it waits for the next start)."""
    if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return []
    return [
        Warning(
            "Celery runs tasks inline (CELERY_TASK_ALWAYS_EAGER): Amazon orders are not polled, stock changes are "
            "not sent, and listings syncs run inside the request that starts them.",
            hint="Set CELERY_BROKER_URL (Saleor then queues tasks) and run a Celery worker and Celery beat.",
            id="saleor_amazon_channel.W006",
        )
    ]
