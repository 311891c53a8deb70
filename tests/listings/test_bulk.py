"""Writing changed listings with one ``UPDATE … FROM (VALUES …)`` (listings.bulk) and the scan writing only them."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_amazon_channel.listings import bulk, sync
from saleor_amazon_channel.listings.models import Listing
from tests.listings.helpers import listing_of, match_catalog

pytestmark = pytest.mark.django_db


def _listing_updates(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith('UPDATE "saleor_amazon_channel_listing"')]


def test_update_rows_writes_the_fields_of_the_given_rows_only(selling):
    first, second, third = (selling.variant(sku=f"BULK-{n}") for n in range(3))
    match_catalog(selling.store)
    sync.scan(selling.store)
    a, b = listing_of(selling.store, first), listing_of(selling.store, second)
    untouched = listing_of(selling.store, third)
    a.desired_price, a.desired_notes, a.desired_handling_time = Decimal("12.34"), ["rule:x", "ü"], None
    b.desired_price, b.desired_notes, b.desired_handling_time = None, [], 7
    a.name = b.name = "not written"  # not among the fields

    assert bulk.update_rows(Listing, [a, b], ["desired_price", "desired_notes", "desired_handling_time"]) == 2

    a, b = listing_of(selling.store, first), listing_of(selling.store, second)
    assert (a.desired_price, a.desired_notes, a.desired_handling_time) == (Decimal("12.34"), ["rule:x", "ü"], None)
    assert (b.desired_price, b.desired_notes, b.desired_handling_time) == (None, [], 7)
    assert a.name != "not written" and b.name != "not written"
    after = listing_of(selling.store, third)
    assert (after.desired_price, after.desired_notes, after.updated_at) == (
        untouched.desired_price, untouched.desired_notes, untouched.updated_at)


def test_update_rows_splits_large_writes(selling, monkeypatch):
    variants = [selling.variant(sku=f"SPLIT-{n}") for n in range(5)]
    match_catalog(selling.store)
    sync.scan(selling.store)
    rows = [listing_of(selling.store, v) for v in variants]
    for n, row in enumerate(rows):
        row.desired_quantity = 40 + n
    monkeypatch.setattr(bulk, "MAX_ROWS", 2)

    with CaptureQueriesContext(connection) as queries:
        assert bulk.update_rows(Listing, rows, ["desired_quantity"]) == 5

    assert len(_listing_updates(queries)) == 3
    assert [listing_of(selling.store, v).desired_quantity for v in variants] == [40, 41, 42, 43, 44]


def test_a_rescan_writes_only_the_listings_whose_desired_offer_changed(selling, set_channel_price):
    variants = [selling.variant(sku=f"ONLY-{n}") for n in range(4)]
    match_catalog(selling.store)
    sync.scan(selling.store)
    with CaptureQueriesContext(connection) as unchanged:
        assert sync.scan(selling.store).changed == 0
    set_channel_price(variants[2], selling.store.channel, Decimal("31.00"))

    with CaptureQueriesContext(connection) as one_changed:
        assert sync.scan(selling.store).changed == 1

    assert _listing_updates(unchanged) == []
    statements = _listing_updates(one_changed)
    assert len(statements) == 1 and "FROM unnest(" in statements[0] and "CASE" not in statements[0]
    assert listing_of(selling.store, variants[2]).desired_price == Decimal("31.00")


def test_an_unchanged_scan_locks_no_listing_of_the_batch(selling):
    for n in range(3):
        selling.variant(sku=f"NOLOCK-{n}")
    match_catalog(selling.store)
    sync.scan(selling.store)

    with CaptureQueriesContext(connection) as queries:
        assert sync.scan(selling.store).changed == 0

    locking = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    # Only the look-up of listings whose variant left the channel (ids past the batch) locks, and finds none.
    assert locking and all('"variant_id" >' in sql for sql in locking)


def test_a_listing_changed_between_the_read_and_the_lock_is_computed_from_the_locked_row(
        selling, set_channel_price, monkeypatch):
    variant = selling.variant(sku="RACE-1")
    match_catalog(selling.store)
    sync.scan(selling.store)
    set_channel_price(variant, selling.store.channel, Decimal("30.00"))
    real = sync._compute
    calls = []

    def compute_then_a_merchant_overrides(existing, variants, *args):
        result = real(existing, variants, *args)
        if not calls:  # after the unlocked read: a concurrent action commits an override
            Listing.objects.filter(store=selling.store, variant_id=variant.pk).update(override_price=Decimal("25.00"))
        calls.append(len(variants))
        return result

    monkeypatch.setattr(sync, "_compute", compute_then_a_merchant_overrides)
    sync.scan(selling.store)

    listing = listing_of(selling.store, variant)
    assert calls == [1, 1]
    assert (listing.override_price, listing.desired_price) == (Decimal("25.00"), Decimal("25.00"))
