"""The rules' side of the listings' hook: one provider, registered once, reading a store's rules per batch.

Per batch of variants: one query for the listing rules, one for the price rules in effect, and the
host's variant facts (a constant number of queries) only when a condition needs them. A variant the
listing rules exclude is made ineligible (the listings give it quantity 0 and the Ineligible state) with
the note ``ineligible:<the condition it fails>``; price rules then apply in priority order
(:mod:`.pricing`). Overrides are applied by the listings after the rules, so they beat every rule.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.utils import timezone

from saleor_amazon_channel.core.host import OfferVariant, VariantFacts, get_host
from saleor_amazon_channel.listings import offers
from saleor_amazon_channel.rules import conditions
from saleor_amazon_channel.rules.models import ListingRules, PriceRule
from saleor_amazon_channel.rules.pricing import PricedRule, PriceRuleSpec, apply_price_rules

INELIGIBLE_NOTE = "ineligible:"


@dataclass(frozen=True)
class StoreRules:
    """A store's rules compiled for one batch."""

    eligibility: conditions.Check
    price_rules: tuple[PricedRule, ...]
    needs_facts: bool

    @property
    def empty(self) -> bool:
        return not self.price_rules and not self.needs_facts and self.eligibility is _ALWAYS


def _always(subject: conditions.Subject) -> dict[str, Any] | None:
    return None


_ALWAYS: conditions.Check = _always


def compile_rules(listing_conditions: dict[str, Any], price_rules: Sequence[Any]) -> StoreRules:
    trees = [listing_conditions] + [rule.conditions or {} for rule in price_rules]
    return StoreRules(
        eligibility=conditions.compile_tree(listing_conditions) if listing_conditions else _ALWAYS,
        price_rules=tuple(PricedRule(PriceRuleSpec.of(rule), conditions.compile_tree(rule.conditions or {}))
                          for rule in price_rules),
        needs_facts=any(conditions.needs_facts(tree) for tree in trees if tree),
    )


def saved_listing_conditions(store: Any) -> dict[str, Any]:
    found = ListingRules.objects.filter(store_id=store.pk).values_list("conditions", flat=True).first()
    return dict(found or {})


def rules_in_effect(store: Any, now: datetime) -> list[PriceRule]:
    """The store's active price rules whose dates hold ``now``, in the order they apply (one query)."""
    return [rule for rule in PriceRule.objects.filter(store_id=store.pk, is_active=True).order_by("priority", "pk")
            if rule.in_effect(now)]


def facts_for(store: Any, variants: Sequence[OfferVariant], needed: bool) -> dict[int, VariantFacts]:
    if not needed or store.channel_id is None or not variants:
        return {}
    found = get_host().variant_facts(store.channel_id, [variant.variant_id for variant in variants])
    return {facts.variant_id: facts for facts in found}


def apply(compiled: StoreRules, facts: dict[int, VariantFacts], variant: OfferVariant,
          offer: offers.DesiredOffer) -> offers.DesiredOffer:
    subject = conditions.Subject(variant, facts.get(variant.variant_id, conditions.EMPTY_FACTS))
    notes = list(offer.notes)
    failed = compiled.eligibility(subject)
    if failed is not None:
        offer = replace(offer, eligible=False)
        notes.append(INELIGIBLE_NOTE + conditions.describe(failed))
    if offer.price is not None and compiled.price_rules:
        price, applied = apply_price_rules(compiled.price_rules, subject, offer.price, offer.currency)
        if applied:
            offer = replace(offer, price=price)
            notes.extend(applied)
    return replace(offer, notes=tuple(notes))


class RulesProvider:
    """Implements :class:`listings.offers.OfferRules`."""

    def for_batch(self, store: Any, variants: Sequence[OfferVariant]) -> offers.OfferRule:
        if store is None or store.pk is None:  # no stored store: no stored rules
            return lambda variant, offer: offer
        compiled = compile_rules(saved_listing_conditions(store), rules_in_effect(store, timezone.now()))
        if compiled.empty:
            return lambda variant, offer: offer
        facts = facts_for(store, variants, compiled.needs_facts)
        return lambda variant, offer: apply(compiled, facts, variant, offer)


PROVIDER = RulesProvider()


def register() -> None:
    offers.register_rules(PROVIDER)
