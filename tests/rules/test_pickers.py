"""The rules' condition builder picks product types, categories and collections from Saleor's own API
(``/graphql/``) on both hosts: the very query strings of dashboard-extension/src/rules/rules.ts, so the
stand-in cannot drift from Saleor."""

import pathlib
import re

import pytest
from django.test import Client
from graphql_relay import to_global_id

pytestmark = pytest.mark.django_db

RULES_TS = pathlib.Path(__file__).resolve().parents[2] / "dashboard-extension" / "src" / "rules" / "rules.ts"


def picker_query(field: str) -> str:
    match = re.search(rf"\n  {field}: `([^`]*)`", RULES_TS.read_text())
    assert match, f"the {field} picker query is not in rules.ts"
    return match.group(1)


@pytest.fixture
def pick(plugin, make_staff, auth_header):
    headers = auth_header(make_staff(permissions=("MANAGE_CHANNELS", "MANAGE_PRODUCTS")))

    def post(field, root, after=None):
        response = Client().post("/graphql/", {"query": picker_query(field), "variables": {"after": after}},
                                 content_type="application/json", **headers)
        body = response.json()
        assert response.status_code == 200 and not body.get("errors"), body
        return body["data"][root]

    return post


def test_the_builder_lists_categories_with_their_level_product_types_and_collections(pick, rule_catalog):
    home = rule_catalog.category("Rules home")
    kitchen = rule_catalog.category("Rules kitchen", parent=home)
    shirts = rule_catalog.product_type("Rules shirts")
    summer = rule_catalog.collection("Rules summer")

    categories = {edge["node"]["id"]: edge["node"] for edge in pick("category", "categories")["edges"]}
    assert categories[to_global_id("Category", kitchen.pk)] == {
        "id": to_global_id("Category", kitchen.pk), "name": "Rules kitchen", "level": 1}
    assert categories[to_global_id("Category", home.pk)]["level"] == 0
    types = [edge["node"] for edge in pick("productType", "productTypes")["edges"]]
    assert {"id": to_global_id("ProductType", shirts.pk), "name": "Rules shirts"} in types
    collections = [edge["node"] for edge in pick("collection", "collections")["edges"]]
    assert {"id": to_global_id("Collection", summer.pk), "name": "Rules summer"} in collections


def test_the_builder_pages_through_more_than_one_page(pick, rule_catalog):
    for n in range(105):
        rule_catalog.category(f"Rules category {n:03d}")
    seen, after = [], None
    while True:
        page = pick("category", "categories", after)
        seen += [edge["node"]["name"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    names = [name for name in seen if name.startswith("Rules category")]
    assert len(names) == len(set(names)) == 105
