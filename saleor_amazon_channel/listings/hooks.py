"""What Saleor's plugin hooks tell the listings: these variants changed, recompute them after the commit."""

from collections.abc import Iterable

from django.db import transaction


def variants_changed(variant_ids: Iterable[int]) -> None:
    ids = sorted({int(pk) for pk in variant_ids if pk is not None})
    if not ids:
        return
    from saleor_amazon_channel.listings.tasks import listing_variants_changed_task

    transaction.on_commit(lambda: listing_variants_changed_task.delay(ids))
