"""The store name is unique through one index, the Lower(name) constraint (issue 15, item 11)."""

import pytest
from django.db import connection

from saleor_amazon_channel.stores.models import NAME_CONSTRAINT, AmazonStore

pytestmark = pytest.mark.django_db


def test_the_name_column_has_one_unique_index():
    table = AmazonStore._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    on_name = sorted(
        name for name, details in constraints.items()
        if details["unique"] and (details["columns"] == ["name"] or name == NAME_CONSTRAINT)
    )
    assert on_name == [NAME_CONSTRAINT]


def test_the_model_declares_no_plain_unique_name():
    assert not AmazonStore._meta.get_field("name").unique
