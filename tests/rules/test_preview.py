"""The preview of draft listing rules: counts and lists, equal to what saving them gives; nothing written;
a constant number of queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_amazon_channel.listings.models import Listing, ListingState
from saleor_amazon_channel.listings.sync import scan
from saleor_amazon_channel.rules import services
from saleor_amazon_channel.rules.preview import preview

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(selling, rule_catalog, set_channel_price):
    shoes, hats = rule_catalog.category("Shoes"), rule_catalog.category("Hats")
    made = []
    for n in range(6):
        variant = selling.variant(sku=f"V-{n}", quantity=n)
        rule_catalog.place(variant, category=shoes if n % 2 else hats)
        set_channel_price(variant, selling.store.channel, Decimal(10 + n))
        made.append(variant)
    return shoes, hats, made


def test_the_counts_are_what_saving_gives(selling, catalog):
    shoes, hats, made = catalog
    services.save_listing_rules(selling.store, {"category": {"oneOf": [shoes.pk]}})
    scan(selling.store)
    draft = services.clean_conditions({"all": [{"stock": {"gte": 2}}, {"price": {"lte": "14"}}]})

    seen = preview(selling.store, draft)

    assert seen.total == 6
    # Stock ≥ 2 and price ≤ 14: V-2, V-3, V-4.
    assert [v.sku for v in seen.eligible.variants] == ["V-2", "V-3", "V-4"] and seen.eligible.count == 3
    assert seen.ineligible.count == 3
    assert {v.sku: v.failed for v in seen.ineligible.variants} == {
        "V-0": {"stock": {"gte": 2}}, "V-1": {"stock": {"gte": 2}}, "V-5": {"price": {"lte": "14"}}}
    # Hats V-2 and V-4 were excluded by the saved rules; shoes V-1 and V-5 lose eligibility.
    assert [v.sku for v in seen.newly_eligible.variants] == ["V-2", "V-4"]
    assert [v.sku for v in seen.newly_ineligible.variants] == ["V-1", "V-5"]

    services.save_listing_rules(selling.store, draft)
    scan(selling.store)
    states = dict(Listing.objects.filter(store=selling.store).values_list("seller_sku", "state"))
    ineligible = sorted(sku for sku, state in states.items() if state == ListingState.INELIGIBLE)
    assert ineligible == sorted(v.sku for v in seen.ineligible.variants)
    assert len(states) - len(ineligible) == seen.eligible.count


def test_the_preview_writes_nothing_and_its_queries_do_not_grow_with_the_catalog(selling, catalog, rule_catalog):
    shoes, hats, made = catalog
    draft = services.clean_conditions({"any": [{"category": {"oneOf": [shoes.pk]}}, {"published": True}]})
    with CaptureQueriesContext(connection) as small:
        preview(selling.store, draft)
    assert all(q["sql"].lstrip().upper().startswith(("SELECT", "WITH")) for q in small.captured_queries)
    assert not Listing.objects.filter(store=selling.store).exists()
    for n in range(20):
        rule_catalog.place(selling.variant(sku=f"MORE-{n}"), category=hats)
    with CaptureQueriesContext(connection) as large:
        result = preview(selling.store, draft)
    assert result.total == 26 and result.ineligible.count == 3 + 20
    assert len(large.captured_queries) == len(small.captured_queries)


def test_lists_are_capped_but_counts_are_not(selling, catalog):
    result = preview(selling.store, {"price": {"gte": "0"}}, limit=2)
    assert result.eligible.count == 6 and len(result.eligible.variants) == 2
    assert result.newly_eligible.count == 0  # nothing was excluded before


def _python_counts(store, draft, saved):
    """What the rules give variant by variant, the way the listings apply them (conditions.compile_tree)."""
    from saleor_amazon_channel.core.host import get_host
    from saleor_amazon_channel.rules import conditions
    from saleor_amazon_channel.rules.provider import facts_for

    variants = get_host().offer_variants(store.channel_id, after=0, limit=10_000)
    facts = facts_for(store, variants, True)
    check_draft, check_saved = conditions.compile_tree(draft), conditions.compile_tree(saved)
    counts = [0, 0, 0, 0]
    for variant in variants:
        subject = conditions.Subject(variant, facts.get(variant.variant_id, conditions.EMPTY_FACTS))
        now, before = check_draft(subject) is None, check_saved(subject) is None
        counts[0 if now else 1] += 1
        counts[2] += now and not before
        counts[3] += before and not now
    return len(variants), counts


def test_the_counts_in_sql_equal_the_rules_variant_by_variant_for_every_kind(selling, rule_catalog,
                                                                             set_channel_price):
    from datetime import timedelta

    from django.utils import timezone

    channel = selling.store.channel
    shirts, other = rule_catalog.product_type("Shirts"), rule_catalog.product_type("Other")
    clothes = rule_catalog.category("Clothes")
    tops = rule_catalog.category("Tops", parent=clothes)
    sale = rule_catalog.collection("Sale")
    past, future = timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=1)
    made = []
    for n in range(12):
        variant = selling.variant(sku=f"K-{n}", quantity=n % 5, allocated=1 if n % 4 == 0 else 0)
        rule_catalog.place(variant, product_type=shirts if n % 2 else other,
                           category=(tops if n % 3 == 0 else clothes if n % 3 == 1 else None),
                           collections=[sale] if n % 4 == 1 else [])
        if n % 3 == 2:
            rule_catalog.value(variant, "color", "red" if n % 2 else "blue")
        if n % 5 == 3:
            rule_catalog.value(variant, "color", "red", level="variant")
        if n % 6:
            rule_catalog.publish(variant, channel, published=n % 6 != 5, published_at=future if n == 7 else None,
                                 available_at=past if n % 2 else (future if n == 4 else None))
        set_channel_price(variant, channel, None if n == 10 else Decimal(5 + 3 * n),
                          track_inventory=n != 11)
        made.append(variant)
    trees = [
        {"productType": {"oneOf": [shirts.pk]}},
        {"category": {"oneOf": [clothes.pk]}},
        {"category": {"noneOf": [tops.pk]}},
        {"collection": {"noneOf": [sale.pk]}},
        {"attribute": {"slug": "color", "oneOf": ["red"]}},
        {"attribute": {"slug": "color", "noneOf": ["red", "blue"]}},
        {"published": True},
        {"published": False},
        {"availableForPurchase": True},
        {"availableForPurchase": False},
        {"price": {"gte": "10", "lte": "30"}},
        {"stock": {"gte": 2}},
        {"stock": {"lte": 1}},
        {"stock": {"gte": 0, "lte": 3}},
        {"any": []},
        {"all": [{"any": [{"category": {"oneOf": [tops.pk]}}, {"attribute": {"slug": "color", "oneOf": ["red"]}}]},
                 {"stock": {"gte": 1}}, {"price": {"lte": "40"}}]},
    ]
    saved = services.clean_conditions({"any": [{"published": True}, {"stock": {"lte": 2}}]})
    for tree in trees:
        draft = services.clean_conditions(tree)
        for stored in ({}, saved):
            services.save_listing_rules(selling.store, stored)
            seen = preview(selling.store, draft)
            total, counts = _python_counts(selling.store, draft, stored)
            assert (seen.total, [seen.eligible.count, seen.ineligible.count, seen.newly_eligible.count,
                                 seen.newly_ineligible.count]) == (total, counts), (tree, stored)
