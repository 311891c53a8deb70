"""Depth, aliases, selections, cost and introspection limits of the GraphQL view."""

import pytest

from saleor_amazon_channel.graphql.core import limits
from saleor_amazon_channel.stores.models import AmazonStoreEvent
from tests.consent.helpers import global_id, make_store
from tests.fixtures import GraphQLClient

pytestmark = pytest.mark.django_db

INTROSPECTION = """
query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) {
    name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason
  }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name } } } } } } }
}
"""


def code_of(response):
    return response.json()["errors"][0]["extensions"]["exception"]["code"]


def test_staff_may_run_the_standard_introspection_query(staff_api):
    body = staff_api.execute(INTROSPECTION)
    assert any(t["name"] == "AmazonStore" for t in body["data"]["__schema"]["types"])


def test_anonymous_introspection_is_refused(anonymous_api):
    response = anonymous_api.post(INTROSPECTION)
    assert response.status_code == 400 and code_of(response) == "IntrospectionDisabled"
    response = anonymous_api.post('{ __type(name: "AmazonStore") { name } }')
    assert response.status_code == 400 and code_of(response) == "IntrospectionDisabled"


def test_anonymous_introspection_can_be_allowed_in_settings(anonymous_api, settings):
    settings.AMAZON_CHANNEL_GRAPHQL_ANONYMOUS_INTROSPECTION = True
    assert anonymous_api.execute("{ __schema { queryType { name } } }")["data"]["__schema"]["queryType"]["name"]


def test_anonymous_typename_is_fine(anonymous_api):
    assert anonymous_api.execute("{ __typename }")["data"] == {"__typename": "Query"}


def test_aliased_schemas_are_refused_even_with_a_token(staff_api):
    response = staff_api.post("{ a: __schema { queryType { name } } b: __schema { queryType { name } } }")
    assert response.status_code == 400 and code_of(response) == "IntrospectionLimit"


def test_too_many_aliases(staff_api):
    query = "{ " + " ".join(f"a{i}: amazonMarketplaces {{ id }}" for i in range(21)) + " }"
    response = staff_api.post(query)
    assert response.status_code == 400 and code_of(response) == "TooManyAliases"


def test_too_deep(staff_api):
    query = "{ amazonStores(first: 1) { edges { node { " + "marketplace { " * 13 + "id" + " }" * 13 + " } } } }"
    response = staff_api.post(query)
    assert response.status_code == 400 and code_of(response) == "QueryTooDeep"


def test_fragment_bomb_is_refused_without_expanding_it(staff_api):
    fragments = ["fragment F0 on AmazonMarketplace { id countryCode }"]
    for i in range(1, 30):
        fragments.append(f"fragment F{i} on AmazonMarketplace {{ ...F{i - 1} ...F{i - 1} }}")
    query = "{ amazonMarketplaces { ...F29 } } " + " ".join(fragments)
    response = staff_api.post(query)
    assert response.status_code == 400 and code_of(response) in {"TooManySelections", "QueryTooDeep"}


def test_too_many_selections(staff_api):
    fields = " ".join(["id"] * 600)
    response = staff_api.post("{ amazonMarketplaces { " + fields + " } }")
    assert response.status_code == 400 and code_of(response) == "TooManySelections"


def test_two_amazon_calling_mutations_in_one_request_are_refused(staff_api, channel_usd):
    store = make_store(channel_usd)
    query = ('mutation($id: ID!) { a: amazonStoreCheckConnection(id: $id) { errors { code } } '
             'b: amazonStoreCheckConnection(id: $id) { errors { code } } }')
    response = staff_api.post(query, {"id": global_id(store)})
    assert response.status_code == 400 and code_of(response) == "QueryCostError"
    assert not AmazonStoreEvent.objects.exists()  # refused before anything ran


def test_one_amazon_calling_mutation_fits(staff_api, channel_usd):
    store = make_store(channel_usd)
    query = 'mutation($id: ID!) { amazonStoreCheckConnection(id: $id) { errors { code } } }'
    body = staff_api.execute(query, {"id": global_id(store)})
    assert body["data"]["amazonStoreCheckConnection"]["errors"][0]["code"] == "NOT_CONNECTED"


def test_cost_multiplies_by_page_size(staff_api):
    nested = "events(first: 100) { id type date actor message }"
    fields = " ".join(f"e{i}: {nested}" for i in range(6))
    response = staff_api.post("{ amazonStores(first: 100) { edges { node { " + fields + " } } } }")
    assert response.status_code == 400 and code_of(response) == "QueryCostError"


def test_limits_are_settings(staff_api, settings):
    settings.AMAZON_CHANNEL_GRAPHQL_MAX_DEPTH = 3
    response = staff_api.post("{ amazonStores(first: 1) { edges { node { name } } } }")
    assert response.status_code == 400 and code_of(response) == "QueryTooDeep"


def test_dashboard_queries_fit_the_limits(staff_api):
    """The extension's own operations (lib/api.ts shapes) are far inside every limit."""
    from graphql.language.parser import parse

    store = (
        "id name contactEmail isActive created updatedAt status sellingPartnerId authorizedAt authorizationExpiresAt "
        "lastCheckedAt lastError channel { id name slug currencyCode } "
        "marketplace { id countryCode countryName region sellerCentralUrl currencyCode domain } "
        "productIdentifier { type source attribute }"
    )
    queries = [
        "query($first: Int) { amazonStores(first: $first) { totalCount pageInfo { hasNextPage endCursor } "
        "edges { node { " + store + " } } } }",
        "query($id: ID!) { amazonStore(id: $id) { " + store + " participations { storeName isParticipating "
        "marketplace { id } } events(first: 100) { id type date actor message } } }",
        "mutation($id: ID!) { amazonStoreCheckConnection(id: $id) { amazonStore { " + store + " } "
        "errors { field code message } } }",
    ]
    for query in queries:
        found = limits.check(parse(query), {"first": 100}, None, anonymous=False)
        assert found.cost < limits.limit("AMAZON_CHANNEL_GRAPHQL_MAX_COST")
        assert found.depth <= 5


def test_anonymous_over_limit_response_is_small(plugin):
    query = "{ " + " ".join(f"a{i}: __schema {{ types {{ name fields {{ name }} }} }}" for i in range(625)) + " }"
    response = GraphQLClient().post(query)
    assert response.status_code == 400
    assert len(response.content) < 500
