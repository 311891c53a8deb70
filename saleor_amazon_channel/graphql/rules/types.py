"""GraphQL types of listing and price rules: conditions in Saleor's ``where`` shape (AND / OR, global IDs)."""

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import graphene
from promise import Promise

from saleor_amazon_channel.core import ids
from saleor_amazon_channel.errors import refusal
from saleor_amazon_channel.graphql.core.context import ContextLoader, Info
from saleor_amazon_channel.listings.models import Listing
from saleor_amazon_channel.outcomes import Outcome
from saleor_amazon_channel.rules.models import (
    AmountType,
    CeilingType,
    FloorType,
    ListingRules,
    PriceAction,
    PriceRule,
    Rounding,
)
from saleor_amazon_channel.rules.preview import PreviewVariant

# The internal tree's id kinds and the Saleor types their global IDs name.
ID_TYPES = {"productType": "ProductType", "category": "Category", "collection": "Collection"}

AmazonPriceRuleAction = graphene.Enum("AmazonPriceRuleAction", [(c.value, c.value) for c in PriceAction],
                                      description="Raise or lower the channel price.")
AmazonPriceRuleAmountType = graphene.Enum("AmazonPriceRuleAmountType", [(c.value, c.value) for c in AmountType],
                                          description="A percentage of the price, or a fixed amount.")
AmazonPriceRounding = graphene.Enum(
    "AmazonPriceRounding", [(c.value, c.value) for c in Rounding],
    description="After the rule's action, move the price to the next (UP), previous (DOWN) or nearest price "
                "with the rounding ending (e.g. .99).")
AmazonPriceFloorType = graphene.Enum(
    "AmazonPriceFloorType", [(c.value, c.value) for c in FloorType],
    description="FIXED: never below floorAmount; COST_MARGIN: never below the cost price + floorAmount %.")
AmazonPriceCeilingType = graphene.Enum(
    "AmazonPriceCeilingType", [(c.value, c.value) for c in CeilingType],
    description="FIXED: never above ceilingAmount; PRICE_MARGIN: never above the channel price + ceilingAmount %.")


class AmazonIdsFilterInput(graphene.InputObjectType):
    one_of = graphene.List(graphene.NonNull(graphene.ID), description="Any of these.")
    none_of = graphene.List(graphene.NonNull(graphene.ID), description="None of these.")


class AmazonAttributeFilterInput(graphene.InputObjectType):
    slug = graphene.String(required=True, description="The attribute's slug.")
    one_of = graphene.List(graphene.NonNull(graphene.String), description="Any of these value slugs.")
    none_of = graphene.List(graphene.NonNull(graphene.String), description="None of these value slugs.")


class AmazonDecimalRangeInput(graphene.InputObjectType):
    gte = graphene.Decimal()
    lte = graphene.Decimal()


class AmazonIntRangeInput(graphene.InputObjectType):
    gte = graphene.Int()
    lte = graphene.Int()


class AmazonRuleConditionInput(graphene.InputObjectType):
    """Like Saleor's ``where`` filters: the fields of one object must all hold; AND / OR nest."""

    AND = graphene.List(graphene.NonNull(lambda: AmazonRuleConditionInput), description="All of these hold.")
    OR = graphene.List(graphene.NonNull(lambda: AmazonRuleConditionInput), description="At least one holds.")
    product_type = AmazonIdsFilterInput(description="Saleor product types.")
    category = AmazonIdsFilterInput(description="Saleor categories, subcategories included.")
    collection = AmazonIdsFilterInput(description="Saleor collections.")
    attribute = AmazonAttributeFilterInput(description="Attribute values, at product or variant level.")
    published = graphene.Boolean(description="The product is published in the store's channel.")
    available_for_purchase = graphene.Boolean(description="The product is available for purchase in the channel.")
    price = AmazonDecimalRangeInput(description="The variant's price in the channel.")
    stock = AmazonIntRangeInput(description="What Saleor can sell (variants not tracking inventory: unlimited).")


def _ids(value: Mapping[str, Any], kind: str, path: str) -> dict[str, list[int | None]]:
    result = {}
    for api, internal in (("one_of", "oneOf"), ("none_of", "noneOf")):
        if value.get(api) is None:
            continue
        decoded = [ids.decode(item, ID_TYPES[kind]) for item in value[api]]
        if any(pk is None for pk in decoded):
            raise refusal("conditions", f"{path}: these are not Saleor {ID_TYPES[kind]} IDs.", Outcome.INVALID)
        result[internal] = decoded
    if len(result) != 1:
        raise refusal("conditions", f"{path}: give oneOf or noneOf.", Outcome.INVALID)
    return result


def tree_from_input(node: Mapping[str, Any] | None, path: str = "conditions") -> dict[str, Any]:
    """The internal tree (:mod:`rules.conditions`, not yet cleaned) of an AmazonRuleConditionInput."""
    if node is None:
        return {}
    parts: list[dict[str, Any]] = []
    for key in ("AND", "OR"):
        if node.get(key) is not None:
            children = [tree_from_input(child, f"{path}.{key}.{i}") for i, child in enumerate(node[key])]
            parts.append({"all" if key == "AND" else "any": [c for c in children if c]})
    for kind, api in (("productType", "product_type"), ("category", "category"), ("collection", "collection")):
        if node.get(api) is not None:
            parts.append({kind: _ids(node[api], kind, f"{path}.{api}")})
    if node.get("attribute") is not None:
        value = dict(node["attribute"])
        attribute = {"slug": value.get("slug")}
        for api, internal in (("one_of", "oneOf"), ("none_of", "noneOf")):
            if value.get(api) is not None:
                attribute[internal] = list(value[api])
        parts.append({"attribute": attribute})
    for kind, api in (("published", "published"), ("availableForPurchase", "available_for_purchase")):
        if node.get(api) is not None:
            parts.append({kind: node[api]})
    if node.get("price") is not None:
        parts.append({"price": {k: str(v) for k, v in node["price"].items() if v is not None}})
    if node.get("stock") is not None:
        parts.append({"stock": {k: v for k, v in node["stock"].items() if v is not None}})
    if not parts:
        return {}
    return parts[0] if len(parts) == 1 else {"all": parts}


def tree_to_api(tree: Mapping[str, Any] | None) -> dict[str, Any]:
    """The stored tree as the API spells it: AND / OR, camelCase, Saleor global IDs."""
    if not tree:
        return {}
    ((kind, value),) = tree.items()
    if kind in ("all", "any"):
        return {"AND" if kind == "all" else "OR": [tree_to_api(child) for child in value]}
    if kind in ID_TYPES:
        return {kind: {op: [ids.to_global_id(ID_TYPES[kind], pk) for pk in pks] for op, pks in value.items()}}
    return {kind: value}


def plain(amount: Decimal | str | int | None) -> Decimal | None:
    """A stored amount without trailing zeros (15, 2.5, 0.99), never in exponent notation."""
    if amount is None:
        return None
    amount = Decimal(amount)
    return amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount.normalize()


class AmazonListingRules(graphene.ObjectType):
    conditions = graphene.JSONString(required=True, description="The condition tree in AmazonRuleConditionInput's "
                                     "shape; {} means every variant of the channel is eligible.")
    updated_at = graphene.DateTime()

    @staticmethod
    def resolve_conditions(root: ListingRules, info: Info) -> dict[str, Any]:
        return tree_to_api(root.conditions)

    @staticmethod
    def resolve_updated_at(root: ListingRules, info: Info) -> datetime | None:
        return root.updated_at if root.pk else None


class AmazonPriceRule(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    description = graphene.String(required=True)
    is_active = graphene.Boolean(required=True)
    starts_at = graphene.DateTime()
    ends_at = graphene.DateTime()
    in_effect = graphene.Boolean(required=True, description="Active and within its dates now.")
    priority = graphene.Int(required=True, description="1 applies first.")
    stop_further_rules = graphene.Boolean(required=True, description="Rules after this one do not apply to the "
                                          "variants it applies to.")
    conditions = graphene.JSONString(required=True, description="Which variants; {} for all.")
    action = AmazonPriceRuleAction(required=True)
    amount_type = AmazonPriceRuleAmountType(required=True)
    amount = graphene.Decimal(required=True)
    rounding = AmazonPriceRounding(required=True)
    rounding_ending = graphene.Decimal(required=True)
    floor_type = AmazonPriceFloorType(required=True)
    floor_amount = graphene.Decimal()
    ceiling_type = AmazonPriceCeilingType(required=True)
    ceiling_amount = graphene.Decimal()

    @staticmethod
    def resolve_id(root: PriceRule, info: Info) -> str:
        return ids.to_global_id("AmazonPriceRule", root.pk)

    @staticmethod
    def resolve_amount(root: PriceRule, info: Info) -> Decimal | None:
        return plain(root.amount)

    @staticmethod
    def resolve_rounding_ending(root: PriceRule, info: Info) -> Decimal | None:
        return plain(root.rounding_ending)

    @staticmethod
    def resolve_floor_amount(root: PriceRule, info: Info) -> Decimal | None:
        return plain(root.floor_amount)

    @staticmethod
    def resolve_ceiling_amount(root: PriceRule, info: Info) -> Decimal | None:
        return plain(root.ceiling_amount)

    @staticmethod
    def resolve_conditions(root: PriceRule, info: Info) -> dict[str, Any]:
        return tree_to_api(root.conditions)

    @staticmethod
    def resolve_in_effect(root: PriceRule, info: Info) -> bool:
        from django.utils import timezone

        return root.in_effect(timezone.now())


class AmazonPreviewVariant(graphene.ObjectType):
    variant_id = graphene.ID(required=True, description="Saleor's ProductVariant global ID.")
    sku = graphene.String(required=True)
    price = graphene.Decimal()
    failed_condition = graphene.JSONString(description="The condition the draft excludes it by.")

    @staticmethod
    def resolve_variant_id(root: PreviewVariant, info: Info) -> str:
        return ids.to_global_id("ProductVariant", root.variant_id)

    @staticmethod
    def resolve_failed_condition(root: PreviewVariant, info: Info) -> dict[str, Any] | None:
        return tree_to_api(root.failed) if root.failed else None


class AmazonPreviewList(graphene.ObjectType):
    count = graphene.Int(required=True)
    variants = graphene.List(graphene.NonNull(AmazonPreviewVariant), required=True, description="The first ones, "
                             "by variant.")


class AmazonListingRulesPreview(graphene.ObjectType):
    total = graphene.Int(required=True, description="Variants of the store's channel.")
    eligible = graphene.Field(AmazonPreviewList, required=True)
    ineligible = graphene.Field(AmazonPreviewList, required=True)
    newly_eligible = graphene.Field(AmazonPreviewList, required=True, description="Eligible under the draft, "
                                    "excluded by the saved rules.")
    newly_ineligible = graphene.Field(AmazonPreviewList, required=True, description="Excluded by the draft, eligible "
                                      "under the saved rules (on Amazon, they would drop to quantity 0).")


AmazonAppliedRuleKind = graphene.Enum(
    "AmazonAppliedRuleKind",
    [("LISTING_RULES", "LISTING_RULES"), ("PRICE_RULE", "PRICE_RULE"), ("FLOOR", "FLOOR"), ("CEILING", "CEILING"),
     ("OVERRIDE", "OVERRIDE"), ("OTHER", "OTHER")],
    description="What changed a listing's desired offer.",
)


class AmazonAppliedRule(graphene.ObjectType):
    kind = AmazonAppliedRuleKind(required=True)
    price_rule = graphene.Field(AmazonPriceRule, description="The price rule (PRICE_RULE, FLOOR, CEILING); null "
                                "once deleted, or for the currency's minimum.")
    failed_condition = graphene.JSONString(description="LISTING_RULES: the condition that makes it ineligible.")
    field = graphene.String(description="OVERRIDE: price, quantity, handling_time or condition.")
    note = graphene.String(required=True, description="As stored on the listing.")


class PriceRuleLoader(ContextLoader):
    def batch_load_fn(self, keys: list[int]) -> Promise[list[PriceRule | None]]:
        found = PriceRule.objects.in_bulk(list(keys))
        return Promise.resolve([found.get(key) for key in keys])


def _loader(info: Info) -> PriceRuleLoader:
    return info.context.loader(PriceRuleLoader)


def _price_rule_note(kind: str, note: str) -> Callable[[PriceRule | None], AmazonAppliedRule]:
    return lambda rule: AmazonAppliedRule(kind=kind, price_rule=rule, note=note)


def applied_rules(listing: Listing, info: Info) -> Promise[list[AmazonAppliedRule]]:
    """A listing's notes, in order, as AmazonAppliedRule (price rules loaded in one query per request)."""
    result: list[Promise[AmazonAppliedRule]] = []
    for note in listing.desired_notes or []:
        note = str(note)
        head, _, rest = note.partition(":")
        if head == "ineligible":
            try:
                condition = tree_to_api(json.loads(rest))
            except (ValueError, TypeError, AttributeError):
                condition = None
            result.append(Promise.resolve(AmazonAppliedRule(kind="LISTING_RULES", failed_condition=condition,
                                                            note=note)))
        elif head in ("price_rule", "floor", "ceiling") and rest.isdigit():
            kind = {"price_rule": "PRICE_RULE", "floor": "FLOOR", "ceiling": "CEILING"}[head]
            result.append(_loader(info).load(int(rest)).then(_price_rule_note(kind, note)))
        elif head == "floor":
            result.append(Promise.resolve(AmazonAppliedRule(kind="FLOOR", note=note)))
        elif head == "override":
            result.append(Promise.resolve(AmazonAppliedRule(kind="OVERRIDE", field=rest, note=note)))
        else:
            result.append(Promise.resolve(AmazonAppliedRule(kind="OTHER", note=note)))
    return Promise.all(result)
