"""Re-encrypt every stored refresh token with the first key of AMAZON_CHANNEL_ENCRYPTION_KEYS.

Rotation: put the new key first (keep the old ones after it), run this command,
then drop the old keys.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from ... import crypto
from ...models import SellerAuthorization

BATCH = 500


class Command(BaseCommand):
    help = "Re-encrypt stored Amazon refresh tokens with the primary encryption key."

    def handle(self, *args, **options):
        rotated = unreadable = 0
        last_pk = 0
        while True:
            with transaction.atomic():
                batch = list(
                    SellerAuthorization.objects.select_for_update()
                    .filter(pk__gt=last_pk)
                    .order_by("pk")
                    .only("pk", "encrypted_refresh_token")[:BATCH]
                )
                if not batch:
                    break
                for authorization in batch:
                    try:
                        authorization.encrypted_refresh_token = crypto.rotate(authorization.encrypted_refresh_token)
                        rotated += 1
                    except crypto.DecryptionError:
                        unreadable += 1
                        self.stderr.write(f"Authorization {authorization.pk}: no configured key can read its token.")
                SellerAuthorization.objects.bulk_update(batch, ["encrypted_refresh_token"])
                last_pk = batch[-1].pk
        self.stdout.write(f"Re-encrypted {rotated} refresh token(s); {unreadable} unreadable.")
