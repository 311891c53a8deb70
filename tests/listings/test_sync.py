"""The listings sync against the emulator over real HTTP, in the test database (both hosts)."""

from decimal import Decimal

import pytest

from saleor_amazon_channel.amazon import listings as amazon_listings
from saleor_amazon_channel.catalog.models import CatalogMatch
from saleor_amazon_channel.listings import sync
from saleor_amazon_channel.listings.models import Listing, ListingFeed, ListingSettings, ListingState, SyncStatus
from tests.catalog.helpers import ean_with
from tests.connected_stores import SELLER_A, US
from tests.listings.helpers import amazon_offers, calls, listing_of, match_catalog, sync_to_end

pytestmark = pytest.mark.django_db


def test_matched_variants_are_listed_with_saleor_price_and_stock_and_read_back_active(selling):
    first = selling.variant(quantity=5, allocated=2, sku="SELL-1")
    second = selling.variant(quantity=4, sku="SELL-2")
    match_catalog(selling.store)

    run = sync_to_end(selling.store)

    assert run.status == SyncStatus.SUCCEEDED
    assert amazon_offers(selling.emu) == {
        "SELL-1": (Decimal("10.00"), 3, ["BUYABLE", "DISCOVERABLE"]),
        "SELL-2": (Decimal("10.00"), 4, ["BUYABLE", "DISCOVERABLE"]),
    }
    listing = listing_of(selling.store, first)
    assert listing.state == ListingState.ACTIVE and listing.on_amazon
    assert (listing.accepted_price, listing.accepted_quantity, listing.accepted_handling_time) == (
        Decimal("10.00"), 3, 2)
    assert (listing.amazon_price, listing.amazon_quantity, listing.amazon_status) == (
        Decimal("10.00"), 3, ["BUYABLE", "DISCOVERABLE"])
    assert listing.accepted_version == listing.desired_version == 1
    assert listing_of(selling.store, second).state == ListingState.ACTIVE
    assert calls(selling.emu, "putListingsItem") == 2
    assert calls(selling.emu, "createReport") == 1  # the first run reads the seller's existing offers

    again = sync_to_end(selling.store)  # nothing changed: nothing sent, no second report

    assert calls(selling.emu, "putListingsItem") == 2 and calls(selling.emu, "patchListingsItem") == 0
    assert calls(selling.emu, "createReport") == 1
    assert (again.sent, again.changed) == (0, 0)


def test_each_incomplete_reason_and_nothing_sent_for_them(selling, make_variant, set_channel_price):
    no_match = selling.variant(matches=0)
    multiple = selling.variant(matches=2)
    no_identifier = make_variant(selling.store.channel)
    foreign = selling.variant()
    set_channel_price(foreign, selling.store.channel, Decimal("12"), currency="EUR")
    unpriced = selling.variant()
    set_channel_price(unpriced, selling.store.channel, None)
    match_catalog(selling.store)

    sync_to_end(selling.store)

    reasons = {variant.pk: (listing_of(selling.store, variant).state, listing_of(selling.store, variant).state_reason)
               for variant in (no_match, multiple, no_identifier, foreign, unpriced)}
    assert reasons == {
        no_match.pk: ("INCOMPLETE", "NO_CATALOG_MATCH"),
        multiple.pk: ("INCOMPLETE", "MULTIPLE_MATCHES"),
        no_identifier.pk: ("INCOMPLETE", "NO_IDENTIFIER"),
        foreign.pk: ("INCOMPLETE", "CURRENCY_MISMATCH"),
        unpriced.pk: ("INCOMPLETE", "NO_PRICE"),
    }
    assert calls(selling.emu, "putListingsItem") == 0
    assert listing_of(selling.store, no_identifier).seller_sku == f"SALEOR-{no_identifier.pk}"  # generated, stable


def test_missing_condition_and_ready_to_list_when_auto_listing_is_off(selling):
    held = selling.variant(sku="HELD-1")
    match_catalog(selling.store)
    ListingSettings.objects.create(store=selling.store, auto_list=False)

    sync_to_end(selling.store)

    listing = listing_of(selling.store, held)
    assert (listing.state, listing.on_amazon) == (ListingState.READY_TO_LIST, False)
    assert calls(selling.emu, "putListingsItem") == 0

    Listing.objects.filter(pk=listing.pk).update(list_requested=True)
    sync_to_end(selling.store)
    assert listing_of(selling.store, held).state == ListingState.ACTIVE

    ListingSettings.objects.filter(store=selling.store).update(condition_attribute="condition")
    sync.scan(selling.store)
    assert (listing_of(selling.store, held).state, listing_of(selling.store, held).state_reason) == (
        "INCOMPLETE", "MISSING_CONDITION")


def test_existing_offers_are_adopted_by_sku_and_asin_never_duplicated(selling):
    by_sku = selling.variant(quantity=2, sku="OLD-SKU-1")
    by_asin = selling.variant(quantity=6, sku="SALEOR-SKU-2")
    fba = selling.variant(quantity=9, sku="FBA-SKU-3")
    match_catalog(selling.store)
    asin_of = {v.pk: CatalogMatch.objects.get(variant_id=v.pk).asin for v in (by_sku, by_asin, fba)}
    selling.emu.offer_book.seed(SELLER_A.selling_partner_id, US, [
        {"sku": "OLD-SKU-1", "asin": asin_of[by_sku.pk], "price": "10.00", "quantity": 7},
        {"sku": "LEGACY-SKU-2", "asin": asin_of[by_asin.pk], "price": "10.00", "quantity": 6},
        {"sku": "FBA-SKU-3", "asin": asin_of[fba.pk], "price": "11.00", "quantity": 40,
         "fulfillment_channel_code": "AMAZON_NA"},
        {"sku": "THIRD-PARTY-9", "asin": "B000000009", "price": "5.00", "quantity": 1},
    ])

    sync_to_end(selling.store)

    assert calls(selling.emu, "putListingsItem") == 0  # all three variants were already on Amazon
    assert calls(selling.emu, "patchListingsItem") == 1  # OLD-SKU-1: quantity 7 -> what Saleor has, 2
    offers_now = amazon_offers(selling.emu)
    assert set(offers_now) == {"OLD-SKU-1", "LEGACY-SKU-2", "FBA-SKU-3", "THIRD-PARTY-9"}
    assert offers_now["OLD-SKU-1"][1] == 2
    assert offers_now["FBA-SKU-3"][1] == 40  # Amazon's stock: never overwritten
    adopted = listing_of(selling.store, by_asin)
    assert adopted.seller_sku == "LEGACY-SKU-2" and adopted.on_amazon
    assert listing_of(selling.store, fba).fulfillment_channel == "AMAZON_NA"
    third = Listing.objects.get(store=selling.store, seller_sku="THIRD-PARTY-9")
    assert (third.state, third.variant_id) == (ListingState.THIRD_PARTY, None)


def test_changes_are_patched_decreases_first(selling, set_stock, set_channel_price, monkeypatch):
    up = selling.variant(quantity=3, sku="UP-1")
    down = selling.variant(quantity=8, sku="DOWN-2")
    priced = selling.variant(quantity=4, sku="PRICE-3")
    match_catalog(selling.store)
    sync_to_end(selling.store)
    set_stock(up, selling.warehouse, 9)
    set_stock(down, selling.warehouse, 1)
    set_channel_price(priced, selling.store.channel, Decimal("14.5"))
    order = []
    real_patch = amazon_listings.patch_offer

    def recording(http, token, marketplace, seller_id, sku, product_type, offer):
        order.append(sku)
        return real_patch(http, token, marketplace, seller_id, sku, product_type, offer)

    monkeypatch.setattr(amazon_listings, "patch_offer", recording)

    sync_to_end(selling.store)

    assert order[0] == "DOWN-2" and sorted(order) == ["DOWN-2", "PRICE-3", "UP-1"]
    assert amazon_offers(selling.emu)["DOWN-2"][1] == 1
    assert amazon_offers(selling.emu)["UP-1"][1] == 9
    assert amazon_offers(selling.emu)["PRICE-3"][0] == Decimal("14.50")


def test_end_relist_and_an_amazon_issue_in_errors(selling, set_channel_price):
    variant = selling.variant(sku="END-1")
    free = selling.variant(sku="FREE-2")
    set_channel_price(free, selling.store.channel, Decimal("0"))
    match_catalog(selling.store)
    sync_to_end(selling.store)
    error = listing_of(selling.store, free)
    assert error.state == ListingState.ERROR and error.issues  # price 0: accepted, then suppressed by Amazon
    assert any(issue.get("severity") == "ERROR" for issue in error.issues)

    Listing.objects.filter(store=selling.store, variant=variant).update(ended=True)
    sync_to_end(selling.store)
    assert "END-1" not in amazon_offers(selling.emu)
    assert listing_of(selling.store, variant).state == ListingState.ENDED

    Listing.objects.filter(store=selling.store, variant=variant).update(ended=False)
    sync_to_end(selling.store)
    assert amazon_offers(selling.emu)["END-1"][2] == ["BUYABLE", "DISCOVERABLE"]
    assert listing_of(selling.store, variant).state == ListingState.ACTIVE


def test_a_backlog_goes_as_one_feed_when_feeds_turn_around_faster(selling, settings):
    settings.AMAZON_CHANNEL_LISTINGS_FEED_TURNAROUND = 0  # the store has no feed yet: the setting is expected
    for n in range(4):
        selling.variant(quantity=n + 1, sku=f"FEED-{n}")
    match_catalog(selling.store)

    sync_to_end(selling.store)

    assert calls(selling.emu, "createFeed") == 1 and calls(selling.emu, "putListingsItem") == 0
    feed = ListingFeed.objects.get(store=selling.store)
    assert feed.status == "DONE" and len(feed.messages) == 4
    assert {sku: quantity for sku, (_, quantity, _) in amazon_offers(selling.emu).items()} == {
        "FEED-0": 1, "FEED-1": 2, "FEED-2": 3, "FEED-3": 4}
    assert set(Listing.objects.filter(store=selling.store).values_list("state", flat=True)) == {"ACTIVE"}
    assert not Listing.objects.filter(feed__isnull=False).exists()


def test_a_fatal_feed_falls_back_to_one_by_one(selling, settings):
    settings.AMAZON_CHANNEL_LISTINGS_FEED_TURNAROUND = 0
    for n in range(3):
        selling.variant(sku=f"FATAL-{n}")
    match_catalog(selling.store)
    selling.emu.selling.fail_feeds(1)

    run = sync_to_end(selling.store)

    assert calls(selling.emu, "createFeed") == 1 and calls(selling.emu, "putListingsItem") == 3
    assert run.last_error_code == "feed_fatal"
    assert set(amazon_offers(selling.emu)) == {"FATAL-0", "FATAL-1", "FATAL-2"}


def test_a_lost_workers_send_is_read_back_not_sent_twice(selling):
    variant = selling.variant(sku="LOST-1")
    match_catalog(selling.store)
    sync.scan(selling.store)
    from saleor_amazon_channel.listings.models import ListingStoreState

    ListingStoreState.objects.create(store=selling.store, imported_at=sync.timezone.now())
    claimed = sync.claim(selling.store.pk)
    assert [c.seller_sku for c in claimed] == ["LOST-1"]
    # The worker sent it, then died before recording Amazon's answer.
    from saleor_amazon_channel.amazon.http import AmazonHttp
    from saleor_amazon_channel.core.host import get_host

    with AmazonHttp(max_attempts=1) as http:
        seller = sync.Seller(selling.store, get_host().get_config(), http)
        seller.call("putListingsItem", (5.0, 10), amazon_listings.put_offer, seller.marketplace, seller.seller_id,
                    "LOST-1", claimed[0].product_type, sync._offer(claimed[0]), guard=sync._guard(claimed[0]))
    assert sync.claim(selling.store.pk) == []  # still leased: nobody else sends it
    assert not sync._guard(Listing(pk=claimed[0].pk, claim_token=sync.uuid.uuid4()))()  # nor under another claim
    Listing.objects.filter(pk=claimed[0].pk).update(claimed_until=sync.timezone.now() - sync.lease())

    sync_to_end(selling.store)

    assert calls(selling.emu, "putListingsItem") == 1
    listing = listing_of(selling.store, variant)
    assert listing.accepted_version == listing.desired_version and listing.state == ListingState.ACTIVE


def test_a_newer_desired_value_supersedes_the_queued_one(selling, set_stock):
    variant = selling.variant(quantity=5, sku="NEWER-1")
    match_catalog(selling.store)
    sync.scan(selling.store)
    queued = listing_of(selling.store, variant)
    set_stock(variant, selling.warehouse, 2)
    sync.scan(selling.store)
    newer = listing_of(selling.store, variant)
    assert newer.desired_version == queued.desired_version + 1 and newer.desired_quantity == 2

    sync_to_end(selling.store)

    assert calls(selling.emu, "putListingsItem") == 1 and amazon_offers(selling.emu)["NEWER-1"][1] == 2


def test_claims_are_exclusive_and_decreases_come_first(selling, set_stock):
    variants = [selling.variant(quantity=5, sku=f"CLAIM-{n}") for n in range(4)]
    match_catalog(selling.store)
    sync.scan(selling.store)
    Listing.objects.filter(store=selling.store).update(on_amazon=True, accepted_quantity=5, accepted_price=10,
                                                       accepted_handling_time=2, accepted_version=1)
    set_stock(variants[3], selling.warehouse, 0)
    set_stock(variants[1], selling.warehouse, 6)
    sync.scan(selling.store)

    first = sync.claim(selling.store.pk, size=1)
    second = sync.claim(selling.store.pk, size=5)

    assert [c.seller_sku for c in first] == ["CLAIM-3"]  # the zero-out
    assert [c.seller_sku for c in second] == ["CLAIM-1"]
    assert sync.claim(selling.store.pk) == []


def test_a_deleted_variant_ends_its_offer(selling):
    variant = selling.variant(sku="GONE-1")
    match_catalog(selling.store)
    sync_to_end(selling.store)
    variant.delete()

    sync_to_end(selling.store)

    assert "GONE-1" not in amazon_offers(selling.emu)
    listing = Listing.objects.get(store=selling.store, seller_sku="GONE-1")
    assert (listing.state, listing.state_reason, listing.on_amazon) == ("ENDED", "NOT_IN_CHANNEL", False)


def test_the_scan_makes_a_constant_number_of_queries_per_batch(selling, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        selling.variant(ean=ean_with(1))
    match_catalog(selling.store)
    sync.scan(selling.store)
    with CaptureQueriesContext(connection) as few:
        sync.scan(selling.store)
    for _ in range(12):
        selling.variant(ean=ean_with(1))
    match_catalog(selling.store)
    sync.scan(selling.store)
    with CaptureQueriesContext(connection) as many:
        sync.scan(selling.store)
    assert len(few) == len(many)
