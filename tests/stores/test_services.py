"""Store validation in the service itself, whatever API called it."""

import pytest

from saleor_amazon_channel.core.host import Requestor
from saleor_amazon_channel.core.ids import to_global_id
from saleor_amazon_channel.errors import DomainError
from saleor_amazon_channel.outcomes import Outcome
from saleor_amazon_channel.stores import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("source", [5, ["ATTRIBUTE"], {"value": "sku"}])
def test_a_product_identifier_source_that_is_not_text_is_refused_with_a_code(channel_usd, source):
    data = {
        "name": "Amazon US",
        "contact_email": "shop@example.com",
        "channel": to_global_id("Channel", channel_usd.pk),
        "marketplace": "US",
        "product_identifier": {"type": "EAN", "source": source},
    }

    with pytest.raises(DomainError) as refused:
        services.create_store(data, Requestor(label="test"))

    assert [(p.field, p.code) for p in refused.value.problems] == [("product_identifier", Outcome.INVALID)]
