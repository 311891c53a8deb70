"""Re-encrypt every stored refresh token with the newest key.

The newest key is the first of AMAZON_CHANNEL_ENCRYPTION_KEYS, or the SECRET_KEY-derived
key when none is set. Every token any known key can read (the configured ones, the
SECRET_KEY-derived key, the keys derived from SECRET_KEY_FALLBACKS) is moved onto it.

Rotation: put the new key first (keep the old ones after it), run this command,
then drop the old keys. It reports how many tokens each key could read before, and
exits with an error when some token no key can read.
"""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from saleor_amazon_channel.authorizations.models import SellerAuthorization
from saleor_amazon_channel.core import crypto

BATCH = 500


class Command(BaseCommand):
    help = "Re-encrypt stored Amazon refresh tokens with the newest encryption key and report counts."

    def handle(self, *args: object, **options: object) -> None:
        labels = crypto.key_labels()
        read_with: Counter[str] = Counter()
        rotated = unreadable = 0
        last_pk = 0
        while True:
            # One short transaction per batch: a token being renewed meanwhile waits for its row, not for the run.
            with transaction.atomic():
                batch = list(
                    SellerAuthorization.objects.select_for_update()
                    .filter(pk__gt=last_pk)
                    .order_by("pk")
                    .only("pk", "encrypted_refresh_token")[:BATCH]
                )
                if not batch:
                    break
                changed = []
                for authorization in batch:
                    index = crypto.key_index(authorization.encrypted_refresh_token)
                    if index is None:
                        unreadable += 1
                        self.stderr.write(f"Authorization {authorization.pk}: no configured key can read its token.")
                        continue
                    read_with[labels[index]] += 1
                    authorization.encrypted_refresh_token = crypto.rotate(authorization.encrypted_refresh_token)
                    changed.append(authorization)
                    rotated += 1
                SellerAuthorization.objects.bulk_update(changed, ["encrypted_refresh_token"])
                last_pk = batch[-1].pk
        self.stdout.write(f"Re-encrypted {rotated} refresh token(s); {unreadable} unreadable.")
        for label, count in sorted(read_with.items()):
            self.stdout.write(f"  {count} were readable with {label}")
        self.stdout.write(f"Every readable token is now under {labels[0]}.")
        if unreadable:
            raise CommandError(
                f"{unreadable} refresh token(s) cannot be read with any key: add the missing key to "
                f"{crypto.KEYS_SETTING} (or the old SECRET_KEY to SECRET_KEY_FALLBACKS) and run again, "
                "or reconnect those stores."
            )
