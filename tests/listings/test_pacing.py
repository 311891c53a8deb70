"""Pacing: one bucket per seller and operation (the catalog's RateBucket), Amazon's 429s and
x-amzn-RateLimit-Limit honoured, faults retried; Saleor's hooks recompute variants at once."""

import pytest

from saleor_amazon_channel.catalog.models import RateBucket
from saleor_amazon_channel.listings import sync
from saleor_amazon_channel.listings.models import Listing, ListingSync
from saleor_amazon_channel.listings.tasks import listing_variants_changed_task
from tests.connected_stores import SELLER_A
from tests.listings.helpers import amazon_offers, calls, listing_of, match_catalog, sync_to_end

pytestmark = pytest.mark.django_db


def test_429s_and_5xx_are_retried_on_the_operations_bucket(selling):
    for n in range(4):
        selling.variant(sku=f"PACE-{n}")
    match_catalog(selling.store)
    selling.emu.selling.add_operation_fault("putListingsItem", status=429, count=2)
    selling.emu.selling.add_operation_fault("getListingsItem", status=503, count=1)

    run = sync_to_end(selling.store)

    assert run.status == "SUCCEEDED"
    assert set(amazon_offers(selling.emu)) == {f"PACE-{n}" for n in range(4)}
    assert calls(selling.emu, "putListingsItem") == 4 + 2  # each refused request asked again, once
    assert selling.emu.selling.counters()["throttled"] == {}  # our own pace never exceeds the plan
    # Buckets per seller and operation: reads do not wait behind writes.
    assert RateBucket.objects.filter(key=f"listings-putListingsItem:NA:{SELLER_A.selling_partner_id}").exists()
    assert RateBucket.objects.filter(key=f"listings-getListingsItem:NA:{SELLER_A.selling_partner_id}").exists()


def test_amazons_rate_limit_header_lowers_the_pace(selling):
    selling.emu.selling.set_usage_plan("putListingsItem", 2.0, 5)  # a seller whose plan Amazon lowered
    for n in range(3):
        selling.variant(sku=f"SLOW-{n}")
    match_catalog(selling.store)
    sync_to_end(selling.store)
    key = f"listings-putListingsItem:NA:{SELLER_A.selling_partner_id}"
    assert RateBucket.objects.get(key=key).rate == 2.0  # x-amzn-RateLimit-Limit
    refused_before = selling.emu.selling.counters()["throttled"].get("putListingsItem", 0)

    for n in range(3, 15):  # at 5 a second, a burst of 5 refilled at 2 a second runs out after 4 or 5
        selling.variant(sku=f"SLOW-{n}")
    match_catalog(selling.store)
    sync_to_end(selling.store)

    assert len(amazon_offers(selling.emu)) == 15
    assert selling.emu.selling.counters()["throttled"].get("putListingsItem", 0) == refused_before == 0


def test_a_saleor_hook_recomputes_the_variant_and_starts_a_sync(selling, set_stock,
                                                               django_capture_on_commit_callbacks):
    variant = selling.variant(quantity=6, sku="HOOK-1")
    match_catalog(selling.store)
    sync_to_end(selling.store)
    set_stock(variant, selling.warehouse, 1)
    runs_before = ListingSync.objects.count()

    with django_capture_on_commit_callbacks() as queued:
        listing_variants_changed_task([variant.pk])

    listing = listing_of(selling.store, variant)
    assert (listing.desired_quantity, listing.priority, listing.desired_operation) == (1, 0, "patch")
    assert ListingSync.objects.count() == runs_before + 1 and len(queued) == 1  # the run's task, after the commit
    run = ListingSync.objects.latest("pk")
    while not sync.execute(run.pk).finished:
        pass
    assert amazon_offers(selling.emu)["HOOK-1"][1] == 1
    assert not Listing.objects.filter(store=selling.store, desired_operation="patch").exists()
