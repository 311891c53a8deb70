"""Issue 16, GraphQL findings: the cost read as the resolver reads it, lists costed by their real page size,
searches bounded, one validation path for every text argument, cursors within the range the resolver uses."""

import base64

import pytest
from django.db import connection
from graphql.language.parser import parse

from saleor_amazon_channel.graphql.core import limits, pagination
from saleor_amazon_channel.graphql.core.request_errors import QueryTimeout
from saleor_amazon_channel.graphql.schema import schema
from saleor_amazon_channel.stores.models import AmazonStore
from tests.consent.helpers import global_id, make_store
from tests.graphql.stores.test_store_crud import CREATE, store_input

pytestmark = pytest.mark.django_db

EVENTS = "query($f: Int) { amazonStores(first: 100) { edges { node { events(first: $f) { id type date actor " \
         "message data } } } } }"
CATALOG = "query($id: ID!, $s: String, $after: String) { amazonCatalogMatches(storeId: $id, first: 5, after: $after, " \
          "filter: {search: $s}) { totalCount edges { node { id } } } }"


def cost(query, variables=None):
    return limits.measure(parse(query), variables or {}, schema=schema).cost


def code_of(body):
    return body["errors"][0]["extensions"]["exception"]["code"]


# --- The cost reads the value the resolver will use.

@pytest.mark.parametrize("given", ["200", 200.0, "200.0"])
def test_a_page_size_given_as_a_string_or_float_is_costed_as_the_resolver_reads_it(given):
    """graphene coerces "200" and 200.0 to 200: 20,000 events, not the 50 the default would give."""
    assert cost(EVENTS, {"f": given}) == cost(EVENTS, {"f": 200})


def test_the_string_page_size_of_the_issue_is_refused(staff_api, channel_usd):
    make_store(channel_usd)
    response = staff_api.post(EVENTS, {"f": "200"})
    assert response.status_code == 400 and code_of(response.json()) == "QueryCostError"


def test_a_variables_default_is_what_the_resolver_reads():
    with_default = EVENTS.replace("$f: Int)", "$f: Int = 200)")
    assert cost(with_default) == cost(EVENTS, {"f": 200})


def test_an_arguments_default_is_what_the_resolver_reads():
    """``events`` without ``first`` returns 50 (the argument's default in the schema)."""
    without = "{ amazonStores(first: 100) { edges { node { events { id } } } } }"
    assert cost(without) == cost("{ amazonStores(first: 100) { edges { node { events(first: 50) { id } } } } }")


def test_events_are_costed_by_their_real_page_size():
    """The resolver returns up to 200 events: 200 is not costed as 100."""
    assert cost(EVENTS, {"f": 200}) > cost(EVENTS, {"f": 100}) * 1.9
    # and past its maximum, the resolver's own cap
    assert cost(EVENTS, {"f": 5000}) == cost(EVENTS, {"f": 200})


def test_twenty_aliased_searches_are_refused_by_cost(staff_api, channel_usd):
    store = make_store(channel_usd)
    search = 'amazonCatalogMatches(storeId: "{id}", first: 100, filter: {{search: "lamp"}}) {{ totalCount }}'
    query = "{ " + " ".join(f"s{i}: " + search.format(id=global_id(store)) for i in range(20)) + " }"
    response = staff_api.post(query)
    assert response.status_code == 400 and code_of(response.json()) == "QueryCostError"


def test_a_deep_offset_costs_the_rows_it_skips():
    deep = base64.b64encode(b"arrayconnection:99899").decode()
    query = 'query($id: ID!, $after: String) { amazonCatalogMatches(storeId: $id, first: 100, after: $after) { ' \
            'totalCount } }'
    assert cost(query, {"after": deep}) >= cost(query) + 9_989


def test_twenty_aliased_deep_offsets_are_refused_by_cost(staff_api, channel_usd):
    store = make_store(channel_usd)
    deep = base64.b64encode(b"arrayconnection:99899").decode()
    page = 'amazonCatalogMatches(storeId: "{id}", first: 100, after: "{after}") {{ totalCount }}'
    query = "{ " + " ".join(f"p{i}: " + page.format(id=global_id(store), after=deep) for i in range(20)) + " }"
    response = staff_api.post(query)
    assert response.status_code == 400 and code_of(response.json()) == "QueryCostError"


def test_one_search_fits(staff_api, channel_usd):
    store = make_store(channel_usd)
    body = staff_api.execute(CATALOG, {"id": global_id(store), "s": "lamp"})
    assert "errors" not in body and body["data"]["amazonCatalogMatches"]["totalCount"] == 0


def test_a_list_query_is_bounded_by_the_statement_timeout(settings):
    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's")
    settings.AMAZON_CHANNEL_GRAPHQL_STATEMENT_TIMEOUT = 50
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        before = cursor.fetchone()[0]
    with pytest.raises(QueryTimeout), pagination._Bounded(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(1)")
    with pagination._Bounded(), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == before  # put back on the way out, whatever happened


# --- One validation path for every text argument.

@pytest.mark.parametrize("bad", ["lamp\x00", "\ud800", "lamp\x07", "\u202elamp", "la\u200bmp"])
def test_a_bad_catalog_search_is_invalid_not_an_internal_error(staff_api, channel_usd, bad):
    store = make_store(channel_usd)
    body = staff_api.execute(CATALOG, {"id": global_id(store), "s": bad})
    assert body["data"]["amazonCatalogMatches"] is None
    assert code_of(body) == "INVALID"


@pytest.mark.parametrize("bad", ["store\x00", "\udfff", "\u2066x"])
def test_a_bad_store_search_is_invalid(staff_api, bad):
    body = staff_api.execute("query($s: String) { amazonStores(first: 5, filter: {search: $s}) { totalCount } }",
                             {"s": bad})
    assert body["data"]["amazonStores"] is None
    assert code_of(body) == "INVALID"


def test_a_bad_id_is_invalid(staff_api):
    body = staff_api.execute("query($id: ID!) { amazonStore(id: $id) { name } }", {"id": "QW1h\x00"})
    assert code_of(body) == "INVALID"


def test_a_bad_text_in_a_mutation_input_is_a_field_error(staff_api, channel_usd, isbn_attribute):
    data = store_input(channel_usd, contactEmail="a\u200b@example.com")
    result = staff_api.execute(CREATE, {"input": data})["data"]["amazonStoreCreate"]
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("contactEmail", "INVALID")]
    assert not AmazonStore.objects.exists()


def test_tabs_and_line_breaks_are_whitespace_not_refused(staff_api, channel_usd, isbn_attribute):
    result = staff_api.execute(CREATE, {"input": store_input(channel_usd, name="Tab\tStore\n")})
    assert result["data"]["amazonStoreCreate"]["errors"] == []


# --- Cursors within the range the resolver can use.

@pytest.mark.parametrize("offset", [2**63, 2**63 - 1, 10**30, 1_000_000_000])
def test_a_catalog_cursor_past_the_usable_range_is_invalid_cursor(staff_api, channel_usd, offset):
    store = make_store(channel_usd)
    cursor = base64.b64encode(f"arrayconnection:{offset}".encode()).decode()
    body = staff_api.execute(CATALOG, {"id": global_id(store), "after": cursor})
    assert body["data"]["amazonCatalogMatches"] is None
    assert code_of(body) == "InvalidCursor"


@pytest.mark.parametrize(
    "text", ["arrayconnection:+5", "arrayconnection: 5", "arrayconnection:1_0", "arrayconnection:٣", "other:5"]
)
def test_catalog_cursors_are_only_the_ones_issued(staff_api, channel_usd, text):
    store = make_store(channel_usd)
    cursor = base64.b64encode(text.encode()).decode()
    body = staff_api.execute(CATALOG, {"id": global_id(store), "after": cursor})
    assert code_of(body) == "InvalidCursor"


def test_a_cursor_past_the_end_is_an_empty_page(staff_api, channel_usd):
    make_store(channel_usd)
    cursor = base64.b64encode(b"arrayconnection:500").decode()
    body = staff_api.execute("query($c: String) { amazonStores(first: 5, after: $c) { totalCount edges { cursor } "
                             "pageInfo { hasNextPage } } }", {"c": cursor})
    assert body["data"]["amazonStores"] == {"totalCount": 1, "edges": [], "pageInfo": {"hasNextPage": False}}


# Every list of the API pages through graphql/core/pagination: the same cursors, the same refusals.
@pytest.fixture
def lists_api(plugin, make_staff, auth_header):
    from tests.fixtures import GraphQLClient

    return GraphQLClient(auth_header(user=make_staff(permissions=("MANAGE_CHANNELS", "MANAGE_ORDERS"))))


STORE_LISTS = {
    "amazonListings": "query($id: ID!, $after: String) { amazonListings(storeId: $id, first: 5, after: $after) "
                      "{ totalCount edges { cursor } } }",
    "amazonOrders": "query($id: ID!, $after: String) { amazonOrders(storeId: $id, first: 5, after: $after) "
                    "{ totalCount edges { cursor } } }",
}


@pytest.mark.parametrize("field", sorted(STORE_LISTS))
@pytest.mark.parametrize("offset", [2**63, 10**30, 1_000_000_000])
def test_a_store_list_cursor_past_the_usable_range_is_invalid_cursor(lists_api, channel_usd, field, offset):
    store = make_store(channel_usd)
    cursor = base64.b64encode(f"arrayconnection:{offset}".encode()).decode()
    body = lists_api.execute(STORE_LISTS[field], {"id": global_id(store), "after": cursor})
    assert body["data"][field] is None
    assert code_of(body) == "InvalidCursor"


@pytest.mark.parametrize("field", sorted(STORE_LISTS))
@pytest.mark.parametrize("text", ["arrayconnection:+5", "arrayconnection:-3", "other:5"])
def test_store_list_cursors_are_only_the_ones_issued(lists_api, channel_usd, field, text):
    store = make_store(channel_usd)
    cursor = base64.b64encode(text.encode()).decode()
    body = lists_api.execute(STORE_LISTS[field], {"id": global_id(store), "after": cursor})
    assert code_of(body) == "InvalidCursor"
