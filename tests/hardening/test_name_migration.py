"""Migration 0003: case duplicates saved before it get a suffix, then the database enforces uniqueness."""

import importlib

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

APP = "saleor_amazon_channel"
MIGRATION = importlib.import_module(f"{APP}.migrations.0003_store_name_unique").Migration


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_case_duplicates_are_suffixed_and_then_refused():
    before = [dependency for dependency in MIGRATION.dependencies if dependency[0] == APP]
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes(APP)
    try:
        old_apps = migrate(before)
        Store = old_apps.get_model(APP, "AmazonStore")
        for name in ["Race Store", "race store", "RACE STORE", "Race Store (2)"]:
            Store.objects.create(name=name, contact_email="a@example.com", marketplace_id="ATVPDKIKX0DER",
                                 product_id_type="SKU", product_id_source="variant_sku")
    finally:
        new_apps = migrate(latest)
    Store = new_apps.get_model(APP, "AmazonStore")
    assert list(Store.objects.order_by("pk").values_list("name", flat=True)) == [
        "Race Store", "race store (3)", "RACE STORE (4)", "Race Store (2)"
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        Store.objects.create(name="rACE sTORE", contact_email="a@example.com", marketplace_id="ATVPDKIKX0DER",
                             product_id_type="SKU", product_id_source="variant_sku")


@pytest.mark.django_db(transaction=True)
def test_names_equal_under_postgresql_lower_are_suffixed_too():
    """"İzmir store" and "izmir store" differ under Python's lower() ("i̇zmir store", with a combining dot)
    but not under PostgreSQL's LOWER(), which the index uses: the migration must de-duplicate them
    (issue 15, bug 1), not fail creating the index."""
    if connection.vendor != "postgresql":
        pytest.skip("the case folding in question is PostgreSQL's")
    before = [dependency for dependency in MIGRATION.dependencies if dependency[0] == APP]
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes(APP)
    with connection.cursor() as cursor:
        cursor.execute("SELECT LOWER('İzmir store') = LOWER('izmir store')")
        if not cursor.fetchone()[0]:
            pytest.skip("this database's collation keeps the dotted capital I apart")
    try:
        old_apps = migrate(before)
        Store = old_apps.get_model(APP, "AmazonStore")
        for name in ["izmir store", "İzmir store", "İZMİR STORE (2)"]:
            Store.objects.create(name=name, contact_email="a@example.com", marketplace_id="ATVPDKIKX0DER",
                                 product_id_type="SKU", product_id_source="variant_sku")
    finally:
        new_apps = migrate(latest)
    Store = new_apps.get_model(APP, "AmazonStore")
    # "İzmir store (2)" would be "İZMİR STORE (2)" to the index: the suffix skips it too.
    assert list(Store.objects.order_by("pk").values_list("name", flat=True)) == [
        "izmir store", "İzmir store (3)", "İZMİR STORE (2)"
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(DISTINCT LOWER(name)), COUNT(*) FROM saleor_amazon_channel_amazonstore")
        distinct, total = cursor.fetchone()
    assert distinct == total == 3
