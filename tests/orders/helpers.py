"""Plain helpers of the order tests (no Django at import time)."""

SELLER = "A1SELLERAAAAAA"  # tests.amazon_fixtures.SELLER_A
US = "ATVPDKIKX0DER"


def item(sku, quantity=1, price="20.00", tax="1.60", **extra):
    return {"seller_sku": sku, "quantity": quantity, "unit_price": price, "item_tax": tax, **extra}
