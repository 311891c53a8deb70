"""Every condition kind against the host's facts (both hosts), groups and nesting, and what a tree may be."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from saleor_amazon_channel.core.host import get_host
from saleor_amazon_channel.rules import conditions

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(make_channel, make_variant, make_warehouse, set_stock, set_channel_price, rule_catalog):
    """Four variants: a shirt (Clothes › Shirts, summer collection, red, published and on sale), a jacket
    (Clothes, blue variant, published but not yet on sale), a mug (Home, unpublished) and a lamp (no category,
    published later)."""
    channel = make_channel()
    warehouse = make_warehouse(channel)
    clothes, home = rule_catalog.category("Clothes"), rule_catalog.category("Home")
    shirts = rule_catalog.category("Shirts", parent=clothes)
    apparel, kitchen = rule_catalog.product_type("Apparel"), rule_catalog.product_type("Kitchen")
    summer = rule_catalog.collection("Summer")
    now = timezone.now()
    v = {}
    for name, price, stock in (("shirt", "20", 5), ("jacket", "80", 0), ("mug", "8", 50), ("lamp", "35", 2)):
        v[name] = make_variant(channel, sku=name.upper())
        set_channel_price(v[name], channel, Decimal(price), cost=Decimal(price) / 2)
        set_stock(v[name], warehouse, stock)
    rule_catalog.place(v["shirt"], product_type=apparel, category=shirts, collections=[summer])
    rule_catalog.place(v["jacket"], product_type=apparel, category=clothes)
    rule_catalog.place(v["mug"], product_type=kitchen, category=home)
    rule_catalog.value(v["shirt"], "color", "red")
    rule_catalog.value(v["jacket"], "color", "blue", level="variant")
    rule_catalog.publish(v["shirt"], channel, available_at=now - timedelta(days=1))
    rule_catalog.publish(v["jacket"], channel, available_at=now + timedelta(days=3))
    rule_catalog.publish(v["mug"], channel, published=False)
    rule_catalog.publish(v["lamp"], channel, published_at=now + timedelta(days=1))
    ids = {"clothes": clothes.pk, "home": home.pk, "shirts": shirts.pk, "apparel": apparel.pk,
           "kitchen": kitchen.pk, "summer": summer.pk}
    return channel, v, ids


def matching(shop, tree):
    channel, variants, _ = shop
    host = get_host()
    offered = host.offer_variants(channel.pk)
    facts = {f.variant_id: f for f in host.variant_facts(channel.pk, [o.variant_id for o in offered])}
    check = conditions.compile_tree(conditions.clean(tree))
    names = {variant.pk: name for name, variant in variants.items()}
    return sorted(names[o.variant_id] for o in offered
                  if check(conditions.Subject(o, facts.get(o.variant_id, conditions.EMPTY_FACTS))) is None)


def test_the_hosts_facts(shop):
    channel, v, ids = shop
    facts = {f.variant_id: f for f in get_host().variant_facts(channel.pk, [x.pk for x in v.values()])}
    shirt = facts[v["shirt"].pk]
    assert shirt.category_ids == (ids["shirts"], ids["clothes"])  # the category, then its ancestors
    assert (shirt.product_type_id, shirt.collection_ids) == (ids["apparel"], (ids["summer"],))
    assert ("color", "red") in shirt.attribute_values
    assert (shirt.published, shirt.available_for_purchase) == (True, True)
    assert ("color", "blue") in facts[v["jacket"].pk].attribute_values  # variant level
    assert (facts[v["jacket"].pk].published, facts[v["jacket"].pk].available_for_purchase) == (True, False)
    assert facts[v["mug"].pk].published is False
    assert (facts[v["lamp"].pk].category_ids, facts[v["lamp"].pk].published) == ((), False)  # published later


def test_the_hosts_facts_take_constant_queries(shop, make_variant, rule_catalog):
    channel, v, ids = shop
    host = get_host()
    with CaptureQueriesContext(connection) as few:
        host.variant_facts(channel.pk, [x.pk for x in v.values()])
    for _ in range(10):
        extra = make_variant(channel)
        rule_catalog.value(extra, "color", "green")
    all_ids = [o.variant_id for o in host.offer_variants(channel.pk)]
    with CaptureQueriesContext(connection) as many:
        host.variant_facts(channel.pk, all_ids)
    assert len(many.captured_queries) == len(few.captured_queries) <= 6


@pytest.mark.parametrize(("name", "tree", "expected"), [
    ("product type", {"productType": {"oneOf": ["apparel"]}}, ["jacket", "shirt"]),
    ("product type excluded", {"productType": {"noneOf": ["apparel"]}}, ["lamp", "mug"]),
    ("category with subcategories", {"category": {"oneOf": ["clothes"]}}, ["jacket", "shirt"]),
    ("subcategory only", {"category": {"oneOf": ["shirts"]}}, ["shirt"]),
    ("category excluded", {"category": {"noneOf": ["clothes"]}}, ["lamp", "mug"]),
    ("collection", {"collection": {"oneOf": ["summer"]}}, ["shirt"]),
    ("attribute at product level", {"attribute": {"slug": "color", "oneOf": ["red"]}}, ["shirt"]),
    ("attribute at variant level", {"attribute": {"slug": "color", "oneOf": ["blue", "green"]}}, ["jacket"]),
    ("attribute excluded", {"attribute": {"slug": "color", "noneOf": ["red"]}}, ["jacket", "lamp", "mug"]),
    ("published", {"published": True}, ["jacket", "shirt"]),
    ("not published", {"published": False}, ["lamp", "mug"]),
    ("available for purchase", {"availableForPurchase": True}, ["shirt"]),
    ("price range", {"price": {"gte": "10", "lte": "35"}}, ["lamp", "shirt"]),
    ("price from", {"price": {"gte": "35.00"}}, ["jacket", "lamp"]),
    ("stock", {"stock": {"gte": 1}}, ["lamp", "mug", "shirt"]),
    ("stock at most", {"stock": {"lte": 2}}, ["jacket", "lamp"]),
    ("all", {"all": [{"category": {"oneOf": ["clothes"]}}, {"stock": {"gte": 1}}]}, ["shirt"]),
    ("any", {"any": [{"collection": {"oneOf": ["summer"]}}, {"price": {"lte": "10"}}]}, ["mug", "shirt"]),
    ("nested", {"any": [{"all": [{"productType": {"oneOf": ["apparel"]}}, {"published": True},
                                 {"stock": {"lte": 0}}]}, {"category": {"oneOf": ["home"]}}]}, ["jacket", "mug"]),
    ("nothing", {}, ["jacket", "lamp", "mug", "shirt"]),
    ("empty all", {"all": []}, ["jacket", "lamp", "mug", "shirt"]),
])
def test_each_condition_kind(shop, name, tree, expected):
    ids = shop[2]

    def resolve(node):
        if isinstance(node, dict):
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [ids.get(item, item) if isinstance(item, str) else resolve(item) for item in node]
        return node

    if any(kind in str(tree) for kind in ("productType", "category", "collection")):
        tree = resolve(tree)
    assert matching(shop, tree) == expected, name


def test_a_variant_not_tracking_inventory_has_unlimited_stock(shop, set_channel_price):
    channel, v, _ = shop
    set_channel_price(v["jacket"], channel, Decimal("80"), track_inventory=False)
    assert "jacket" in matching(shop, {"stock": {"gte": 1000}})
    assert "jacket" not in matching(shop, {"stock": {"lte": 1000}})


def test_the_failed_condition_is_named():
    check = conditions.compile_tree(conditions.clean({"all": [{"price": {"gte": "10"}}, {"stock": {"gte": 1}}]}))
    from saleor_amazon_channel.core.host import OfferVariant

    subject = conditions.Subject(OfferVariant(1, "", 1, Decimal("5"), "USD", None, True, 3, ""), conditions.EMPTY_FACTS)
    assert check(subject) == {"price": {"gte": "10"}}
    any_check = conditions.compile_tree(conditions.clean({"any": [{"price": {"gte": "10"}}, {"stock": {"gte": 9}}]}))
    assert any_check(subject) == {"any": [{"price": {"gte": "10"}}, {"stock": {"gte": 9}}]}


@pytest.mark.parametrize(("tree", "path"), [
    ({"colour": True}, "colour"),
    ({"all": {"price": {}}}, "all"),
    ({"all": [{"price": {"gte": "x"}}]}, "all.0.price"),
    ({"price": {"gte": "20", "lte": "10"}}, "price"),
    ({"category": {"oneOf": []}}, "category"),
    ({"category": {"oneOf": ["abc"]}}, "category"),
    ({"category": {"someOf": [1]}}, "category"),
    ({"attribute": {"oneOf": ["red"]}}, "attribute"),
    ({"published": "yes"}, "published"),
    ({"stock": {"gte": 1.5}}, "stock"),
    ({"price": {"gte": "1"}, "stock": {"gte": 1}}, ""),
    ({"all": [{"all": [{"all": [{"all": [{"all": [{"all": [{"published": True}]}]}]}]}]}]},
     "all.0.all.0.all.0.all.0.all.0.all"),
])
def test_invalid_trees_say_where(tree, path):
    with pytest.raises(conditions.InvalidConditions) as raised:
        conditions.clean(tree)
    assert raised.value.path.startswith(path)


def test_a_tree_is_stored_canonical():
    assert conditions.clean({"all": [{"category": {"oneOf": [3, "2", 3]}}, {"price": {"gte": 10}}]}) == {
        "all": [{"category": {"oneOf": [2, 3]}}, {"price": {"gte": "10"}}]}
