"""Price rules applied to a channel price: in priority order, each rounded, then held between floors and ceilings.

Notes name what changed the price, in order: ``price_rule:<id>`` per rule applied, then ``floor:<id>`` or
``ceiling:<id>`` when a rule's floor or ceiling holds the price (``floor:minimum`` for the currency's
smallest amount, below which no rule lowers a price).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from saleor_amazon_channel.rules import money
from saleor_amazon_channel.rules.conditions import Check, Subject


@dataclass(frozen=True)
class PriceRuleSpec:
    """A price rule as the computation reads it (a plain snapshot of PriceRule)."""

    id: int
    action: str  # INCREASE, DECREASE
    amount_type: str  # PERCENTAGE, FIXED
    amount: Decimal
    rounding: str = "NONE"  # NONE, UP, DOWN, NEAREST
    rounding_ending: Decimal = Decimal("0.99")
    floor_type: str = "NONE"  # NONE, FIXED, COST_MARGIN
    floor_amount: Decimal | None = None
    ceiling_type: str = "NONE"  # NONE, FIXED, PRICE_MARGIN
    ceiling_amount: Decimal | None = None
    stop_further_rules: bool = False

    @classmethod
    def of(cls, rule: Any) -> "PriceRuleSpec":
        return cls(
            id=rule.pk, action=rule.action, amount_type=rule.amount_type, amount=Decimal(rule.amount),
            rounding=rule.rounding, rounding_ending=Decimal(rule.rounding_ending), floor_type=rule.floor_type,
            floor_amount=None if rule.floor_amount is None else Decimal(rule.floor_amount),
            ceiling_type=rule.ceiling_type,
            ceiling_amount=None if rule.ceiling_amount is None else Decimal(rule.ceiling_amount),
            stop_further_rules=rule.stop_further_rules,
        )

    def adjust(self, price: Decimal, currency: str) -> Decimal:
        change = money.percent_of(price, self.amount) if self.amount_type == "PERCENTAGE" else self.amount
        adjusted = money.quantize(price + change if self.action == "INCREASE" else price - change, currency)
        if self.rounding != "NONE" and adjusted > 0:
            adjusted = money.round_to_ending(adjusted, self.rounding_ending, self.rounding, currency)
        return adjusted

    def floor(self, channel_price: Decimal, cost_price: Decimal | None, currency: str) -> Decimal | None:
        if self.floor_type == "FIXED" and self.floor_amount is not None:
            return money.quantize(self.floor_amount, currency)
        if self.floor_type == "COST_MARGIN" and cost_price is not None:
            # Rounded up: a margin never ends a cent short.
            margin = cost_price + money.percent_of(cost_price, self.floor_amount or Decimal(0))
            return margin.quantize(money.unit(currency), rounding="ROUND_CEILING")
        return None

    def ceiling(self, channel_price: Decimal, currency: str) -> Decimal | None:
        if self.ceiling_type == "FIXED" and self.ceiling_amount is not None:
            return money.quantize(self.ceiling_amount, currency)
        if self.ceiling_type == "PRICE_MARGIN":
            high = channel_price + money.percent_of(channel_price, self.ceiling_amount or Decimal(0))
            return high.quantize(money.unit(currency), rounding="ROUND_FLOOR")
        return None


@dataclass(frozen=True)
class PricedRule:
    spec: PriceRuleSpec
    check: Check  # the rule's conditions


def apply_price_rules(
    rules: Sequence[PricedRule], subject: Subject, price: Decimal, currency: str
) -> tuple[Decimal, tuple[str, ...]]:
    """The price after ``rules`` (in their order) for ``subject``, and the notes saying why."""
    channel_price = price
    notes: list[str] = []
    floors: list[tuple[Decimal, str]] = []
    ceilings: list[tuple[Decimal, str]] = []
    for rule in rules:
        if rule.check(subject) is not None:
            continue
        spec = rule.spec
        price = spec.adjust(price, currency)
        notes.append(f"price_rule:{spec.id}")
        floor = spec.floor(channel_price, subject.variant.cost_price, currency)
        if floor is not None:
            floors.append((floor, f"floor:{spec.id}"))
        ceiling = spec.ceiling(channel_price, currency)
        if ceiling is not None:
            ceilings.append((ceiling, f"ceiling:{spec.id}"))
        if spec.stop_further_rules:
            break
    if not notes:
        return price, ()
    if ceilings:
        lowest, note = min(ceilings, key=lambda item: item[0])
        if price > lowest:
            price = lowest
            notes.append(note)
    if floors:
        highest, note = max(floors, key=lambda item: item[0])
        if price < highest:  # the floor wins over a ceiling below it
            price = highest
            notes.append(note)
    smallest = money.unit(currency)
    if price < smallest:
        price = smallest
        notes.append("floor:minimum")
    return price, tuple(notes)
