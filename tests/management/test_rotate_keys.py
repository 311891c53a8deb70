import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.utils import timezone

from saleor_amazon_channel.authorizations.models import SellerAuthorization

pytestmark = pytest.mark.django_db


def test_rotate_keys_reencrypts_with_the_new_primary_key(settings, capsys):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.AMAZON_CHANNEL_ENCRYPTION_KEYS = old
    now = timezone.now()
    authorization = SellerAuthorization(selling_partner_id="A1", region="NA", authorized_at=now, expires_at=now)
    authorization.refresh_token = "Atzr|secret"
    authorization.save()
    settings.AMAZON_CHANNEL_ENCRYPTION_KEYS = f"{new},{old}"
    call_command("amazon_channel_rotate_keys")
    assert "Re-encrypted 1 refresh token(s); 0 unreadable." in capsys.readouterr().out
    settings.AMAZON_CHANNEL_ENCRYPTION_KEYS = new
    authorization.refresh_from_db()
    assert authorization.refresh_token == "Atzr|secret"
    assert "secret" not in authorization.encrypted_refresh_token
    with pytest.raises(InvalidToken):
        Fernet(old.encode()).decrypt(authorization.encrypted_refresh_token.encode())
