import pytest

from saleor_amazon_channel.ids import to_global_id
from saleor_amazon_channel.models import AmazonStore, AmazonStoreEvent

pytestmark = pytest.mark.django_db

CREATE = """
mutation Create($input: AmazonStoreCreateInput!) {
  amazonStoreCreate(input: $input) {
    amazonStore { id name contactEmail isActive status channel { id slug } marketplace { id countryCode region }
                  productIdentifier { type source attribute } }
    errors { field code message }
  }
}
"""


def store_input(channel, **overrides):
    data = {
        "name": "Amazon Store USA",
        "contactEmail": "amazon@example.com",
        "channel": to_global_id("Channel", channel.pk),
        "marketplace": "US",
        "productIdentifier": {"type": "ISBN", "source": "ATTRIBUTE", "attribute": "isbn"},
    }
    data.update(overrides)
    return data


def test_create_store(staff_api, channel_usd, isbn_attribute):
    data = staff_api.execute(CREATE, {"input": store_input(channel_usd)})["data"]["amazonStoreCreate"]
    assert data["errors"] == []
    store = data["amazonStore"]
    assert store["name"] == "Amazon Store USA"
    assert store["status"] == "NOT_CONNECTED"
    assert store["channel"]["slug"] == "default-channel"
    assert store["marketplace"] == {"id": "ATVPDKIKX0DER", "countryCode": "US", "region": "NA"}
    assert store["productIdentifier"] == {"type": "ISBN", "source": "ATTRIBUTE", "attribute": "isbn"}
    assert AmazonStoreEvent.objects.filter(type="created").count() == 1


def test_create_requires_permission(staff_api_without_permission, channel_usd, isbn_attribute):
    body = staff_api_without_permission.execute(CREATE, {"input": store_input(channel_usd)})
    assert body["data"]["amazonStoreCreate"] is None
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert not AmazonStore.objects.exists()
