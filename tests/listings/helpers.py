"""Listings test fixtures (a pytest plugin, see conftest.py): a selling store on the emulator, and runs to the end."""

import time
from types import SimpleNamespace

import pytest

from saleor_amazon_channel.catalog import tasks as catalog_tasks
from saleor_amazon_channel.listings import sync
from saleor_amazon_channel.listings.models import Listing, ListingSync
from tests.catalog.helpers import ean_with
from tests.connected_stores import SELLER_A, US


@pytest.fixture
def selling(ean_store, emulator, make_warehouse, make_variant, set_stock, settings):
    """A connected EAN store with a warehouse; ``selling.variant(quantity=..., matches=1)`` adds a listed variant."""
    emulator.selling.configure(live_delay=0, report_delays=[0, 0], feed_delays=[0, 0])
    settings.AMAZON_CHANNEL_LISTINGS_VERIFY_DELAY = 0
    warehouse = make_warehouse(ean_store.channel)

    def variant(quantity=5, allocated=0, matches=1, sku=None, ean=None, **kwargs):
        made = make_variant(ean_store.channel, sku=sku, variant_values={"ean": ean or ean_with(matches)}, **kwargs)
        set_stock(made, warehouse, quantity, allocated)
        return made

    return SimpleNamespace(store=ean_store, warehouse=warehouse, emu=emulator, variant=variant)


def match_catalog(store) -> None:
    run, _ = catalog_tasks.start_run(store, actor="test")
    for _ in range(100):
        if catalog_tasks.execute(run.pk).finished:
            return
    raise AssertionError("the catalog match did not finish")


def sync_to_end(store, limit=200) -> ListingSync:
    """Start a sync and run it in this process until it finishes (waits shortened)."""
    run, _ = sync.start_sync(store, actor="test")
    for _ in range(limit):
        outcome = sync.execute(run.pk)
        if outcome.finished:
            break
        time.sleep(min(outcome.wait or 0, 0.2))
    else:
        raise AssertionError("the sync did not finish")
    run.refresh_from_db()
    return run


def listing_of(store, variant) -> Listing:
    return Listing.objects.get(store=store, variant_id=variant.pk)


def amazon_offers(emu, marketplace=US) -> dict:
    """SKU -> (price, quantity, status) as the emulated Amazon shows them now."""
    from amazon_emulator import offer_rules

    now = emu.selling.now()
    result = {}
    for offer in emu.selling.offers_of(SELLER_A.selling_partner_id, marketplace):
        version = offer.version(now)
        price = offer_rules.price_of(version.attributes)[0] if version else None
        result[offer.sku] = (price, offer_rules.quantity_of(offer, now), offer_rules.status_of(offer, now))
    return result


def calls(emu, operation) -> int:
    return emu.selling.counters()["calls"].get(operation, 0)
