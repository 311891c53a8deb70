"""Preview of draft listing rules before they are saved: what they would make eligible, ineligible and newly
eligible, and the variants behind each count. Reads only (nothing is written, not even the store's
listing settings), a constant number of queries per batch of ``BATCH`` variants.

*Eligible*: the draft keeps the variant; *ineligible*: the draft excludes it (with the condition it fails);
*newly eligible*: the draft keeps it and the saved rules exclude it (Adobe's *New Listings*);
*newly ineligible*: the reverse (offers that would drop to quantity 0 if already on Amazon).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from saleor_amazon_channel.core.host import OfferVariant, get_host
from saleor_amazon_channel.listings.models import ListingSettings
from saleor_amazon_channel.rules import conditions
from saleor_amazon_channel.rules.provider import facts_for, saved_listing_conditions

BATCH = 10000
MAX_LIST = 100


@dataclass(frozen=True)
class PreviewVariant:
    variant_id: int
    sku: str
    price: Decimal | None
    failed: dict[str, Any] | None  # the condition the draft fails (ineligible lists)


@dataclass
class PreviewList:
    count: int = 0
    variants: list[PreviewVariant] = field(default_factory=list)

    def add(self, variant: OfferVariant, failed: dict[str, Any] | None, limit: int) -> None:
        self.count += 1
        if len(self.variants) < limit:
            self.variants.append(PreviewVariant(variant.variant_id, variant.sku, variant.price, failed))


@dataclass
class Preview:
    total: int = 0
    eligible: PreviewList = field(default_factory=PreviewList)
    ineligible: PreviewList = field(default_factory=PreviewList)
    newly_eligible: PreviewList = field(default_factory=PreviewList)
    newly_ineligible: PreviewList = field(default_factory=PreviewList)


def preview(store: Any, draft: dict[str, Any], *, limit: int = MAX_LIST, batch: int = BATCH) -> Preview:
    """``draft`` is a cleaned condition tree (:func:`conditions.clean`)."""
    result = Preview()
    if store.channel_id is None:
        return result
    saved = saved_listing_conditions(store)
    check_draft = conditions.compile_tree(draft)
    check_saved = conditions.compile_tree(saved)
    needed = bool(draft and conditions.needs_facts(draft)) or bool(saved and conditions.needs_facts(saved))
    warehouses = ListingSettings.objects.filter(store_id=store.pk).values_list("warehouse_ids", flat=True).first()
    host = get_host()
    after = 0
    while True:
        variants = host.offer_variants(store.channel_id, warehouse_ids=warehouses or None, after=after, limit=batch)
        if not variants:
            break
        facts = facts_for(store, variants, needed)
        empty = conditions.EMPTY_FACTS
        for variant in variants:
            subject = conditions.Subject(variant, facts.get(variant.variant_id, empty))
            failed = check_draft(subject)
            was_eligible = not saved or check_saved(subject) is None
            if failed is None:
                result.eligible.add(variant, None, limit)
                if not was_eligible:
                    result.newly_eligible.add(variant, None, limit)
            else:
                result.ineligible.add(variant, failed, limit)
                if was_eligible:
                    result.newly_ineligible.add(variant, failed, limit)
        result.total += len(variants)
        after = variants[-1].variant_id
    return result
