import pytest
from cryptography.fernet import Fernet

from saleor_amazon_channel.core import crypto


def test_round_trip_with_configured_keys(settings):
    settings.AMAZON_CHANNEL_ENCRYPTION_KEYS = Fernet.generate_key().decode()
    secret = "Atzr|IwEBIA-refresh-token"
    ciphertext = crypto.encrypt(secret)
    assert secret not in ciphertext
    assert crypto.decrypt(ciphertext) == secret


def test_key_rotation_keeps_old_tokens_readable(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.AMAZON_CHANNEL_ENCRYPTION_KEYS = old
    ciphertext = crypto.encrypt("Atzr|token")
    settings.AMAZON_CHANNEL_ENCRYPTION_KEYS = f"{new},{old}"
    assert crypto.decrypt(ciphertext) == "Atzr|token"
    rotated = crypto.rotate(ciphertext)
    settings.AMAZON_CHANNEL_ENCRYPTION_KEYS = new
    assert crypto.decrypt(rotated) == "Atzr|token"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(ciphertext)


def test_fallback_key_from_secret_key_warns(settings, caplog):
    settings.AMAZON_CHANNEL_ENCRYPTION_KEYS = ""
    crypto._warned_fallback = False
    with caplog.at_level("WARNING", logger="saleor_amazon_channel.core.crypto"):
        assert crypto.decrypt(crypto.encrypt("x")) == "x"
    assert "amazon_channel.crypto.fallback_key" in caplog.text


def test_invalid_key_is_reported(settings):
    settings.AMAZON_CHANNEL_ENCRYPTION_KEYS = "not-a-key"
    assert crypto.keys_are_valid() == ["key #1 is not a valid Fernet key"]
