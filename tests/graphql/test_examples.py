"""The example operations in graphql/examples/ stay valid against the schema."""

import pathlib

import pytest

from graphql import parse, validate
from saleor_amazon_channel.graphql.schema import schema

EXAMPLES = sorted((pathlib.Path(__file__).resolve().parents[2] / "graphql" / "examples").glob("*.graphql"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_operation_is_valid(path):
    errors = validate(schema, parse(path.read_text()))
    assert errors == [], errors
