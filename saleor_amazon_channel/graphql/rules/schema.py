"""The rules API: a store's listing rules (with a preview before saving) and price rules (MANAGE_CHANNELS)."""

from collections.abc import Mapping
from typing import Any

import graphene

from saleor_amazon_channel.core import ids
from saleor_amazon_channel.core.host import MANAGE_CHANNELS
from saleor_amazon_channel.errors import DomainError, refusal
from saleor_amazon_channel.graphql.core.context import Info, permission_required
from saleor_amazon_channel.graphql.rules.types import (
    AmazonListingRules,
    AmazonListingRulesPreview,
    AmazonPriceCeilingType,
    AmazonPriceFloorType,
    AmazonPriceRounding,
    AmazonPriceRule,
    AmazonPriceRuleAction,
    AmazonPriceRuleAmountType,
    AmazonRuleConditionInput,
    tree_from_input,
)
from saleor_amazon_channel.graphql.stores.mutations import AmazonStoreMutation, get_store_or_error
from saleor_amazon_channel.outcomes import Outcome
from saleor_amazon_channel.rules import preview, services
from saleor_amazon_channel.rules.models import ListingRules, PriceRule
from saleor_amazon_channel.rules.preview import Preview

MAX_PREVIEW_LIST = 100


class AmazonPriceRuleInput(graphene.InputObjectType):
    name = graphene.String()
    description = graphene.String()
    is_active = graphene.Boolean()
    starts_at = graphene.DateTime(description="null: from now on.")
    ends_at = graphene.DateTime(description="null: no end.")
    priority = graphene.Int(description="1 applies first; default: after the store's last rule.")
    stop_further_rules = graphene.Boolean()
    conditions = AmazonRuleConditionInput(description="Which variants; none: all of them.")
    action = AmazonPriceRuleAction()
    amount_type = AmazonPriceRuleAmountType()
    amount = graphene.Decimal()
    rounding = AmazonPriceRounding()
    rounding_ending = graphene.Decimal(description="The ending prices are rounded to: 0.99 (default), 0.95, 9 "
                                       "(currencies without decimals)...")
    floor_type = AmazonPriceFloorType()
    floor_amount = graphene.Decimal()
    ceiling_type = AmazonPriceCeilingType()
    ceiling_amount = graphene.Decimal()


def _rule_data(input: Mapping[str, Any]) -> dict[str, Any]:
    data = {}
    for key, value in input.items():
        if key == "conditions":
            data["conditions"] = tree_from_input(value)
        elif hasattr(value, "value"):  # a graphene enum member
            data[key] = value.value
        else:
            data[key] = value
    return data


def get_price_rule_or_error(global_id: object, field: str = "id") -> PriceRule:
    pk = ids.decode(global_id, "AmazonPriceRule")
    if pk is None:
        raise refusal(field, "This is not an Amazon price rule ID.", Outcome.INVALID)
    rule = PriceRule.objects.select_related("store").filter(pk=pk).first()
    if rule is None:
        raise refusal(field, "No Amazon price rule has this ID.", Outcome.NOT_FOUND)
    return rule


class RulesQuery(graphene.ObjectType):
    amazon_listing_rules = graphene.Field(
        AmazonListingRules, store_id=graphene.ID(required=True),
        description="Which of the channel's variants the store offers on Amazon. Requires MANAGE_CHANNELS.",
    )
    amazon_price_rules = graphene.List(
        graphene.NonNull(AmazonPriceRule), store_id=graphene.ID(required=True),
        description="The store's price rules in the order they apply. Requires MANAGE_CHANNELS.",
    )
    amazon_listing_rules_preview = graphene.Field(
        AmazonListingRulesPreview, store_id=graphene.ID(required=True),
        conditions=AmazonRuleConditionInput(description="The draft; none: every variant."),
        first=graphene.Int(description=f"Variants per list, at most {MAX_PREVIEW_LIST} (default 20)."),
        description="What draft listing rules would make eligible and ineligible, before saving them; nothing "
                    "is written. Requires MANAGE_CHANNELS.",
    )

    @staticmethod
    @permission_required(MANAGE_CHANNELS)
    def resolve_amazon_listing_rules(root: object, info: Info, store_id: str) -> ListingRules | None:
        try:
            return services.listing_rules(get_store_or_error(store_id, field="store_id"))
        except DomainError:
            return None

    @staticmethod
    @permission_required(MANAGE_CHANNELS)
    def resolve_amazon_price_rules(root: object, info: Info, store_id: str) -> list[PriceRule] | None:
        try:
            store = get_store_or_error(store_id, field="store_id")
        except DomainError:
            return None
        return list(PriceRule.objects.filter(store=store).order_by("priority", "pk"))

    @staticmethod
    @permission_required(MANAGE_CHANNELS)
    def resolve_amazon_listing_rules_preview(
        root: object, info: Info, store_id: str, conditions: Mapping[str, Any] | None = None, first: int | None = 20
    ) -> Preview | None:
        from graphql import GraphQLError

        if first is None or not 0 <= first <= MAX_PREVIEW_LIST:
            raise GraphQLError(f"'first' is between 0 and {MAX_PREVIEW_LIST}.")
        try:
            store = get_store_or_error(store_id, field="store_id")
            draft = services.clean_conditions(tree_from_input(conditions))
        except DomainError as error:
            if error.problems[0].field == "store_id":
                return None
            raise GraphQLError(error.problems[0].message) from None
        return preview.preview(store, draft, limit=first)


class AmazonListingRulesUpdate(AmazonStoreMutation):
    listing_rules = graphene.Field(AmazonListingRules)

    class Arguments:
        store_id = graphene.ID(required=True)
        conditions = AmazonRuleConditionInput(description="None or {}: every variant is eligible.")

    class Meta:
        description = ("Save the store's listing rules; the variants they exclude become Ineligible (offers already "
                       "on Amazon drop to quantity 0). Requires MANAGE_CHANNELS.")

    @classmethod
    def perform_mutation(
        cls, root: object, info: Info, store_id: str, conditions: Mapping[str, Any] | None = None
    ) -> "AmazonListingRulesUpdate":
        store = get_store_or_error(store_id, field="store_id")
        rules = services.save_listing_rules(store, tree_from_input(conditions))
        return cls(amazon_store=store, listing_rules=rules, errors=[])


class AmazonPriceRuleCreate(AmazonStoreMutation):
    price_rule = graphene.Field(AmazonPriceRule)

    class Arguments:
        store_id = graphene.ID(required=True)
        input = AmazonPriceRuleInput(required=True)

    class Meta:
        description = "Add a price rule to the store; prices are recomputed. Requires MANAGE_CHANNELS."

    @classmethod
    def perform_mutation(
        cls, root: object, info: Info, store_id: str, input: Mapping[str, Any]
    ) -> "AmazonPriceRuleCreate":
        store = get_store_or_error(store_id, field="store_id")
        rule = services.create_price_rule(store, _rule_data(input))
        return cls(amazon_store=store, price_rule=rule, errors=[])


class AmazonPriceRuleUpdate(AmazonStoreMutation):
    price_rule = graphene.Field(AmazonPriceRule)

    class Arguments:
        id = graphene.ID(required=True)
        input = AmazonPriceRuleInput(required=True)

    class Meta:
        description = "Change a price rule; prices are recomputed. Requires MANAGE_CHANNELS."

    @classmethod
    def perform_mutation(cls, root: object, info: Info, id: str, input: Mapping[str, Any]) -> "AmazonPriceRuleUpdate":
        rule = get_price_rule_or_error(id)
        rule = services.update_price_rule(rule, _rule_data(input))
        return cls(amazon_store=rule.store, price_rule=rule, errors=[])


class AmazonPriceRuleDelete(AmazonStoreMutation):
    price_rule = graphene.Field(AmazonPriceRule, description="The deleted rule (its ID no longer resolves).")

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = "Delete a price rule; prices are recomputed. Requires MANAGE_CHANNELS."

    @classmethod
    def perform_mutation(cls, root: object, info: Info, id: str) -> "AmazonPriceRuleDelete":
        rule = get_price_rule_or_error(id)
        pk = rule.pk
        services.delete_price_rule(rule)
        rule.pk = pk
        return cls(amazon_store=rule.store, price_rule=rule, errors=[])


class AmazonPriceRulesReorder(AmazonStoreMutation):
    price_rules = graphene.List(graphene.NonNull(AmazonPriceRule))

    class Arguments:
        store_id = graphene.ID(required=True)
        rule_ids = graphene.List(graphene.NonNull(graphene.ID), required=True,
                                 description="Every price rule of the store, first to apply first.")

    class Meta:
        description = "Set the order price rules apply in (priorities 1, 2, 3...). Requires MANAGE_CHANNELS."

    @classmethod
    def perform_mutation(
        cls, root: object, info: Info, store_id: str, rule_ids: list[str]
    ) -> "AmazonPriceRulesReorder":
        store = get_store_or_error(store_id, field="store_id")
        decoded = [ids.decode(rule_id, "AmazonPriceRule") for rule_id in rule_ids]
        pks = [pk for pk in decoded if pk is not None]
        if len(pks) != len(decoded):
            raise refusal("rule_ids", "These are not Amazon price rule IDs.", Outcome.INVALID)
        try:
            rules = services.reorder_price_rules(store, pks)
        except DomainError:
            raise refusal("rule_ids", "Name every price rule of the store, once each.", Outcome.INVALID) from None
        return cls(amazon_store=store, price_rules=rules, errors=[])
