"""``manage.py amazon_channel_check [--store ID|NAME]``: the daily connection check, on demand.

Checks every connected store's authorization (in batches, as the daily task does) or
one store's, sends any reminder that makes due, and prints one line per store. A
transient Amazon fault is reported but not counted toward the store's error state:
that is the daily check's call.
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from saleor_amazon_channel.authorizations.models import SellerAuthorization
from saleor_amazon_channel.core import ids
from saleor_amazon_channel.core.host import Requestor, get_host
from saleor_amazon_channel.monitoring import health
from saleor_amazon_channel.stores.models import AmazonStore

REQUESTOR = Requestor(label="manage.py amazon_channel_check")
BATCH_SIZE = 200
COLUMNS = ("Store", "Marketplace", "Seller", "Status", "Expires", "Problem")


class Command(BaseCommand):
    help = "Check the Amazon connection of every store (or one), as the daily task does, and print the result."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--store", help="Only this store: its ID (number or global ID) or its name.")

    def handle(self, *args: object, store: str | None = None, **options: object) -> None:
        config = get_host().get_config()
        if config.missing:
            raise CommandError(
                "The Amazon Sales Channel plugin is not configured: missing " + ", ".join(config.missing) + "."
            )
        if not config.active:
            self.stderr.write("Note: the plugin is inactive; checking anyway.")
        now = timezone.now()
        if store is not None:
            stores = [self._find_store(store)]
            authorization_ids = [stores[0].authorization_id] if stores[0].authorization_id else []
        else:
            stores = None
            authorization_ids = list(
                SellerAuthorization.objects.filter(stores__isnull=False)
                .distinct()
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        results: dict[int, health.CheckResult] = {}
        for start in range(0, len(authorization_ids), BATCH_SIZE):
            batch = authorization_ids[start : start + BATCH_SIZE]
            for result in health.check_batch(batch, config, requestor=REQUESTOR, now=now):
                results[result.authorization_id] = result
        if stores is None:
            stores = list(AmazonStore.objects.select_related("authorization").order_by("name", "pk"))
        else:
            stores = list(AmazonStore.objects.select_related("authorization").filter(pk=stores[0].pk))
        self._print_table(stores, results, now)

    def _find_store(self, value: str) -> AmazonStore:
        value = value.strip()
        pk = int(value) if value.isdigit() else ids.decode(value, "AmazonStore")
        found = AmazonStore.objects.filter(pk=pk).first() if pk and pk < 2**31 else None
        if found is None:
            found = AmazonStore.objects.filter(name__iexact=value).first()
        if found is None:
            raise CommandError(f"No Amazon store has the ID or name “{value}”.")
        return found

    def _print_table(
        self, stores: list[AmazonStore], results: dict[int, health.CheckResult], now: datetime
    ) -> None:
        rows: list[tuple[str, ...]] = [COLUMNS]
        for store in stores:
            authorization = store.authorization
            result = results.get(store.authorization_id) if store.authorization_id else None
            problem = store.last_error
            if result is not None and result.error_code and not problem:
                problem = f"{result.error_message} ({result.error_code})"
            rows.append(
                (
                    store.name,
                    f"{store.marketplace.country_code} {store.marketplace_id}",
                    authorization.selling_partner_id if authorization else "-",
                    store.status(now).value,
                    authorization.expires_at.strftime("%Y-%m-%d") if authorization else "-",
                    problem or "-",
                )
            )
        widths = [max(len(str(row[i])) for row in rows) for i in range(len(COLUMNS) - 1)]
        for row in rows:
            cells = [str(cell).ljust(width) for cell, width in zip(row[:-1], widths, strict=True)] + [str(row[-1])]
            self.stdout.write("  ".join(cells).rstrip())
        self.stdout.write(f"{len(stores)} store(s), {len(results)} authorization(s) checked.")
