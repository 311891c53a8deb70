"""Property-based bad input (Hypothesis): store inputs, IDs, cursors, OAuth parameters, raw bodies.

Each example asserts: no 500, a 4xx or an error whose code comes from the enum, and
nothing written when refused. Examples per test are bounded for CI's time budget.
"""

import base64
import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saleor_amazon_channel.authorizations.models import SellerAuthorization
from saleor_amazon_channel.consent import connections
from saleor_amazon_channel.consent.models import PendingConnection
from saleor_amazon_channel.core.ids import to_global_id
from saleor_amazon_channel.core.urls import plugin_url
from saleor_amazon_channel.graphql.core.types import AmazonStoreErrorCode
from saleor_amazon_channel.stores.models import AmazonStore, AmazonStoreEvent
from tests.consent.helpers import connect_url, make_store
from tests.graphql.stores.test_store_crud import CREATE, UPDATE, store_input

from .conftest import TALLY, record

pytestmark = pytest.mark.django_db

EXAMPLES = 150
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,  # no example database on disk: CI starts fresh anyway
)
ERROR_CODES = {code.name for code in AmazonStoreErrorCode._meta.enum}
REQUEST_ERROR_CODES = {
    "GraphQLError", "PermissionDenied", "BadRequest", "RequestTooLarge", "TooManyParameters", "InvalidArgument",
    "InvalidCursor", "QueryTooDeep", "TooManySelections", "TooManyAliases", "QueryCostError",
    "IntrospectionDisabled", "IntrospectionLimit", "InvalidTokenError", "MethodNotAllowed", "INVALID", "QueryTimeout",
}

# Text a tester would try: any Unicode (lone surrogates, controls, zero-width and bidi characters
# included), very long runs, and the JSON types that are not strings.
nasty_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec=None, categories=["Cc", "Cf", "Cs", "Zs", "Zl", "Zp", "Mn"]), max_size=20),
    st.sampled_from(["", " ", "\x00", "a\x00b", "\u200b", "Race\u200bStore", "\ud800", "\u202e", "%00", "' OR 1=1 --",
                     "<script>", "${jndi:x}", "../../etc/passwd", "A" * 300, "9" * 5000]),
)
json_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    nasty_text,
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
global_ids = st.one_of(
    nasty_text,
    st.builds(lambda kind, pk: base64.b64encode(f"{kind}:{pk}".encode("utf-8", "surrogatepass")).decode(),
              st.sampled_from(["AmazonStore", "Channel", "User", ""]),
              st.one_of(st.integers(), nasty_text)),
)


def graphql(client, query, variables):
    return client.post(plugin_url("graphql/"), json.dumps({"query": query, "variables": variables}),
                       content_type="application/json", **client.auth_headers)


def check_graphql(response, kind):
    """No 500; a 4xx or 200 whose errors carry a known code. Returns the JSON body."""
    record(kind, response.status_code)
    assert response.status_code < 500, response.content[:500]
    body = response.json()
    for error in body.get("errors", []):
        assert error["extensions"]["exception"]["code"] in REQUEST_ERROR_CODES, error
        assert "Traceback" not in json.dumps(error)
    if response.status_code >= 400 or body.get("errors"):
        TALLY["rejected"] += 1
    return body


@pytest.fixture
def api_client(staff_api):
    client = Client()
    client.auth_headers = staff_api.headers
    return client


def rows():
    return AmazonStore.objects.count(), AmazonStoreEvent.objects.count(), SellerAuthorization.objects.count()


FIELDS = ["name", "contactEmail", "channel", "marketplace", "productIdentifier", "isActive"]


@FUZZ
@given(field=st.sampled_from(FIELDS), value=json_value, attribute=nasty_text, id_type=nasty_text)
def test_store_create_with_one_bad_field(api_client, channel_usd, isbn_attribute, field, value, attribute, id_type):
    data = store_input(channel_usd)
    if field == "productIdentifier":
        value = {"type": id_type if id_type else "ISBN", "source": "ATTRIBUTE", "attribute": attribute}
    data[field] = value
    before = rows()
    body = check_graphql(graphql(api_client, CREATE, {"input": data}), "store input")
    result = (body.get("data") or {}).get("amazonStoreCreate")
    if result and result["errors"]:
        assert {e["code"] for e in result["errors"]} <= ERROR_CODES
        TALLY["rejected"] += 1
    if not result or result["errors"]:
        assert rows() == before, "a refused create wrote something"
    else:
        AmazonStore.objects.filter(pk__gt=0).delete()  # a valid input: start the next example clean
        AmazonStoreEvent.objects.all().delete()


@FUZZ
@given(field=st.sampled_from(FIELDS), value=json_value, attribute=nasty_text)
def test_store_update_with_one_bad_field(api_client, channel_usd, isbn_attribute, field, value, attribute):
    store = AmazonStore.objects.filter(name="Fuzzed Store").first() or make_store(channel_usd, name="Fuzzed Store")
    snapshot = AmazonStore.objects.filter(pk=store.pk).values().get()
    if field == "productIdentifier":
        value = {"type": "ISBN", "source": "ATTRIBUTE", "attribute": attribute}
    before = rows()
    body = check_graphql(graphql(api_client, UPDATE, {"id": to_global_id("AmazonStore", store.pk),
                                                      "input": {field: value}}), "store input")
    result = (body.get("data") or {}).get("amazonStoreUpdate")
    if result and result["errors"]:
        assert {e["code"] for e in result["errors"]} <= ERROR_CODES
        TALLY["rejected"] += 1
    if not result or result["errors"]:
        assert rows() == before
        assert AmazonStore.objects.filter(pk=store.pk).values().get() == snapshot, "a refused update changed the row"
    else:
        AmazonStore.objects.filter(pk=store.pk).delete()


ID_OPERATIONS = [
    "query($id: ID!) { amazonStore(id: $id) { id name } }",
    "mutation($id: ID!) { amazonStoreUpdate(id: $id, input: {isActive: false}) { errors { field code } } }",
    "mutation($id: ID!) { amazonStoreDelete(id: $id) { errors { field code } } }",
    "mutation($id: ID!) { amazonStoreConnect(id: $id) { errors { field code } } }",
    "mutation($id: ID!) { amazonStoreDisconnect(id: $id) { errors { field code } } }",
    "mutation($id: ID!) { amazonStoreCheckConnection(id: $id) { errors { field code } } }",
    "query($id: ID!) { amazonStores(first: 5, filter: {channel: $id}) { totalCount } }",
]


@FUZZ
@given(operation=st.sampled_from(ID_OPERATIONS), global_id=global_ids)
def test_ids(api_client, channel_usd, operation, global_id):
    make_store(channel_usd, name="Kept Store") if not AmazonStore.objects.exists() else None
    before = rows()
    body = check_graphql(graphql(api_client, operation, {"id": global_id}), "ID")
    for payload in (body.get("data") or {}).values():
        if isinstance(payload, dict) and payload.get("errors"):
            assert {e["code"] for e in payload["errors"]} <= ERROR_CODES
            TALLY["rejected"] += 1
    assert rows() == before


cursors = st.one_of(
    st.none(),
    nasty_text,
    st.builds(lambda n: base64.b64encode(f"arrayconnection:{n}".encode()).decode(), st.integers()),
    st.builds(lambda t: base64.b64encode(t.encode("utf-8", "surrogatepass")).decode(), nasty_text),
)
page_sizes = st.one_of(st.none(), st.integers(min_value=-(2**40), max_value=2**40), st.sampled_from([0, 1, 100, 101]))


@FUZZ
@given(first=page_sizes, last=page_sizes, after=cursors, before=cursors, search=st.one_of(st.none(), nasty_text),
       marketplace=st.one_of(st.none(), nasty_text))
def test_cursors_page_sizes_and_filters(api_client, channel_usd, first, last, after, before, search, marketplace):
    if not AmazonStore.objects.exists():
        for n in range(3):
            make_store(channel_usd, name=f"Paged Store {n}")
    query = ("query($first: Int, $last: Int, $after: String, $before: String, $search: String, $m: String) {"
             " amazonStores(first: $first, last: $last, after: $after, before: $before,"
             " filter: {search: $search, marketplace: $m}) { totalCount edges { cursor node { name } } } }")
    variables = {"first": first, "last": last, "after": after, "before": before, "search": search, "m": marketplace}
    body = check_graphql(graphql(api_client, query, variables), "cursor or filter")
    connection = (body.get("data") or {}).get("amazonStores")
    if connection is not None:
        assert len(connection["edges"]) <= 100


OAUTH_KEYS = ["state", "selling_partner_id", "spapi_oauth_code", "error", "amazon_callback_uri", "amazon_state",
              "ticket", "version", "x"]


@FUZZ
@given(route=st.sampled_from(["oauth/callback", "oauth/login", "oauth/start"]),
       params=st.dictionaries(st.sampled_from(OAUTH_KEYS), nasty_text, max_size=5))
def test_oauth_parameters_never_burn_a_valid_state(plugin, staff_api, channel_usd, route, params):
    store = AmazonStore.objects.filter(name="Consenting Store").first()
    if store is None:
        store = make_store(channel_usd, name="Consenting Store")
        connect_url(staff_api, store)
    pending = PendingConnection.objects.get(store=store)
    before = SellerAuthorization.objects.count()
    try:
        response = Client().get(plugin_url(route), params)
    except UnicodeEncodeError:
        return  # a lone surrogate cannot even be put in a URL: no request to make
    record("OAuth parameter", response.status_code)
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400 or "reason=" in response.get("Location", ""):
        TALLY["rejected"] += 1
    assert SellerAuthorization.objects.count() == before
    # No random parameter set carries our signed state: the pending connection stays usable.
    assert connections.usable_pending(pending.pk, pending.nonce) is not None


@FUZZ
@given(body=st.one_of(st.binary(max_size=200), nasty_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
                      st.recursive(json_value, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                          st.sampled_from(["query", "variables", "operationName", "x"]), inner, max_size=3),
                          max_leaves=10).map(lambda v: json.dumps(v).encode())),
       route=st.sampled_from(["graphql/", "register"]))
def test_raw_bodies(plugin, body, route):
    response = Client().post(plugin_url(route), body, content_type="application/json")
    record("raw body", response.status_code)
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        TALLY["rejected"] += 1
