"""Store names: normalised, no invisible look-alikes, unique whatever the case, decided by the database."""

import threading
import unicodedata

import pytest
from django.db import IntegrityError, connection, transaction

from saleor_amazon_channel.stores.models import AmazonStore, AmazonStoreEvent
from tests.fixtures import GraphQLClient
from tests.graphql.stores.test_store_crud import CREATE, UPDATE, store_input

pytestmark = pytest.mark.django_db


def create(api, channel, name):
    return api.execute(CREATE, {"input": store_input(channel, name=name)})["data"]["amazonStoreCreate"]


@pytest.mark.parametrize(
    "name",
    [
        "\u200b\u200b\u200b",  # zero-width spaces only
        "Baseline\u200b Store",  # a look-alike of "Baseline Store"
        "Store\x00Name",  # NUL: PostgreSQL refuses it in text
        "Store\x07Bell",
        "\u202eerots nozamA",  # right-to-left override
        "Store\ufeff",  # byte-order mark
        "Bad \ud800 surrogate",
    ],
)
def test_invisible_or_control_characters_are_refused(staff_api, channel_usd, isbn_attribute, name):
    result = create(staff_api, channel_usd, name)
    assert result["amazonStore"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("name", "INVALID")]
    assert not AmazonStore.objects.exists()
    assert not AmazonStoreEvent.objects.exists()


def test_name_is_nfc_normalised_and_whitespace_collapsed(staff_api, channel_usd, isbn_attribute):
    decomposed = "Cafe\u0301  Amazon\tStore"
    result = create(staff_api, channel_usd, decomposed)
    assert result["errors"] == []
    assert result["amazonStore"]["name"] == "Caf\u00e9 Amazon Store"
    assert unicodedata.is_normalized("NFC", AmazonStore.objects.get().name)


def test_decomposed_twin_of_an_existing_name_is_unique_error(staff_api, channel_usd, isbn_attribute):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's lower() and LIKE fold ASCII letters only (the demo's database)")
    assert create(staff_api, channel_usd, "Caf\u00e9 Store")["errors"] == []
    result = create(staff_api, channel_usd, "CAFE\u0301 STORE")
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("name", "UNIQUE")]
    assert AmazonStore.objects.count() == 1


@pytest.mark.parametrize(("first", "second"), [("izmir store", "İzmir store"), ("İzmir store", "izmir store")])
def test_names_equal_under_the_index_lower_are_unique_errors(staff_api, channel_usd, isbn_attribute, first, second):
    """The pre-check compares as the index does (LOWER in the database): "İzmir store" is "izmir store"
    to PostgreSQL's LOWER() but not to UPPER() (iexact); it must be UNIQUE, not an internal error
    (issue 15, bug 2)."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's lower() folds ASCII letters only (the demo's database)")
    assert create(staff_api, channel_usd, first)["errors"] == []
    result = create(staff_api, channel_usd, second)
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("name", "UNIQUE")]
    assert AmazonStore.objects.count() == 1


def test_renaming_to_a_name_equal_under_the_index_lower_is_unique_error(staff_api, channel_usd, isbn_attribute):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's lower() folds ASCII letters only (the demo's database)")
    create(staff_api, channel_usd, "izmir store")
    store_id = create(staff_api, channel_usd, "Ankara store")["amazonStore"]["id"]
    result = staff_api.execute(UPDATE, {"id": store_id, "input": {"name": "İzmir store"}})
    assert [(e["field"], e["code"]) for e in result["data"]["amazonStoreUpdate"]["errors"]] == [("name", "UNIQUE")]


def test_a_lost_race_is_told_by_the_constraint_name(channel_usd, monkeypatch):
    """The pre-check passed (the other create committed after it): the violated constraint, read by its
    name, says it was the name; any other integrity error stays what it is."""
    from saleor_amazon_channel.core.host import SYSTEM
    from saleor_amazon_channel.stores import services

    data = {"name": "Race Store", "contact_email": "a@example.com", "channel": None, "marketplace": "US",
            "product_identifier": {"type": "SKU", "source": "variant_sku"}}
    AmazonStore.objects.create(name="race store", contact_email="a@example.com", channel=channel_usd,
                               marketplace_id="ATVPDKIKX0DER", product_id_type="SKU", product_id_source="variant_sku")
    monkeypatch.setattr(services, "_name_taken", lambda name, instance=None: False)
    monkeypatch.setattr(services, "_clean_channel", lambda value, errors: channel_usd)
    with pytest.raises(services.DomainError) as refused:
        services.create_store(data, SYSTEM)
    assert [(p.field, p.code.value) for p in refused.value.problems] == [("name", "UNIQUE")]


def test_rename_with_a_zero_width_space_is_refused_and_changes_nothing(staff_api, channel_usd, isbn_attribute):
    store_id = create(staff_api, channel_usd, "Baseline Store")["amazonStore"]["id"]
    result = staff_api.execute(UPDATE, {"id": store_id, "input": {"name": "Baseline\u200b Store\x00"}})
    assert [(e["field"], e["code"]) for e in result["data"]["amazonStoreUpdate"]["errors"]] == [("name", "INVALID")]
    assert AmazonStore.objects.get().name == "Baseline Store"
    assert AmazonStoreEvent.objects.count() == 1  # the creation only


def test_the_database_refuses_a_case_variant_written_behind_the_service(channel_usd):
    """The uniqueness is the database's: even a write that skips the Python check fails."""
    AmazonStore.objects.create(name="Race Store", contact_email="a@example.com", channel=channel_usd,
                               marketplace_id="ATVPDKIKX0DER", product_id_type="SKU", product_id_source="variant_sku")
    with pytest.raises(IntegrityError), transaction.atomic():
        AmazonStore.objects.create(name="RACE STORE", contact_email="b@example.com", channel=channel_usd,
                                   marketplace_id="ATVPDKIKX0DER", product_id_type="SKU",
                                   product_id_source="variant_sku")


PARALLEL = 8
VARIANTS = [
    "Race Store",
    "race store",
    "RACE STORE",
    "Race store",
    "race Store",
    "RaCe StOrE",
    "rACE sTORE",
    "RACE store",
]


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_creates_of_case_variants_make_one_store(plugin, staff_user, auth_header, channel_usd,
                                                                  isbn_attribute):
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs concurrent transactions (PostgreSQL)")
    headers = auth_header(user=staff_user)
    barrier = threading.Barrier(PARALLEL)
    results, crashes = [], []

    def create_variant(name):
        try:
            barrier.wait()
            response = GraphQLClient(headers).post(CREATE, {"input": store_input(channel_usd, name=name)})
            results.append((response.status_code, response.json()["data"]["amazonStoreCreate"]))
        except Exception as exc:  # reported below
            crashes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=create_variant, args=(name,)) for name in VARIANTS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not crashes
    assert [status for status, _ in results] == [200] * PARALLEL
    created = [r for _, r in results if r["amazonStore"] is not None]
    refused = [r for _, r in results if r["amazonStore"] is None]
    assert len(created) == 1
    assert all([(e["field"], e["code"]) for e in r["errors"]] == [("name", "UNIQUE")] for r in refused)
    assert AmazonStore.objects.count() == 1
    assert AmazonStoreEvent.objects.count() == 1  # no audit event of a create that lost
