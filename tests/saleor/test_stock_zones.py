"""Stock offered to Amazon is what Saleor would allocate an order of the marketplace's country from.

Saleor 3.21 and 3.22 always allocate through shipping zones, 3.23 when ``use_legacy_shipping_zone_stock_availability``
is on (its database default, so every upgraded shop): only warehouses in a shipping zone of the channel covering the
order's country count. With the flag off, 3.23 allocates from every warehouse of the channel.
"""

import pytest
import saleor
from saleor.shipping.models import ShippingZone

from saleor_amazon_channel.core.host import get_host
from saleor_amazon_channel.listings import sync
from tests.listings.helpers import listing_of, match_catalog

pytestmark = pytest.mark.django_db

SALEOR_VERSION = tuple(int(part) for part in saleor.schema_version.split(".")[:2])
# 3.23 follows the site setting; before, stock is always counted through shipping zones.
FLAGS = [True, False] if SALEOR_VERSION >= (3, 23) else [False]


def zones_apply(flag):
    return flag or SALEOR_VERSION < (3, 23)


@pytest.fixture
def set_legacy_zones(site_settings):
    def set_flag(on):
        if SALEOR_VERSION >= (3, 23):
            site_settings.use_legacy_shipping_zone_stock_availability = on
            site_settings.save(update_fields=["use_legacy_shipping_zone_stock_availability"])

    return set_flag


@pytest.fixture
def shop(make_channel, make_variant, make_warehouse, set_stock):
    """A US-shipping warehouse (4), a French one (20), and one in a US zone the channel does not ship through (300),
    all three serving the channel; a variant that does not track inventory."""
    channel = make_channel()
    us = make_warehouse(channel, countries=["US"])
    france = make_warehouse(channel, countries=["FR"])
    other_zone = make_warehouse(channel, countries=())
    ShippingZone.objects.create(name="Not the channel's", countries=["US"]).warehouses.add(other_zone)
    variant = make_variant(channel, sku="ZONED-1")
    set_stock(variant, us, 10, allocated=6)
    set_stock(variant, france, 20)
    set_stock(variant, other_zone, 300)
    return channel, variant


@pytest.mark.parametrize("flag", FLAGS)
def test_offer_variants_count_the_warehouses_saleor_allocates_from(shop, set_legacy_zones, flag):
    channel, variant = shop
    set_legacy_zones(flag)
    host = get_host()

    def available(country_code):
        (row,) = host.offer_variants(channel.pk, country_code=country_code)
        return row.available

    assert (available("US"), available("FR"), available("JP")) == ((4, 20, 0) if zones_apply(flag) else (324,) * 3)
    assert available(None) == 324  # no country: every warehouse of the channel
    # Named warehouses narrow it further, never widen it.
    assert host.offer_variants(channel.pk, country_code="US", warehouse_ids=[str(w.pk) for w in
                               channel.warehouses.all()])[0].available == available("US")


@pytest.mark.parametrize("flag", FLAGS)
def test_condition_counts_sum_stock_the_same_way(shop, set_legacy_zones, flag):
    channel, variant = shop
    set_legacy_zones(flag)
    counts = get_host().condition_counts(channel.pk, [{"stock": {"gte": 5}}], country_code="US")
    assert counts == ({(False,): (1, [variant.pk])} if zones_apply(flag) else {(True,): (1, [variant.pk])})


@pytest.mark.parametrize("flag", FLAGS)
def test_the_scan_offers_the_marketplace_countrys_stock(selling, make_warehouse, set_stock, set_legacy_zones, flag):
    assert selling.store.marketplace.country_code == "US"
    set_legacy_zones(flag)
    variant = selling.variant(quantity=3)
    set_stock(variant, make_warehouse(selling.store.channel, countries=["FR"]), 40)
    match_catalog(selling.store)
    sync.scan(selling.store)
    assert listing_of(selling.store, variant).desired_quantity == (3 if zones_apply(flag) else 43)
