"""Preview of draft listing rules before they are saved: what they would make eligible, ineligible and newly
eligible, and the variants behind each count. Reads only (nothing is written, not even the store's
listing settings), a constant number of queries whatever the number of variants.

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


def preview(store: Any, draft: dict[str, Any], *, limit: int = MAX_LIST) -> Preview:
    """``draft`` is a cleaned condition tree (:func:`conditions.clean`).

    The counts come from the database (one statement over every variant of the channel, the conditions
    compiled to SQL by the host); only the listed variants (at most ``limit`` per list) are read and
    checked in Python, which names the condition each ineligible one fails. A constant number of queries.
    """
    result = Preview()
    if store.channel_id is None:
        return result
    saved = saved_listing_conditions(store)
    warehouses = ListingSettings.objects.filter(store_id=store.pk).values_list("warehouse_ids", flat=True).first()
    host = get_host()
    # One group per (meets the draft, meets the saved rules); without saved rules ({}) every variant met them.
    country = store.marketplace.country_code
    groups = host.condition_counts(store.channel_id, [draft, saved], warehouse_ids=warehouses or None, limit=limit,
                                   country_code=country)
    lists = (
        (result.eligible, [(True, True), (True, False)]),
        (result.ineligible, [(False, True), (False, False)]),
        (result.newly_eligible, [(True, False)]),
        (result.newly_ineligible, [(False, True)]),
    )
    firsts: list[tuple[PreviewList, list[int]]] = []
    for listed, outcomes in lists:
        listed.count = sum(groups.get(outcome, (0, []))[0] for outcome in outcomes)
        first = sorted(pk for outcome in outcomes for pk in groups.get(outcome, (0, []))[1])[:limit]
        firsts.append((listed, first))
    result.total = sum(count for count, _ in groups.values())
    ids = sorted({pk for _, first in firsts for pk in first})
    if not ids:
        return result
    variants = host.offer_variants(store.channel_id, warehouse_ids=warehouses or None, variant_ids=ids,
                                   limit=len(ids), country_code=country)
    check_draft = conditions.compile_tree(draft)
    facts = facts_for(store, variants, bool(draft and conditions.needs_facts(draft)))
    by_id = {variant.variant_id: variant for variant in variants}
    for listed, first in firsts:
        for pk in first:
            variant = by_id.get(pk)
            if variant is None:  # removed from the channel between the two reads
                continue
            failed = check_draft(conditions.Subject(variant, facts.get(pk, conditions.EMPTY_FACTS)))
            listed.variants.append(PreviewVariant(variant.variant_id, variant.sku, variant.price, failed))
    return result
