"""The rules' condition builder picks product types, categories, collections and an attribute's values
from Saleor's own API (``/graphql/``) on both hosts: the very query strings of
dashboard-extension/src/rules/rules.ts, so the stand-in cannot drift from Saleor."""

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


def named_query(name: str) -> str:
    match = re.search(rf"export const {name} = `([^`]*)`", RULES_TS.read_text())
    assert match, f"{name} is not in rules.ts"
    return match.group(1)


@pytest.fixture
def ask(plugin, make_staff, auth_header):
    # What the installed app holds: the extensions need MANAGE_CHANNELS only.
    headers = auth_header(make_staff(permissions=("MANAGE_CHANNELS",)))

    def post(name, variables):
        response = Client().post("/graphql/", {"query": named_query(name), "variables": variables},
                                 content_type="application/json", **headers)
        body = response.json()
        assert response.status_code == 200 and not body.get("errors"), body
        return body["data"]["attribute"]

    return post


def test_the_builder_searches_an_attributes_values_by_name_and_names_saved_slugs(ask, rule_catalog):
    rule_catalog.attribute_value("rules-colour", "rules-navy", "Navy blue")
    rule_catalog.attribute_value("rules-colour", "rules-crimson", "Crimson")

    def choices(attribute):
        return sorted((edge["node"]["name"], edge["node"]["slug"]) for edge in attribute["choices"]["edges"])

    found = ask("ATTRIBUTE_CHOICES_QUERY", {"slug": "rules-colour", "search": "navy"})
    assert found["slug"] == "rules-colour" and choices(found) == [("Navy blue", "rules-navy")]
    every = ask("ATTRIBUTE_CHOICES_QUERY", {"slug": "rules-colour", "search": None})
    assert choices(every) == [("Crimson", "rules-crimson"), ("Navy blue", "rules-navy")]
    saved = ask("ATTRIBUTE_CHOICES_BY_SLUG_QUERY", {"slug": "rules-colour", "slugs": ["rules-crimson", "gone"]})
    assert choices(saved) == [("Crimson", "rules-crimson")]
    assert ask("ATTRIBUTE_CHOICES_QUERY", {"slug": "no-such-attribute", "search": None}) is None
