"""The rules API: preview and save listing rules, price rule CRUD and reorder, a listing's applied rules,
errors from the outcomes, permissions."""

import json
from decimal import Decimal

import pytest

from saleor_amazon_channel.core import ids
from saleor_amazon_channel.rules.models import ListingRules, PriceRule
from tests.listings.helpers import amazon_offers, match_catalog, sync_to_end

pytestmark = pytest.mark.django_db

PREVIEW = """
query Preview($storeId: ID!, $conditions: AmazonRuleConditionInput, $first: Int) {
  amazonListingRulesPreview(storeId: $storeId, conditions: $conditions, first: $first) {
    total eligible { count variants { variantId sku price } } ineligible { count variants { sku failedCondition } }
    newlyEligible { count } newlyIneligible { count variants { sku } }
  }
}
"""
SAVE = """
mutation Save($storeId: ID!, $conditions: AmazonRuleConditionInput) {
  amazonListingRulesUpdate(storeId: $storeId, conditions: $conditions) {
    listingRules { conditions } errors { field code message }
  }
}
"""
CREATE = """
mutation Create($storeId: ID!, $input: AmazonPriceRuleInput!) {
  amazonPriceRuleCreate(storeId: $storeId, input: $input) {
    priceRule { id name priority amount action amountType floorType floorAmount conditions inEffect }
    errors { field code message }
  }
}
"""
RULES = """
query Rules($storeId: ID!) { amazonPriceRules(storeId: $storeId) { id name priority } }
"""
REORDER = """
mutation Reorder($storeId: ID!, $ids: [ID!]!) {
  amazonPriceRulesReorder(storeId: $storeId, ruleIds: $ids) { priceRules { name priority } errors { field code } }
}
"""
UPDATE = """
mutation Update($id: ID!, $input: AmazonPriceRuleInput!) {
  amazonPriceRuleUpdate(id: $id, input: $input) { priceRule { amount isActive } errors { field code message } }
}
"""
DELETE = """
mutation Delete($id: ID!) { amazonPriceRuleDelete(id: $id) { priceRule { id name } errors { field code } } }
"""
APPLIED = """
query Applied($storeId: ID!) {
  amazonListings(storeId: $storeId, first: 10) {
    edges { node { sellerSku state desired { price } appliedRules { kind note failedCondition
      priceRule { name } } } }
  }
}
"""


def gid(kind, pk):
    return ids.to_global_id(kind, pk)


@pytest.fixture
def shop(selling, rule_catalog, set_channel_price):
    shoes, hats = rule_catalog.category("Shoes"), rule_catalog.category("Hats")
    made = {}
    for sku, category, price in (("SHOE", shoes, "20"), ("HAT", hats, "15")):
        made[sku] = selling.variant(sku=sku, quantity=3)
        rule_catalog.place(made[sku], category=category)
        set_channel_price(made[sku], selling.store.channel, Decimal(price), cost=Decimal("10"))
    match_catalog(selling.store)
    return selling.store, shoes, hats, made


def test_a_merchant_previews_saves_and_prices_through_graphql(staff_api, selling, shop):
    store, shoes, hats, made = shop
    conditions = {"category": {"oneOf": [gid("Category", shoes.pk)]}}
    seen = staff_api.execute(PREVIEW, {"storeId": gid("AmazonStore", store.pk), "conditions": conditions})
    preview = seen["data"]["amazonListingRulesPreview"]
    assert preview["total"] == 2
    assert [v["sku"] for v in preview["eligible"]["variants"]] == ["SHOE"]
    assert [(v["sku"], json.loads(v["failedCondition"])) for v in preview["ineligible"]["variants"]] == [
        ("HAT", conditions)]
    assert preview["newlyIneligible"]["count"] == 1 and preview["newlyEligible"]["count"] == 0
    assert not ListingRules.objects.exists()  # a preview writes nothing

    saved = staff_api.execute(SAVE, {"storeId": gid("AmazonStore", store.pk), "conditions": conditions})
    assert saved["data"]["amazonListingRulesUpdate"]["errors"] == []
    assert json.loads(saved["data"]["amazonListingRulesUpdate"]["listingRules"]["conditions"]) == conditions

    created = staff_api.execute(CREATE, {"storeId": gid("AmazonStore", store.pk), "input": {
        "name": "Amazon fees", "action": "INCREASE", "amountType": "PERCENTAGE", "amount": "15",
        "floorType": "COST_MARGIN", "floorAmount": "10"}})["data"]["amazonPriceRuleCreate"]
    assert created["errors"] == []
    assert created["priceRule"]["priority"] == 1 and created["priceRule"]["inEffect"] is True
    sync_to_end(store)

    assert {sku: offer[0] for sku, offer in amazon_offers(selling.emu).items()} == {"SHOE": Decimal("23.00")}
    nodes = {edge["node"]["sellerSku"]: edge["node"] for edge in
             staff_api.execute(APPLIED, {"storeId": gid("AmazonStore", store.pk)})["data"]["amazonListings"]["edges"]}
    assert nodes["SHOE"]["appliedRules"] == [{"kind": "PRICE_RULE", "note": f"price_rule:{PriceRule.objects.get().pk}",
                                              "failedCondition": None, "priceRule": {"name": "Amazon fees"}}]
    assert nodes["HAT"]["state"] == "INELIGIBLE"
    assert nodes["HAT"]["appliedRules"][0]["kind"] == "LISTING_RULES"
    assert json.loads(nodes["HAT"]["appliedRules"][0]["failedCondition"]) == conditions


def test_price_rules_are_created_in_order_reordered_updated_and_deleted(staff_api, shop):
    store = shop[0]
    store_gid = gid("AmazonStore", store.pk)
    made = [staff_api.execute(CREATE, {"storeId": store_gid, "input": {
        "name": name, "action": "DECREASE", "amountType": "FIXED", "amount": "1"}})["data"]["amazonPriceRuleCreate"]
        ["priceRule"] for name in ("First", "Second")]
    assert [r["priority"] for r in made] == [1, 2]

    reordered = staff_api.execute(REORDER, {"storeId": store_gid, "ids": [made[1]["id"], made[0]["id"]]})
    assert reordered["data"]["amazonPriceRulesReorder"]["priceRules"] == [
        {"name": "Second", "priority": 1}, {"name": "First", "priority": 2}]
    partial = staff_api.execute(REORDER, {"storeId": store_gid, "ids": [made[1]["id"]]})
    assert partial["data"]["amazonPriceRulesReorder"]["errors"] == [{"field": "ruleIds", "code": "INVALID"}]

    updated = staff_api.execute(UPDATE, {"id": made[0]["id"], "input": {"amount": "2.5", "isActive": False}})
    assert updated["data"]["amazonPriceRuleUpdate"] == {"priceRule": {"amount": "2.5", "isActive": False},
                                                         "errors": []}
    deleted = staff_api.execute(DELETE, {"id": made[0]["id"]})
    assert deleted["data"]["amazonPriceRuleDelete"]["errors"] == []
    assert [r["name"] for r in staff_api.execute(RULES, {"storeId": store_gid})["data"]["amazonPriceRules"]] == [
        "Second"]


@pytest.mark.parametrize(("input", "field", "code"), [
    ({"action": "INCREASE", "amountType": "PERCENTAGE", "amount": "5"}, "name", "REQUIRED"),
    ({"name": "x", "action": "DECREASE", "amountType": "PERCENTAGE", "amount": "100"}, "amount", "INVALID"),
    ({"name": "x", "amount": "5", "floorType": "FIXED"}, "floorAmount", "REQUIRED"),
    ({"name": "x", "amount": "5", "startsAt": "2026-06-02T00:00:00+00:00", "endsAt": "2026-06-01T00:00:00+00:00"},
     "endsAt", "INVALID"),
    ({"name": "x", "amount": "5", "conditions": {"category": {"oneOf": ["not-an-id"]}}}, "conditions", "INVALID"),
    ({"name": "x", "amount": "5", "conditions": {"price": {"gte": "20", "lte": "10"}}}, "conditions", "INVALID"),
    ({"name": "x", "amount": "5", "priority": 0}, "priority", "INVALID"),
])
def test_refusals_name_the_field_with_an_outcome_code(staff_api, shop, input, field, code):
    result = staff_api.execute(CREATE, {"storeId": gid("AmazonStore", shop[0].pk), "input": input})
    payload = result["data"]["amazonPriceRuleCreate"]
    assert payload["priceRule"] is None
    assert (payload["errors"][0]["field"], payload["errors"][0]["code"]) == (field, code)
    assert not PriceRule.objects.exists()


def test_rules_need_manage_channels(staff_api_without_permission, shop):
    store_gid = gid("AmazonStore", shop[0].pk)
    denied = staff_api_without_permission.post(PREVIEW, {"storeId": store_gid}).json()
    assert denied["data"]["amazonListingRulesPreview"] is None
    assert denied["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    saved = staff_api_without_permission.post(SAVE, {"storeId": store_gid, "conditions": {"published": True}}).json()
    assert saved["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert not ListingRules.objects.exists()


COUNTS = """
query Counts($id: ID!) { amazonStore(id: $id) { listingSync { counts { ineligible active } } } }
"""


def test_the_sync_counts_ineligible_listings_and_applied_rules_take_one_query_for_the_rules(staff_api, selling, shop):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from saleor_amazon_channel.rules import services

    store, shoes, hats, made = shop
    services.save_listing_rules(store, {"category": {"oneOf": [shoes.pk]}})
    for amount in ("1", "2", "3"):
        services.create_price_rule(store, {"name": amount, "amount": Decimal(amount)})
    sync_to_end(store)
    counts = staff_api.execute(COUNTS, {"id": gid("AmazonStore", store.pk)})["data"]["amazonStore"]["listingSync"]
    assert counts["counts"] == {"ineligible": 1, "active": 1}
    with CaptureQueriesContext(connection) as queries:
        nodes = staff_api.execute(APPLIED, {"storeId": gid("AmazonStore", store.pk)})["data"]["amazonListings"]
    assert [rule["priceRule"]["name"] for edge in nodes["edges"] for rule in edge["node"]["appliedRules"]
            if rule["priceRule"]] == ["1", "2", "3", "1", "2", "3"]
    assert sum("saleor_amazon_channel_pricerule" in q["sql"] for q in queries.captured_queries) == 1


def test_an_update_leaves_what_it_does_not_name(staff_api, shop):
    store, shoes, hats, made = shop
    from saleor_amazon_channel.rules import services

    rule = services.create_price_rule(store, {"name": "Shoes", "amount": Decimal("5"),
                                              "conditions": {"category": {"oneOf": [shoes.pk]}}})
    staff_api.execute(UPDATE, {"id": gid("AmazonPriceRule", rule.pk), "input": {"amount": "7"}})
    rule.refresh_from_db()
    assert (rule.amount, rule.conditions, rule.name) == (Decimal("7"), {"category": {"oneOf": [shoes.pk]}}, "Shoes")
