"""Django system checks: problems an operator should see before a merchant does."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.db import DatabaseError

from saleor_amazon_channel.amazon import endpoints
from saleor_amazon_channel.core import crypto


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


@register(Tags.security)
def check_stored_tokens(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """How many stored refresh tokens no key can read, and how many are not under the newest key yet.

    Reads every authorization's ciphertext; before migrations there is none to read.
    """
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


@register()
def check_plugin_configuration(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """An active plugin without Amazon credentials cannot connect any store.

    Reads the plugin's configuration row; before migrations there is none to read.
    """
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
