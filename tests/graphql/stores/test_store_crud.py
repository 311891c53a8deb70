import pytest

from saleor_amazon_channel.core.ids import to_global_id
from saleor_amazon_channel.stores.models import AmazonStore, AmazonStoreEvent

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


def store_input(saleor_channel, **overrides):
    data = {
        "name": "Amazon Store USA",
        "contactEmail": "amazon@example.com",
        "channel": to_global_id("Channel", saleor_channel.pk),
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
    assert store["channel"]["slug"] == channel_usd.slug
    assert store["marketplace"] == {"id": "ATVPDKIKX0DER", "countryCode": "US", "region": "NA"}
    assert store["productIdentifier"] == {"type": "ISBN", "source": "ATTRIBUTE", "attribute": "isbn"}
    assert AmazonStoreEvent.objects.filter(type="created").count() == 1


def test_create_requires_permission(staff_api_without_permission, channel_usd, isbn_attribute):
    body = staff_api_without_permission.execute(CREATE, {"input": store_input(channel_usd)})
    assert body["data"]["amazonStoreCreate"] is None
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert not AmazonStore.objects.exists()


UPDATE = """
mutation Update($id: ID!, $input: AmazonStoreUpdateInput!) {
  amazonStoreUpdate(id: $id, input: $input) {
    amazonStore { id name contactEmail isActive channel { slug } productIdentifier { type source attribute } }
    errors { field code message }
  }
}
"""

DELETE = """
mutation Delete($id: ID!) {
  amazonStoreDelete(id: $id) { amazonStore { id name } errors { field code message } }
}
"""


@pytest.fixture
def usa_store(staff_api, channel_usd, isbn_attribute):
    data = staff_api.execute(CREATE, {"input": store_input(channel_usd)})["data"]["amazonStoreCreate"]
    assert data["errors"] == []
    return AmazonStore.objects.get(name="Amazon Store USA")


def gid(store):
    return to_global_id("AmazonStore", store.pk)


def create_errors(api, saleor_channel, **overrides):
    data = api.execute(CREATE, {"input": store_input(saleor_channel, **overrides)})["data"]["amazonStoreCreate"]
    assert data["amazonStore"] is None
    return {(e["field"], e["code"]) for e in data["errors"]}


def test_create_with_variant_sku_source(staff_api, channel_usd):
    identifier = {"type": "SKU", "source": "VARIANT_SKU"}
    data = staff_api.execute(CREATE, {"input": store_input(channel_usd, productIdentifier=identifier)})
    store = data["data"]["amazonStoreCreate"]["amazonStore"]
    assert store["productIdentifier"] == {"type": "SKU", "source": "VARIANT_SKU", "attribute": None}


def test_create_accepts_marketplace_id_and_every_marketplace(staff_api, channel_usd, isbn_attribute):
    from saleor_amazon_channel.core.marketplaces import MARKETPLACES

    for index, marketplace in enumerate(MARKETPLACES):
        value = marketplace.id if index % 2 else marketplace.country_code
        data = staff_api.execute(CREATE, {"input": store_input(channel_usd, name=f"Store {index}", marketplace=value)})
        payload = data["data"]["amazonStoreCreate"]
        assert payload["errors"] == [], marketplace
        assert payload["amazonStore"]["marketplace"]["id"] == marketplace.id


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"name": ""}, ("name", "REQUIRED")),
        ({"name": "x" * 101}, ("name", "INVALID")),
        ({"contactEmail": "not-an-email"}, ("contactEmail", "INVALID")),
        ({"contactEmail": "a" * 250 + "@example.com"}, ("contactEmail", "INVALID")),
        ({"channel": "garbage"}, ("channel", "INVALID")),
        ({"channel": to_global_id("Product", 1)}, ("channel", "INVALID")),
        ({"channel": to_global_id("Channel", 999999)}, ("channel", "NOT_FOUND")),
        ({"marketplace": "Atlantis"}, ("marketplace", "INVALID")),
        ({"marketplace": ""}, ("marketplace", "REQUIRED")),
        ({"productIdentifier": {"type": "EAN", "source": "ATTRIBUTE"}}, ("attribute", "REQUIRED")),
        (
            {"productIdentifier": {"type": "EAN", "source": "ATTRIBUTE", "attribute": "nope"}},
            ("attribute", "NOT_FOUND"),
        ),
        (
            {"productIdentifier": {"type": "EAN", "source": "ATTRIBUTE", "attribute": "s" * 300}},
            ("attribute", "INVALID"),
        ),
        (
            {"productIdentifier": {"type": "SKU", "source": "VARIANT_SKU", "attribute": "isbn"}},
            ("attribute", "INVALID"),
        ),
    ],
)
def test_create_rejects_bad_input(staff_api, channel_usd, isbn_attribute, overrides, expected):
    assert expected in create_errors(staff_api, channel_usd, **overrides)
    assert not AmazonStore.objects.exists()
    assert not AmazonStoreEvent.objects.exists()


def test_create_rejects_page_attribute(staff_api, channel_usd, make_attribute):
    make_attribute("page-isbn", page=True)
    identifier = {"type": "ISBN", "source": "ATTRIBUTE", "attribute": "page-isbn"}
    assert ("attribute", "NOT_FOUND") in create_errors(staff_api, channel_usd, productIdentifier=identifier)


def test_create_reports_every_bad_field_at_once(staff_api, channel_usd):
    errors = create_errors(staff_api, channel_usd, name=" ", contactEmail="x", marketplace="ZZ")
    assert {("name", "REQUIRED"), ("contactEmail", "INVALID"), ("marketplace", "INVALID")} <= errors


def test_duplicate_name_is_unique_error(staff_api, usa_store, channel_usd):
    assert ("name", "UNIQUE") in create_errors(staff_api, channel_usd, name="amazon store usa")
    assert AmazonStore.objects.count() == 1


@pytest.mark.parametrize(
    "variables",
    [
        {"input": {"name": "A"}},  # required fields missing
        {"input": {"name": 5, "contactEmail": [], "channel": {}, "marketplace": 1, "productIdentifier": "x"}},
        {"input": None},
    ],
)
def test_wrong_types_are_a_400_with_errors(staff_api, variables):
    response = staff_api.post(CREATE, variables)
    assert response.status_code == 400
    assert response.json()["errors"]
    assert not AmazonStore.objects.exists()


def test_unknown_enum_value_is_rejected(staff_api, channel_usd, isbn_attribute):
    identifier = {"type": "MPN", "source": "ATTRIBUTE", "attribute": "isbn"}
    response = staff_api.post(CREATE, {"input": store_input(channel_usd, productIdentifier=identifier)})
    assert response.status_code == 400
    assert not AmazonStore.objects.exists()


def test_update_store(staff_api, usa_store, make_channel):
    other = make_channel(slug="canada")
    data = staff_api.execute(
        UPDATE,
        {
            "id": gid(usa_store),
            "input": {
                "name": "Amazon Store US",
                "contactEmail": "new@example.com",
                "channel": to_global_id("Channel", other.pk),
                "productIdentifier": {"type": "UPC", "source": "VARIANT_SKU"},
                "isActive": False,
            },
        },
    )["data"]["amazonStoreUpdate"]
    assert data["errors"] == []
    assert data["amazonStore"]["name"] == "Amazon Store US"
    assert data["amazonStore"]["isActive"] is False
    assert data["amazonStore"]["channel"]["slug"] == "canada"
    types = list(AmazonStoreEvent.objects.filter(store=usa_store).values_list("type", flat=True))
    assert "updated" in types and "deactivated" in types


def test_update_keeps_marketplace_immutable(staff_api, usa_store):
    data = staff_api.execute(UPDATE, {"id": gid(usa_store), "input": {"marketplace": "CA", "name": "Renamed"}})
    payload = data["data"]["amazonStoreUpdate"]
    assert {(e["field"], e["code"]) for e in payload["errors"]} == {("marketplace", "IMMUTABLE")}
    usa_store.refresh_from_db()
    assert usa_store.name == "Amazon Store USA" and usa_store.marketplace_id == "ATVPDKIKX0DER"


def test_update_same_marketplace_is_fine(staff_api, usa_store):
    payload = staff_api.execute(UPDATE, {"id": gid(usa_store), "input": {"marketplace": "ATVPDKIKX0DER"}})
    assert payload["data"]["amazonStoreUpdate"]["errors"] == []


def test_update_to_existing_name_fails(staff_api, usa_store, channel_usd, isbn_attribute):
    staff_api.execute(CREATE, {"input": store_input(channel_usd, name="Other", marketplace="CA")})
    payload = staff_api.execute(UPDATE, {"id": gid(usa_store), "input": {"name": "OTHER"}})["data"]["amazonStoreUpdate"]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("name", "UNIQUE")]


@pytest.mark.parametrize("bad_id", ["nonsense", to_global_id("Channel", 1), to_global_id("AmazonStore", 424242)])
def test_update_and_delete_unknown_ids(staff_api, usa_store, bad_id):
    for query, variables in ((UPDATE, {"id": bad_id, "input": {"name": "X"}}), (DELETE, {"id": bad_id})):
        payload = next(iter(staff_api.execute(query, variables)["data"].values()))
        assert payload["errors"][0]["field"] == "id"
        assert payload["errors"][0]["code"] in ("INVALID", "NOT_FOUND")
    assert AmazonStore.objects.get().name == "Amazon Store USA"


def test_delete_store_keeps_audit_trail(staff_api, usa_store):
    payload = staff_api.execute(DELETE, {"id": gid(usa_store)})["data"]["amazonStoreDelete"]
    assert payload["errors"] == []
    assert payload["amazonStore"]["name"] == "Amazon Store USA"
    assert not AmazonStore.objects.exists()
    deleted = AmazonStoreEvent.objects.get(type="deleted")
    assert deleted.store_name == "Amazon Store USA" and deleted.store is None
    assert deleted.actor.endswith("@example.com")


def test_deleting_channel_deactivates_its_stores(staff_api, usa_store, channel_usd):
    channel_usd.delete()
    usa_store.refresh_from_db()
    assert usa_store.channel is None and usa_store.is_active is False
    assert AmazonStoreEvent.objects.filter(store=usa_store, type="channel_deleted").exists()
    body = staff_api.execute(
        "query($id: ID!) { amazonStore(id: $id) { channel { id } isActive } }", {"id": gid(usa_store)}
    )
    assert body["data"]["amazonStore"] == {"channel": None, "isActive": False}
    # Re-activating needs a channel first.
    payload = staff_api.execute(UPDATE, {"id": gid(usa_store), "input": {"isActive": True}})["data"][
        "amazonStoreUpdate"
    ]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("channel", "REQUIRED")]
