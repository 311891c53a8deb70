"""Saving a store's rules: checked in the domain's terms (:class:`DomainError`), then the store's desired
offers are recomputed by a listings sync (which sends only the offers that changed, decreases first)."""

import logging
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from saleor_amazon_channel.errors import DomainError, Problem, refusal
from saleor_amazon_channel.listings import sync
from saleor_amazon_channel.outcomes import Outcome
from saleor_amazon_channel.rules import conditions
from saleor_amazon_channel.rules.models import (
    AmountType,
    CeilingType,
    FloorType,
    ListingRules,
    PriceAction,
    PriceRule,
    Rounding,
)

logger = logging.getLogger(__name__)

MAX_AMOUNT = Decimal("1000000000")
PRICE_RULE_FIELDS = (
    "name", "description", "is_active", "starts_at", "ends_at", "priority", "stop_further_rules", "conditions",
    "action", "amount_type", "amount", "rounding", "rounding_ending", "floor_type", "floor_amount",
    "ceiling_type", "ceiling_amount",
)


def clean_conditions(tree: Any, field: str = "conditions") -> dict[str, Any]:
    try:
        return conditions.clean(tree)
    except conditions.InvalidConditions as error:
        raise refusal(field, str(error), Outcome.INVALID) from None


def save_listing_rules(store: Any, tree: Any) -> ListingRules:
    cleaned = clean_conditions(tree)
    with transaction.atomic():
        rules, _ = ListingRules.objects.select_for_update().get_or_create(store=store)
        rules.conditions, rules.updated_at = cleaned, timezone.now()
        rules.save(update_fields=["conditions", "updated_at"])
        rules_changed(store)
    return rules


def listing_rules(store: Any) -> ListingRules:
    """The store's listing rules (unsaved and empty when it has none; reading writes nothing)."""
    return ListingRules.objects.filter(store=store).first() or ListingRules(store=store, conditions={})


def _decimal(value: Any, field: str, problems: list[Problem]) -> Decimal | None:
    if value is None:
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        problems.append(Problem(field, Outcome.INVALID, "Not a decimal number."))
        return None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        problems.append(Problem(field, Outcome.INVALID, "Between 0 and 1,000,000,000."))
        return None
    return amount


def _check(rule: PriceRule) -> None:
    problems: list[Problem] = []
    rule.name = (rule.name or "").strip()
    if not rule.name:
        problems.append(Problem("name", Outcome.REQUIRED, "A price rule needs a name."))
    elif len(rule.name) > 250:
        problems.append(Problem("name", Outcome.INVALID, "At most 250 characters."))
    choices = (("action", PriceAction), ("amount_type", AmountType), ("rounding", Rounding),
               ("floor_type", FloorType), ("ceiling_type", CeilingType))
    for name, enum in choices:
        if getattr(rule, name) not in enum.values:
            problems.append(Problem(name, Outcome.INVALID, "One of " + ", ".join(enum.values) + "."))
    for name in ("amount", "rounding_ending", "floor_amount", "ceiling_amount"):
        setattr(rule, name, _decimal(getattr(rule, name), name, problems))
    if rule.amount is None:
        problems.append(Problem("amount", Outcome.REQUIRED, "The adjustment amount is required."))
    elif rule.action == PriceAction.DECREASE and rule.amount_type == AmountType.PERCENTAGE and rule.amount >= 100:
        problems.append(Problem("amount", Outcome.INVALID, "A decrease is less than 100%."))
    if rule.rounding_ending is None:
        rule.rounding_ending = Decimal("0.99")
    elif rule.rounding_ending >= 1000:
        problems.append(Problem("rounding_ending", Outcome.INVALID, "The ending is below 1000 (0.99, 0.95, 9)."))
    if rule.floor_type != FloorType.NONE and rule.floor_amount is None:
        problems.append(Problem("floor_amount", Outcome.REQUIRED, "A floor needs an amount (or a margin in %)."))
    if rule.ceiling_type != CeilingType.NONE and rule.ceiling_amount is None:
        problems.append(Problem("ceiling_amount", Outcome.REQUIRED, "A ceiling needs an amount (or a margin in %)."))
    if (rule.floor_type == FloorType.FIXED and rule.ceiling_type == CeilingType.FIXED
            and rule.floor_amount is not None and rule.ceiling_amount is not None
            and rule.floor_amount > rule.ceiling_amount):
        problems.append(Problem("ceiling_amount", Outcome.INVALID, "The ceiling is below the floor."))
    if rule.starts_at and rule.ends_at and rule.ends_at <= rule.starts_at:
        problems.append(Problem("ends_at", Outcome.INVALID, "The end is after the start."))
    if not isinstance(rule.priority, int) or isinstance(rule.priority, bool) or not 1 <= rule.priority <= 10000:
        problems.append(Problem("priority", Outcome.INVALID, "A priority from 1 (first) to 10,000."))
    try:
        rule.conditions = conditions.clean(rule.conditions)
    except conditions.InvalidConditions as error:
        problems.append(Problem("conditions", Outcome.INVALID, str(error)))
    if problems:
        raise DomainError(problems)


def create_price_rule(store: Any, data: dict[str, Any]) -> PriceRule:
    unknown = set(data) - set(PRICE_RULE_FIELDS)
    if unknown:
        raise refusal(sorted(unknown)[0], "Not a price rule field.", Outcome.INVALID)
    with transaction.atomic():
        if data.get("priority") is None:
            last = PriceRule.objects.filter(store=store).aggregate(last=Max("priority"))["last"]
            data = {**data, "priority": (last or 0) + 1}
        rule = PriceRule(store=store, **{k: v for k, v in data.items() if v is not None or k in (
            "starts_at", "ends_at", "floor_amount", "ceiling_amount")})
        _check(rule)
        rule.save()
        rules_changed(store)
    return rule


def update_price_rule(rule: PriceRule, data: dict[str, Any]) -> PriceRule:
    unknown = set(data) - set(PRICE_RULE_FIELDS)
    if unknown:
        raise refusal(sorted(unknown)[0], "Not a price rule field.", Outcome.INVALID)
    with transaction.atomic():
        for name, value in data.items():
            if value is None and name in ("name", "is_active", "priority", "stop_further_rules", "action",
                                          "amount_type", "amount", "rounding", "floor_type", "ceiling_type"):
                continue  # not nullable: null leaves it as it is
            setattr(rule, name, value if value is not None or name != "conditions" else {})
        rule.updated_at = timezone.now()
        _check(rule)
        rule.save()
        rules_changed(rule.store)
    return rule


def delete_price_rule(rule: PriceRule) -> None:
    store = rule.store
    with transaction.atomic():
        rule.delete()
        rules_changed(store)


def reorder_price_rules(store: Any, rule_ids: Sequence[int]) -> list[PriceRule]:
    """Priorities 1, 2, 3... in the order of ``rule_ids``, which names every rule of the store once."""
    with transaction.atomic():
        rules = {rule.pk: rule for rule in PriceRule.objects.select_for_update().filter(store=store)}
        if len(set(rule_ids)) != len(rule_ids) or set(rule_ids) != set(rules):
            raise refusal("rules", "Name every price rule of the store, once each.", Outcome.INVALID)
        now = timezone.now()
        for priority, pk in enumerate(rule_ids, start=1):
            rules[pk].priority, rules[pk].updated_at = priority, now
        PriceRule.objects.bulk_update(list(rules.values()), ["priority", "updated_at"])
        rules_changed(store)
    return [rules[pk] for pk in rule_ids]


def rules_changed(store: Any) -> None:
    """Recompute the store's desired offers: a listings sync (after the commit), if the store can sync now;
    otherwise its next sync applies the rules."""
    try:
        sync.start_sync(store, actor="rules")
    except sync.StartRefused as refused:
        logger.info("amazon_channel.rules.sync_not_started", extra={"store_id": store.pk, "code": refused.reason})
