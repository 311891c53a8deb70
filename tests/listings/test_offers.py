"""The desired-offer computation: price, currency, quantity bounds, condition, overrides, rules."""

from dataclasses import replace
from decimal import Decimal

from saleor_amazon_channel.core.host import OfferVariant
from saleor_amazon_channel.listings import offers
from saleor_amazon_channel.outcomes import Outcome

SETTINGS = offers.OfferSettings(marketplace_currency="USD", handling_time=2, out_of_stock_threshold=0,
                                max_quantity=None, untracked_quantity=50)


def variant(**changes) -> OfferVariant:
    base = OfferVariant(variant_id=1, sku="SKU-1", product_id=1, price=Decimal("19.995"), currency="USD",
                        cost_price=Decimal("8"), track_inventory=True, available=7, attribute_value="")
    return replace(base, **changes)


def test_price_is_the_channel_price_and_quantity_what_saleor_can_sell():
    offer = offers.desired_offer(variant(), SETTINGS)
    assert (offer.price, offer.currency, offer.quantity, offer.handling_time, offer.condition, offer.problem) == (
        Decimal("20.00"), "USD", 7, 2, "new_new", None)


def test_another_currency_than_the_marketplaces_is_a_currency_mismatch():
    assert offers.desired_offer(variant(currency="EUR"), SETTINGS).problem is Outcome.CURRENCY_MISMATCH
    assert offers.desired_offer(variant(price=None), SETTINGS).problem is Outcome.NO_PRICE


def test_threshold_maximum_and_untracked_quantity():
    at_threshold = replace(SETTINGS, out_of_stock_threshold=7)
    assert offers.desired_offer(variant(), at_threshold).quantity == 0
    assert offers.desired_offer(variant(available=8), at_threshold).quantity == 8
    assert offers.desired_offer(variant(available=80), replace(SETTINGS, max_quantity=30)).quantity == 30
    assert offers.desired_offer(variant(track_inventory=False, available=0), SETTINGS).quantity == 50
    assert offers.desired_offer(variant(available=-4), SETTINGS).quantity == 0


def test_condition_from_the_settings_or_an_attribute():
    by_attribute = replace(SETTINGS, condition_attribute="condition")
    assert offers.desired_offer(variant(attribute_value="Used; Like New"), by_attribute).condition == "used_like_new"
    assert offers.desired_offer(variant(attribute_value="refurbished"), by_attribute).condition == \
        "refurbished_refurbished"
    missing = offers.desired_offer(variant(attribute_value=""), by_attribute)
    assert missing.problem is Outcome.MISSING_CONDITION
    assert offers.desired_offer(variant(), replace(SETTINGS, condition="collectible_good")).condition == \
        "collectible_good"


def test_overrides_beat_the_computation_but_never_sell_more_than_saleor_has():
    overrides = offers.Overrides(price=Decimal("25"), quantity=3, handling_time=5, condition="used_good")
    offer = offers.desired_offer(variant(), SETTINGS, overrides)
    assert (offer.price, offer.quantity, offer.handling_time, offer.condition) == (
        Decimal("25.00"), 3, 5, "used_good")
    assert "override:price" in offer.notes
    assert offers.desired_offer(variant(available=2), SETTINGS, offers.Overrides(quantity=10)).quantity == 2
    untracked = offers.desired_offer(variant(track_inventory=False), SETTINGS, offers.Overrides(quantity=500))
    assert untracked.quantity == 500
    assert offers.desired_offer(variant(price=None), SETTINGS, offers.Overrides(price=Decimal(9))).problem is None


class Plus15:
    """A rule provider as the rules package would plug one in: batch-prepared, then per variant."""

    def __init__(self):
        self.batches = []

    def for_batch(self, store, variants):
        self.batches.append([v.variant_id for v in variants])

        def rule(variant, offer):
            if variant.sku.startswith("OUT"):
                return replace(offer, eligible=False, notes=(*offer.notes, "rule:excluded"))
            return replace(offer, price=(offer.price * Decimal("1.15")).quantize(Decimal("0.01")),
                           notes=(*offer.notes, "rule:+15%"))

        return rule


def test_rules_plug_in_and_overrides_still_win():
    provider = Plus15()
    # Providers registered by the app (the rules package's) stay; they change nothing without a stored store.
    registered = len(offers.batch_rules(None, [variant()]))
    offers.register_rules(provider)
    try:
        rules = offers.batch_rules(None, [variant()])
        assert provider.batches == [[1]]
        repriced = offers.desired_offer(variant(price=Decimal(10)), SETTINGS, rules=rules)
        assert repriced.price == Decimal("11.50") and repriced.notes == ("rule:+15%",)
        excluded = offers.desired_offer(variant(sku="OUT-1"), SETTINGS, rules=rules)
        assert (excluded.eligible, excluded.quantity) == (False, 0)
        overridden = offers.desired_offer(variant(price=Decimal(10)), SETTINGS, offers.Overrides(price=Decimal(12)),
                                          rules)
        assert overridden.price == Decimal("12.00") and overridden.notes == ("rule:+15%", "override:price")
    finally:
        offers.unregister_rules(provider)
    assert len(offers.batch_rules(None, [variant()])) == registered
