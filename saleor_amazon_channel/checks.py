"""Django system checks: problems an operator should see before a merchant does."""

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError

from . import crypto


@register(Tags.security)
def check_encryption_keys(app_configs=None, **kwargs):
    messages = []
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


@register()
def check_plugin_configuration(app_configs=None, **kwargs):
    """An active plugin without Amazon credentials cannot connect any store.

    Reads the plugin's configuration row; before migrations there is none to read.
    """
    from .host import get_host

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
