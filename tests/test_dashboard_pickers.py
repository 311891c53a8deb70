"""The extension's channel and attribute pickers ask Saleor's own API (``/graphql/``) on both hosts:
the very query strings of dashboard-extension/src/lib/api.ts, so the stand-in cannot drift from Saleor."""

import pathlib
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

API_TS = pathlib.Path(__file__).resolve().parents[1] / "dashboard-extension" / "src" / "lib" / "api.ts"


def extension_query(name: str) -> str:
    match = re.search(rf"export const {name} = `([^`]*)`", API_TS.read_text())
    assert match, f"{name} is not in api.ts"
    return match.group(1)


@pytest.fixture
def saleor_api(plugin, make_staff, auth_header):
    headers = auth_header(make_staff(permissions=("MANAGE_CHANNELS", "MANAGE_PRODUCTS")))

    def post(name, variables=None):
        response = Client().post(
            "/graphql/",
            {"query": extension_query(name), "variables": variables or {}},
            content_type="application/json",
            **headers,
        )
        body = response.json()
        assert response.status_code == 200 and not body.get("errors"), body
        return body["data"]

    return post


def _attributes(saleor_api, search=None, after=None):
    page = saleor_api("SALEOR_ATTRIBUTES_QUERY", {"search": search, "after": after})["attributes"]
    return [edge["node"]["slug"] for edge in page["edges"]], page["pageInfo"]


def test_attribute_picker_searches_name_and_slug_on_the_server(saleor_api, make_attribute):
    make_attribute("ean", "EAN")
    make_attribute("isbn-13", "Book number")
    make_attribute("colour", "Colour")
    make_attribute("page-ean", "Page EAN", page=True)  # a page attribute: never offered
    assert _attributes(saleor_api, "ean")[0] == ["ean"]
    assert _attributes(saleor_api, "ISBN")[0] == ["isbn-13"]  # the slug matches
    assert _attributes(saleor_api, "book")[0] == ["isbn-13"]  # the name matches
    assert _attributes(saleor_api, "nothing-like-it") == ([], {"hasNextPage": False, "endCursor": None})


def test_attribute_picker_pages_a_large_catalog_in_name_order(saleor_api, make_attribute):
    """More attributes than one page (Saleor caps a page at 100): every one is reachable, once, by name."""
    for n in range(60):
        make_attribute(f"size-{n:02d}", f"Size {59 - n:02d}")
    seen, after = [], None
    while True:
        slugs, page_info = _attributes(saleor_api, "size", after)
        assert 0 < len(slugs) <= 25
        seen += slugs
        if not page_info["hasNextPage"]:
            break
        after = page_info["endCursor"]
    assert seen == [f"size-{n:02d}" for n in reversed(range(60))]  # sorted by name: "Size 00" is size-59


def test_channel_picker_gets_every_channel(saleor_api, make_channel):
    """Saleor's `channels` has no search and no paging: the picker gets them all, past any 100."""
    created = {make_channel(slug=f"market-{n:03d}").slug for n in range(120)}
    slugs = {channel["slug"] for channel in saleor_api("SALEOR_CHANNELS_QUERY")["channels"]}
    assert created <= slugs
