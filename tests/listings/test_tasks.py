"""The listings sync task run inline (Saleor without a broker runs tasks eagerly): it waits for Amazon in a
loop, never in a retry nested per wait (Celery runs an eager retry at once, whatever its countdown)."""

import sys

from saleor_amazon_channel.core import waits
from saleor_amazon_channel.listings import sync, tasks
from tests.listings.helpers import amazon_offers, listing_of, match_catalog


def depth() -> int:
    frame, n = sys._getframe(), 0
    while frame is not None:
        frame, n = frame.f_back, n + 1
    return n


def test_a_sync_run_inline_waits_in_a_loop_not_in_nested_retries(selling, settings, monkeypatch):
    selling.emu.selling.configure(live_delay=1.5)  # ACCEPTED now, live 1.5 s later: the run reads back and waits
    settings.AMAZON_CHANNEL_LISTINGS_VERIFY_DELAY = 0.3
    variant = selling.variant(quantity=4)
    match_catalog(selling.store)
    run, _ = sync.start_sync(selling.store, actor="test")
    depths = []
    execute = sync.execute

    def counted(run_id):
        depths.append(depth())
        return execute(run_id)

    monkeypatch.setattr(tasks.sync, "execute", counted)
    result = tasks.listing_sync_task.apply(args=(run.pk,), throw=True).get()
    assert result["finished"] is True
    assert listing_of(selling.store, variant).state == "ACTIVE"
    assert amazon_offers(selling.emu)[listing_of(selling.store, variant).seller_sku][1] == 4
    assert len(depths) <= 1.5 / 0.3 + 6  # one step per wait, not a spin
    assert max(depths) == min(depths)  # every step at the same depth: no nesting


def test_inline_waits_stop_at_the_budget_and_leave_the_run_to_resume(selling, settings, monkeypatch):
    monkeypatch.setattr(waits, "INLINE_BUDGET", 1.0)
    selling.emu.selling.configure(live_delay=60)
    settings.AMAZON_CHANNEL_LISTINGS_VERIFY_DELAY = 0.4
    selling.variant(quantity=2)
    match_catalog(selling.store)
    run, _ = sync.start_sync(selling.store, actor="test")
    result = tasks.listing_sync_task.apply(args=(run.pk,), throw=True).get()
    assert result["finished"] is False
    run.refresh_from_db()
    assert run.status in sync.ACTIVE_SYNC_STATUSES  # resumable: the next start queues it again once stalled
