"""Rules through the listings sync against the emulated Amazon (both hosts): ineligible variants, an offer on
Amazon dropping to quantity 0, price rules with a floor, dates, overrides, notes, and only real changes sent."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from saleor_amazon_channel.listings.models import Listing, ListingState
from saleor_amazon_channel.rules import services
from saleor_amazon_channel.rules.models import PriceRule
from tests.listings.helpers import amazon_offers, calls, listing_of, match_catalog, sync_to_end

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def two_categories(selling, rule_catalog, set_channel_price):
    """Three matched variants: two in Shoes (one in its subcategory Boots), one in Hats."""
    shoes = rule_catalog.category("Shoes")
    boots = rule_catalog.category("Boots", parent=shoes)
    hats = rule_catalog.category("Hats")
    made = {}
    for sku, category, price, cost in (("SHOE-1", shoes, "20.00", "12.00"), ("BOOT-1", boots, "50.00", "45.00"),
                                       ("HAT-1", hats, "15.00", None)):
        made[sku] = selling.variant(sku=sku, quantity=4)
        rule_catalog.place(made[sku], category=category)
        set_channel_price(made[sku], selling.store.channel, D(price), cost=None if cost is None else D(cost))
    match_catalog(selling.store)
    return shoes, hats, made


def price_rule(store, **data):
    return services.create_price_rule(store, {"name": "Amazon fees", "action": "INCREASE",
                                              "amount_type": "PERCENTAGE", "amount": D("15"), **data})


def test_a_store_restricted_to_one_category_lists_only_it_and_says_why_the_others_are_ineligible(
        selling, two_categories):
    shoes, hats, made = two_categories
    services.save_listing_rules(selling.store, {"category": {"oneOf": [shoes.pk]}})

    sync_to_end(selling.store)

    assert set(amazon_offers(selling.emu)) == {"SHOE-1", "BOOT-1"}  # Boots is a subcategory of Shoes
    hat = listing_of(selling.store, made["HAT-1"])
    assert (hat.state, hat.state_reason, hat.on_amazon) == (ListingState.INELIGIBLE, "EXCLUDED_BY_RULES", False)
    assert hat.desired_notes == [f'ineligible:{{"category":{{"oneOf":[{shoes.pk}]}}}}']
    assert calls(selling.emu, "putListingsItem") == 2


def test_an_offer_on_amazon_that_becomes_ineligible_drops_to_quantity_0_and_stays(selling, two_categories):
    shoes, hats, made = two_categories
    sync_to_end(selling.store)
    assert amazon_offers(selling.emu)["HAT-1"][1] == 4

    services.save_listing_rules(selling.store, {"category": {"noneOf": [hats.pk]}})
    sync_to_end(selling.store)

    offers = amazon_offers(selling.emu)
    assert offers["HAT-1"][:2] == (D("15.00"), 0)  # quantity 0, not deleted
    assert offers["SHOE-1"][1] == 4
    assert calls(selling.emu, "deleteListingsItem") == 0
    hat = listing_of(selling.store, made["HAT-1"])
    assert (hat.state, hat.accepted_quantity) == (ListingState.INELIGIBLE, 0)

    services.save_listing_rules(selling.store, {})  # eligible again: back on sale
    sync_to_end(selling.store)
    assert amazon_offers(selling.emu)["HAT-1"][1] == 4
    assert listing_of(selling.store, made["HAT-1"]).state == ListingState.ACTIVE


def test_plus_15_percent_with_a_floor_at_cost_plus_10_percent_reaches_amazon(selling, two_categories):
    shoes, hats, made = two_categories
    sync_to_end(selling.store)
    raise_ = price_rule(selling.store, priority=1)
    sale = price_rule(selling.store, name="Boots sale", action="DECREASE", amount=D("20"), priority=2,
                      conditions={"category": {"oneOf": [shoes.pk]}}, floor_type="COST_MARGIN",
                      floor_amount=D("10"))
    patches_before = calls(selling.emu, "patchListingsItem")

    sync_to_end(selling.store)

    offers = amazon_offers(selling.emu)
    # SHOE: 20 × 1.15 = 23.00, × 0.8 = 18.40 (floor 13.20). BOOT: 57.50 × 0.8 = 46.00 < floor 49.50. HAT: 17.25.
    assert {sku: offer[0] for sku, offer in offers.items()} == {
        "SHOE-1": D("18.40"), "BOOT-1": D("49.50"), "HAT-1": D("17.25")}
    assert listing_of(selling.store, made["BOOT-1"]).desired_notes == [
        f"price_rule:{raise_.pk}", f"price_rule:{sale.pk}", f"floor:{sale.pk}"]
    assert listing_of(selling.store, made["HAT-1"]).desired_notes == [f"price_rule:{raise_.pk}"]
    assert calls(selling.emu, "patchListingsItem") - patches_before == 3


def test_a_rule_change_sends_only_the_offers_whose_price_really_changed_decreases_first(selling, two_categories):
    shoes, hats, made = two_categories
    rule = price_rule(selling.store, conditions={"category": {"oneOf": [shoes.pk]}})
    sync_to_end(selling.store)
    before = calls(selling.emu, "patchListingsItem")

    services.update_price_rule(rule, {"conditions": {"category": {"oneOf": [hats.pk]}}})
    sync_to_end(selling.store)

    # The two shoes go back down (decreases first), the hat goes up: 3 patches; nothing else is sent.
    assert calls(selling.emu, "patchListingsItem") - before == 3
    offers = amazon_offers(selling.emu)
    assert (offers["SHOE-1"][0], offers["BOOT-1"][0], offers["HAT-1"][0]) == (D("20.00"), D("50.00"), D("17.25"))

    services.update_price_rule(rule, {"name": "Renamed"})  # no price changes: nothing sent
    sync_to_end(selling.store)
    assert calls(selling.emu, "patchListingsItem") - before == 3


def test_dates_and_inactive_rules(selling, two_categories):
    shoes, hats, made = two_categories
    now = timezone.now()
    price_rule(selling.store, starts_at=now + timedelta(days=1))
    price_rule(selling.store, ends_at=now - timedelta(minutes=1))
    price_rule(selling.store, is_active=False)
    current = price_rule(selling.store, amount=D("10"), starts_at=now - timedelta(days=1),
                         ends_at=now + timedelta(days=1))

    sync_to_end(selling.store)

    assert amazon_offers(selling.emu)["HAT-1"][0] == D("16.50")
    assert listing_of(selling.store, made["HAT-1"]).desired_notes == [f"price_rule:{current.pk}"]


def test_an_override_beats_every_rule(selling, two_categories):
    shoes, hats, made = two_categories
    rule = price_rule(selling.store)
    services.save_listing_rules(selling.store, {"category": {"oneOf": [shoes.pk]}})
    sync_to_end(selling.store)
    Listing.objects.filter(store=selling.store, variant_id=made["SHOE-1"].pk).update(override_price=D("19.99"))
    Listing.objects.filter(store=selling.store, variant_id=made["HAT-1"].pk).update(override_quantity=3)

    sync_to_end(selling.store)

    shoe = listing_of(selling.store, made["SHOE-1"])
    assert shoe.desired_price == D("19.99")
    assert shoe.desired_notes == [f"price_rule:{rule.pk}", "override:price"]
    # An override of quantity does not list what the rules exclude.
    assert listing_of(selling.store, made["HAT-1"]).state == ListingState.INELIGIBLE
    assert "HAT-1" not in amazon_offers(selling.emu)


def test_reorder_changes_which_rule_stops_the_others(selling, two_categories):
    shoes, hats, made = two_categories
    first = price_rule(selling.store, amount=D("10"), stop_further_rules=True)
    second = price_rule(selling.store, amount=D("50"))
    sync_to_end(selling.store)
    assert amazon_offers(selling.emu)["HAT-1"][0] == D("16.50")

    services.reorder_price_rules(selling.store, [second.pk, first.pk])
    sync_to_end(selling.store)

    assert list(PriceRule.objects.filter(store=selling.store).values_list("pk", "priority")) == [
        (second.pk, 1), (first.pk, 2)]
    assert amazon_offers(selling.emu)["HAT-1"][0] == D("24.75")  # 15 × 1.5 × 1.1
