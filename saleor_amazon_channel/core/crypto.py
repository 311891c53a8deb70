"""Encryption at rest for Amazon refresh tokens (Amazon's Data Protection Policy).

Keys come from the setting or environment variable ``AMAZON_CHANNEL_ENCRYPTION_KEYS``:
comma-separated Fernet keys, the first one encrypts, all of them decrypt, so a key
is rotated by putting a new one first (then ``manage.py amazon_channel_rotate_keys``
re-encrypts). Without it a key is derived from ``SECRET_KEY``, with a warning.

The keys derived from ``SECRET_KEY`` and from each of ``SECRET_KEY_FALLBACKS`` always
stay decrypt-only fallbacks: setting explicit keys, or rotating ``SECRET_KEY`` the
Django way, never makes a stored token unreadable; the rotate command then moves
every token onto the newest key.
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


def derived_key(secret_key: str | None = None) -> str:
    secret = settings.SECRET_KEY if secret_key is None else secret_key
    digest = hashlib.sha256(b"saleor_amazon_channel.refresh-token:" + secret.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def fallback_keys() -> list[str]:
    """Decrypt-only keys: derived from SECRET_KEY, then from each of SECRET_KEY_FALLBACKS."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [derived_key(secret) for secret in secrets if secret]


_warned_fallback = False


def key_labels() -> list[str]:
    """What each key of :func:`_keys` is, for reports: "key #1 (newest)", "SECRET_KEY-derived"..."""
    configured = configured_keys()
    labels = [f"{KEYS_SETTING} key #{n}" + (" (newest)" if n == 1 else "") for n in range(1, len(configured) + 1)]
    labels.append("the SECRET_KEY-derived key" + ("" if configured else " (newest)"))
    labels += [f"the key derived from SECRET_KEY_FALLBACKS #{n}" for n in range(1, len(fallback_keys()))]
    return labels


def _keys() -> list[str]:
    """Every key, the encrypting one first; duplicates kept so indexes match :func:`key_labels`."""
    global _warned_fallback
    keys = configured_keys()
    if not keys and not _warned_fallback:
        logger.warning(
            "amazon_channel.crypto.fallback_key",
            extra={"hint": f"set {KEYS_SETTING}; using a key derived from SECRET_KEY"},
        )
        _warned_fallback = True
    return keys + fallback_keys()


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in _keys()])


def key_index(ciphertext: str) -> int | None:
    """Index (into :func:`key_labels`) of the first key that reads ``ciphertext``; None if none does."""
    token = ciphertext.encode()
    for index, key in enumerate(_keys()):
        try:
            Fernet(key.encode()).decrypt(token)
        except (InvalidToken, ValueError, TypeError):
            continue
        return index
    return None


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
