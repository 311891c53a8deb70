"""Encryption at rest for Amazon refresh tokens (Amazon's Data Protection Policy).

Keys come from the setting or environment variable ``AMAZON_CHANNEL_ENCRYPTION_KEYS``:
comma-separated Fernet keys, the first one encrypts, all of them decrypt, so a key
is rotated by putting a new one first (then ``manage.py amazon_channel_rotate_keys``
re-encrypts). Without it a key is derived from ``SECRET_KEY``, with a warning.
"""

import base64
import hashlib
import logging
import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

logger = logging.getLogger(__name__)

KEYS_SETTING = "AMAZON_CHANNEL_ENCRYPTION_KEYS"


class DecryptionError(Exception):
    """The stored secret cannot be read with any configured key."""


def configured_keys() -> list[str]:
    raw = getattr(settings, KEYS_SETTING, None) or os.environ.get(KEYS_SETTING) or ""
    if isinstance(raw, (list, tuple)):
        return [key.strip() for key in raw if key and key.strip()]
    return [key.strip() for key in raw.split(",") if key.strip()]


def derived_key() -> str:
    digest = hashlib.sha256(b"saleor_amazon_channel.refresh-token:" + settings.SECRET_KEY.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


_warned_fallback = False


def _fernet() -> MultiFernet:
    global _warned_fallback
    keys = configured_keys()
    if not keys:
        if not _warned_fallback:
            logger.warning(
                "amazon_channel.crypto.fallback_key",
                extra={"hint": f"set {KEYS_SETTING}; using a key derived from SECRET_KEY"},
            )
            _warned_fallback = True
        keys = [derived_key()]
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionError("No configured encryption key can read this secret.") from exc


def rotate(ciphertext: str) -> str:
    """Re-encrypt with the primary key."""
    try:
        return _fernet().rotate(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionError("No configured encryption key can read this secret.") from exc


def keys_are_valid() -> list[str]:
    """Problems with the configured keys, for the system check."""
    problems = []
    for index, key in enumerate(configured_keys()):
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            problems.append(f"key #{index + 1} is not a valid Fernet key")
    return problems
