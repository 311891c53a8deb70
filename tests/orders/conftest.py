"""Fixtures of the order tests: a store connected to the emulator, stocked variants, Amazon orders, polls."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.orders.helpers import SELLER, US


@pytest.fixture
def order_store(connect_store, settings):
    """A store of SELLER_A on amazon.com, importing orders placed in the last two days."""
    from saleor_amazon_channel.orders.models import OrderSettings
    from tests.connected_stores import SELLER_A

    settings.AMAZON_CHANNEL_ORDERS_SEARCH_RATE = 1000.0  # Amazon's pace has its own tests
    store = connect_store(SELLER_A, US)
    OrderSettings.objects.create(store=store, import_from=datetime.now(UTC) - timedelta(days=2))
    return store


@pytest.fixture
def stocked(make_variant, make_stock, order_store):
    """``stocked(sku, quantity)``: a variant of the store's channel with stock in its warehouse."""

    def make(sku, quantity=10):
        variant = make_variant(order_store.channel, sku=sku)
        make_stock(variant, order_store.channel, quantity)
        return variant

    return make


@pytest.fixture
def place(emulator):
    """``place(items, status="Unshipped", **kwargs)``: an order placed on Amazon now; its ID."""

    def make(items, status="Unshipped", **kwargs):
        order = emulator.orders.create(SELLER, items, marketplace_id=US, status=status, **kwargs)
        return order["order"]["orderId"]

    return make


@pytest.fixture
def poll(emulator, order_store):
    """``poll(store=None)``: one poll, three minutes on (Amazon's and ours), so what just changed is visible."""

    from saleor_amazon_channel.catalog.models import RateBucket
    from saleor_amazon_channel.orders import poller

    def run(store=None, advance=180, **kwargs):
        emulator.state.advance_clock(advance)
        # Our buckets live on the wall clock: the minutes the emulator skipped pass for them too.
        RateBucket.objects.filter(key__startswith="orders-").update(tat=0)
        now = datetime.fromtimestamp(emulator.state.now(), UTC)
        kwargs.setdefault("sleep", lambda seconds: None)
        return poller.poll((store or order_store).pk, now=now, **kwargs)

    return run


@pytest.fixture(autouse=True)
def _celery(host_celery):
    """Queued tasks run on the host's Celery app (eager in the stand-in without a broker)."""
    return host_celery


@pytest.fixture
def standin_host():
    """Worker subprocesses start with the stand-in host's Celery app and settings (tests/tasks/conftest.py)."""
    from tests.tasks.conftest import in_standin_host

    if not in_standin_host():
        pytest.skip("starts stand-in host processes (tests/standin)")
