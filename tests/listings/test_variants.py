"""The host's offer_variants and channel_warehouses, in both hosts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_amazon_channel.core.host import get_host

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel(make_channel):
    return make_channel(slug="amazon-offers", currency_code="USD")


def test_price_cost_stock_over_the_channels_warehouses_and_an_attribute(
    channel, make_channel, make_variant, make_warehouse, set_stock, set_channel_price
):
    other_channel = make_channel(slug="elsewhere")
    first, second = make_warehouse(channel), make_warehouse(channel, other_channel)
    not_served = make_warehouse(other_channel)
    variant = make_variant(channel, sku="OFFER-1", variant_values={"condition": "Used; Good"})
    set_channel_price(variant, channel, Decimal("19.999"), cost=Decimal("7.5"))
    set_stock(variant, first, 10, allocated=3)
    set_stock(variant, second, 2, allocated=5)  # over-allocated: counts as 0, never negative
    set_stock(variant, not_served, 100)
    bare = make_variant(channel, product_values={"condition": "New"})
    set_channel_price(bare, channel, None, track_inventory=False)
    make_variant(other_channel, sku="NOT-IN-CHANNEL")

    rows = get_host().offer_variants(channel.pk, attribute_slug="condition")

    assert [row.variant_id for row in rows] == [variant.pk, bare.pk]
    row = rows[0]
    assert (row.sku, row.product_id, row.currency, row.track_inventory) == ("OFFER-1", variant.product_id, "USD", True)
    assert row.price == Decimal("19.999") and row.cost_price == Decimal("7.5")
    assert row.available == 7
    assert row.attribute_value == "Used; Good"
    assert (rows[1].price, rows[1].track_inventory, rows[1].available, rows[1].attribute_value) == (
        None, False, 0, "New")
    assert get_host().offer_variants(channel.pk, warehouse_ids=[str(second.pk)])[0].available == 0
    assert get_host().offer_variants(channel.pk, warehouse_ids=[str(first.pk), str(not_served.pk)])[0].available == 7
    assert [w.id for w in get_host().channel_warehouses(channel.pk)] == sorted(
        [str(first.pk), str(second.pk)], key=lambda pk: {str(first.pk): first.name, str(second.pk): second.name}[pk])


def test_keyset_batches_and_a_constant_number_of_queries(channel, make_variant, make_warehouse, set_stock):
    warehouse = make_warehouse(channel)
    variants = [make_variant(channel, variant_values={"condition": "New"}) for _ in range(12)]
    for variant in variants:
        set_stock(variant, warehouse, 4)
    host = get_host()
    with CaptureQueriesContext(connection) as small:
        host.offer_variants(channel.pk, attribute_slug="condition", limit=2)
    with CaptureQueriesContext(connection) as large:
        first = host.offer_variants(channel.pk, attribute_slug="condition", limit=10)
    assert len(small) == len(large) <= 4
    rest = host.offer_variants(channel.pk, after=first[-1].variant_id, limit=10)
    assert [v.variant_id for v in first + rest] == [v.pk for v in variants]
    only = host.offer_variants(channel.pk, variant_ids=[variants[3].pk])
    assert [v.variant_id for v in only] == [variants[3].pk] and only[0].available == 4
