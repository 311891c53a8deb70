"""The demo's data: its variants have stock in a warehouse serving their channel, so offers go Active."""

import pytest

from demo.seed import seed_catalog, seed_stock
from saleor_amazon_channel.core.host import get_host

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_channel(db):
    from tests.tasks.conftest import in_standin_host

    if not in_standin_host():
        pytest.skip("the demo runs on the stand-in host (tests/standin)")
    from tests.standin.attribute.models import Attribute
    from tests.standin.channel.models import Channel

    Attribute.objects.get_or_create(slug="ean", defaults={"name": "EAN"})
    return Channel.objects.get_or_create(slug="default-channel",
                                         defaults={"name": "Default", "currency_code": "USD", "is_active": True})[0]


def test_every_demo_variant_can_be_sold_and_a_restart_keeps_changed_stock(demo_channel):
    from tests.standin.warehouse.models import Stock

    seed_catalog()
    seed_stock()

    variants = get_host().offer_variants(demo_channel.pk, limit=1000)
    assert len(variants) == 120
    assert all(variant.available > 0 for variant in variants)
    changed = Stock.objects.order_by("pk").first()
    Stock.objects.filter(pk=changed.pk).update(quantity=0)

    seed_stock()

    assert Stock.objects.count() == 120
    assert Stock.objects.get(pk=changed.pk).quantity == 0
