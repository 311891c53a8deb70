"""Plain helpers of the order tests (no Django at import time)."""

SELLER = "A1SELLERAAAAAA"  # tests.amazon_fixtures.SELLER_A
US = "ATVPDKIKX0DER"


def item(sku, quantity=1, price="20.00", tax="1.60", **extra):
    return {"seller_sku": sku, "quantity": quantity, "unit_price": price, "item_tax": tax, **extra}


def poll_killed_after(monkeypatch, poll, applied):
    """``poll()`` with its worker killed once ``applied`` orders were applied (the rest recorded, not applied):
    what a SIGKILL mid-poll leaves, but for the lease (the caller sets it as the dead poller left it)."""
    import pytest

    from saleor_amazon_channel.orders import sync

    real_apply, done = sync.apply, []

    def dying_apply(pk):
        if len(done) == applied:
            raise SystemExit("worker killed")
        done.append(pk)
        return real_apply(pk)

    monkeypatch.setattr(sync, "apply", dying_apply)
    with pytest.raises(SystemExit):
        poll()
    monkeypatch.undo()
