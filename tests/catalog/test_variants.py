"""The host adapter's channel_variants: the same answers in the stand-in host and in Saleor."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_amazon_channel.core.host import get_host

pytestmark = pytest.mark.django_db


def test_variants_of_the_channel_with_their_identifier_by_keyset(make_channel, make_variant):
    channel, other = make_channel(), make_channel()
    by_variant = make_variant(channel, sku="V-1", name="Red", product_name="Shirt", variant_values={"ean": "111"},
                              product_values={"ean": "999"})
    by_product = make_variant(channel, sku="V-2", product_values={"ean": "222"})
    sku_only = make_variant(channel, sku="V-3")
    no_sku = make_variant(channel, sku=None, variant_values={"gtin": "333"})
    make_variant(other, sku="ELSEWHERE", variant_values={"ean": "444"})
    make_variant(None, sku="UNLISTED", variant_values={"ean": "555"})
    host = get_host()

    rows = host.channel_variants(channel.pk, "ean", after=0, limit=10)

    assert [(r.variant_id, r.sku, r.identifier) for r in rows] == [
        (by_variant.pk, "V-1", "111"),  # the variant's own value wins over the product's
        (by_product.pk, "V-2", "222"),
        (sku_only.pk, "V-3", ""),
        (no_sku.pk, "", ""),
    ]
    assert (rows[0].name, rows[0].product_name) == ("Red", "Shirt")
    assert [r.identifier for r in host.channel_variants(channel.pk, None, after=0, limit=10)] == [
        "V-1",
        "V-2",
        "V-3",
        "",
    ]
    page = host.channel_variants(channel.pk, "ean", after=by_variant.pk, limit=2)
    assert [r.variant_id for r in page] == [by_product.pk, sku_only.pk]
    assert host.channel_variants(channel.pk, "ean", after=no_sku.pk, limit=2) == []


def test_a_batch_costs_three_queries_whatever_its_size(make_channel, make_variant):
    channel = make_channel()
    for n in range(30):
        make_variant(channel, sku=f"Q-{n}", variant_values={"ean": str(n)}, product_values={"ean": "p"})
    host = get_host()
    for limit in (3, 30):
        with CaptureQueriesContext(connection) as queries:
            rows = host.channel_variants(channel.pk, "ean", after=0, limit=limit)
        assert len(rows) == limit and len(queries) == 3
