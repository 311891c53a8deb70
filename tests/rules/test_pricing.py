"""Price rules on a price: actions, order, stop-further-rules, rounding, floor and ceiling, currencies (no database)."""

from decimal import Decimal

import pytest

from saleor_amazon_channel.core.host import OfferVariant
from saleor_amazon_channel.rules import conditions, money
from saleor_amazon_channel.rules.pricing import PricedRule, PriceRuleSpec, apply_price_rules

D = Decimal


def subject(price="45.49", cost=None, currency="USD", product_type=1):
    variant = OfferVariant(1, "SKU", 1, D(price), currency, None if cost is None else D(cost), True, 5, "")
    facts = conditions.VariantFacts(1, 1, product_type, (), (), frozenset(), True, True)
    return conditions.Subject(variant, facts)


def rule(id=1, action="INCREASE", amount_type="PERCENTAGE", amount="10", tree=None, **kwargs):
    spec = PriceRuleSpec(id=id, action=action, amount_type=amount_type, amount=D(amount), **kwargs)
    return PricedRule(spec, conditions.compile_tree(conditions.clean(tree or {})))


def price(rules, **kwargs):
    s = subject(**kwargs)
    return apply_price_rules(rules, s, s.variant.price, s.variant.currency)


def test_adobes_two_standard_rules_example():
    rules = [rule(1, "DECREASE", "PERCENTAGE", "10"), rule(2, "DECREASE", "FIXED", "10")]
    assert price(rules, price="45.49") == (D("30.94"), ("price_rule:1", "price_rule:2"))
    assert price(rules, price="47.76")[0] == D("32.98")


def test_increase_by_percentage_and_fixed():
    assert price([rule(amount="15")], price="20.00") == (D("23.00"), ("price_rule:1",))
    assert price([rule(amount_type="FIXED", amount="2.5")], price="20.00")[0] == D("22.50")


def test_stop_further_rules_discards_the_rules_after_it_only_when_it_applies():
    sale = {"productType": {"oneOf": [7]}}
    rules = [rule(1, "DECREASE", amount="10", tree=sale), rule(2, "DECREASE", "FIXED", "2", tree=sale,
                                                                stop_further_rules=True),
             rule(3, "DECREASE", amount="5")]
    # Adobe's example: sale products get rules 1 and 2, the others only rule 3.
    assert price(rules, price="100.00", product_type=7) == (D("88.00"), ("price_rule:1", "price_rule:2"))
    assert price(rules, price="100.00", product_type=1) == (D("95.00"), ("price_rule:3",))


def test_no_rule_applies_leaves_the_price_and_says_nothing():
    assert price([rule(tree={"productType": {"oneOf": [9]}})], price="12.34") == (D("12.34"), ())


@pytest.mark.parametrize(("mode", "amount", "expected"), [
    ("UP", "23.41", "23.99"), ("DOWN", "23.41", "22.99"), ("NEAREST", "23.41", "22.99"),
    ("NEAREST", "23.60", "23.99"), ("UP", "23.99", "23.99"), ("DOWN", "23.99", "23.99"), ("UP", "24.00", "24.99"),
    ("DOWN", "0.50", "0.99"),  # never down to nothing
])
def test_rounding_to_an_ending(mode, amount, expected):
    assert money.round_to_ending(D(amount), D("0.99"), mode, "USD") == D(expected)


def test_rounding_applies_after_the_rules_action():
    assert price([rule(amount="15", rounding="UP")], price="20.00")[0] == D("23.99")
    assert price([rule(amount="15", rounding="NEAREST", rounding_ending=D("0.95"))], price="20.00")[0] == D("22.95")


def test_a_currency_without_decimals_rounds_in_units():
    assert price([rule(amount="15")], price="1000", currency="JPY")[0] == D("1150")
    assert money.round_to_ending(D("1234"), D("9"), "UP", "JPY") == D("1239")
    assert price([rule(amount="10")], price="1.005", currency="KWD")[0] == D("1.106")


def test_floor_at_cost_plus_margin_holds_the_price_and_says_so():
    rules = [rule(1, "DECREASE", amount="50", floor_type="COST_MARGIN", floor_amount=D("10"))]
    assert price(rules, price="20.00", cost="12.00") == (D("13.20"), ("price_rule:1", "floor:1"))
    # Above the floor: nothing to hold.
    assert price(rules, price="30.00", cost="12.00") == (D("15.00"), ("price_rule:1",))
    # No cost price: no floor from it.
    assert price(rules, price="20.00") == (D("10.00"), ("price_rule:1",))


def test_floor_margin_is_rounded_up_never_a_cent_short():
    rules = [rule(1, "DECREASE", amount="90", floor_type="COST_MARGIN", floor_amount=D("10"))]
    assert price(rules, price="20.00", cost="3.333")[0] == D("3.67")


def test_fixed_floor_and_ceiling():
    assert price([rule(1, "DECREASE", "FIXED", "15", floor_type="FIXED", floor_amount=D("9.99"))], price="20.00") == (
        D("9.99"), ("price_rule:1", "floor:1"))
    assert price([rule(1, amount="50", ceiling_type="FIXED", ceiling_amount=D("25"))], price="20.00") == (
        D("25.00"), ("price_rule:1", "ceiling:1"))
    assert price([rule(1, amount="50", ceiling_type="PRICE_MARGIN", ceiling_amount=D("20"))], price="20.00") == (
        D("24.00"), ("price_rule:1", "ceiling:1"))


def test_a_later_rule_cannot_go_below_an_earlier_rules_floor_and_the_floor_beats_a_ceiling():
    rules = [rule(1, "DECREASE", amount="10", floor_type="FIXED", floor_amount=D("18")),
             rule(2, "DECREASE", "FIXED", "5", ceiling_type="FIXED", ceiling_amount=D("15"))]
    assert price(rules, price="20.00") == (D("18.00"), ("price_rule:1", "price_rule:2", "floor:1"))


def test_a_price_never_drops_below_the_smallest_amount():
    assert price([rule(1, "DECREASE", "FIXED", "50")], price="20.00") == (
        D("0.01"), ("price_rule:1", "floor:minimum"))
