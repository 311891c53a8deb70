"""Stored refresh tokens survive setting explicit keys, rotating them, and rotating SECRET_KEY."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.utils import timezone

from saleor_amazon_channel.authorizations.models import SellerAuthorization
from saleor_amazon_channel.checks import check_stored_tokens
from saleor_amazon_channel.core import crypto

pytestmark = pytest.mark.django_db


def stored(token, partner):
    now = timezone.now()
    authorization = SellerAuthorization(selling_partner_id=partner, region="NA", authorized_at=now, expires_at=now)
    authorization.refresh_token = token
    authorization.save()
    return authorization


def read(authorization):
    return SellerAuthorization.objects.get(pk=authorization.pk).refresh_token


def ids_of(messages):
    return sorted(m.id for m in messages)


def test_setting_explicit_keys_keeps_tokens_from_the_derived_key_readable(settings, capsys):
    settings.AMAZON_CHANNEL_ENCRYPTION_KEYS = ""
    authorization = stored("Atzr|derived", "A1")
    new = Fernet.generate_key().decode()
    settings.AMAZON_CHANNEL_ENCRYPTION_KEYS = new
    assert read(authorization) == "Atzr|derived"  # the derived key is a decrypt-only fallback
    assert ids_of(check_stored_tokens(databases=["default"])) == ["saleor_amazon_channel.W005"]

    call_command("amazon_channel_rotate_keys")
    out = capsys.readouterr().out
    assert "Re-encrypted 1 refresh token(s); 0 unreadable." in out
    assert "1 were readable with the SECRET_KEY-derived key" in out
    # Now under the explicit key alone: SECRET_KEY may change freely.
    settings.SECRET_KEY = "rotated-" + "s" * 50
    assert read(authorization) == "Atzr|derived"
    assert Fernet(new.encode()).decrypt(SellerAuthorization.objects.get().encrypted_refresh_token.encode())
    assert check_stored_tokens(databases=["default"]) == []


def test_rotating_secret_key_with_fallbacks_keeps_tokens(settings, capsys):
    settings.AMAZON_CHANNEL_ENCRYPTION_KEYS = ""
    old_secret = settings.SECRET_KEY
    authorization = stored("Atzr|old-secret", "A2")
    settings.SECRET_KEY = "new-" + "n" * 50
    settings.SECRET_KEY_FALLBACKS = [old_secret]
    assert read(authorization) == "Atzr|old-secret"
    assert ids_of(check_stored_tokens(databases=["default"])) == ["saleor_amazon_channel.W005"]
    call_command("amazon_channel_rotate_keys")
    assert "readable with the key derived from SECRET_KEY_FALLBACKS #1" in capsys.readouterr().out
    settings.SECRET_KEY_FALLBACKS = []
    assert read(authorization) == "Atzr|old-secret"


def test_unreadable_tokens_are_counted_by_the_check_and_the_command(settings, capsys):
    settings.AMAZON_CHANNEL_ENCRYPTION_KEYS = Fernet.generate_key().decode()
    lost = stored("Atzr|lost", "A3")
    stored("Atzr|kept", "A4")
    settings.AMAZON_CHANNEL_ENCRYPTION_KEYS = Fernet.generate_key().decode()  # the first key is gone
    [warning] = check_stored_tokens(databases=["default"])
    assert warning.id == "saleor_amazon_channel.W004" and warning.msg.startswith("2 stored")
    settings.SECRET_KEY = "x" * 60
    with pytest.raises(CommandError, match="2 refresh token"):
        call_command("amazon_channel_rotate_keys")
    assert "Re-encrypted 0 refresh token(s); 2 unreadable." in capsys.readouterr().out
    assert SellerAuthorization.objects.get(pk=lost.pk).encrypted_refresh_token == lost.encrypted_refresh_token


def test_rotation_moves_every_token_to_the_newest_key(settings, capsys):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.AMAZON_CHANNEL_ENCRYPTION_KEYS = old
    tokens = [stored(f"Atzr|{n}", f"B{n}") for n in range(3)]
    settings.AMAZON_CHANNEL_ENCRYPTION_KEYS = f"{new},{old}"
    call_command("amazon_channel_rotate_keys")
    out = capsys.readouterr().out
    assert "Re-encrypted 3 refresh token(s); 0 unreadable." in out
    assert "3 were readable with AMAZON_CHANNEL_ENCRYPTION_KEYS key #2" in out
    settings.AMAZON_CHANNEL_ENCRYPTION_KEYS = new
    assert [read(a) for a in tokens] == ["Atzr|0", "Atzr|1", "Atzr|2"]
    assert crypto.key_index(SellerAuthorization.objects.first().encrypted_refresh_token) == 0
