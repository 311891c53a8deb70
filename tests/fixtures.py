"""Fixtures built on the host fixtures; identical in both hosts."""

import json

import pytest
from django.core import mail
from django.test import Client

from saleor_amazon_channel.core.urls import plugin_url

APPLICATION_ID = "amzn1.sellerapps.app.0b1e2c3d-4e5f-6789-abcd-ef0123456789"
CLIENT_ID = "amzn1.application-oa2-client.0123456789abcdef0123456789abcdef"
CLIENT_SECRET = "amzn1.oa2-cs.v1.test-client-secret-value"

GRAPHQL_PATH = plugin_url("graphql/")


@pytest.fixture
def plugin(configure_plugin):
    """The plugin active and configured with a (fake) Amazon application."""
    return configure_plugin(
        active=True,
        application_id=APPLICATION_ID,
        lwa_client_id=CLIENT_ID,
        lwa_client_secret=CLIENT_SECRET,
        draft_app=False,
    )


class GraphQLClient:
    def __init__(self, headers=None):
        self.client = Client()
        self.headers = headers or {}

    def post_raw(self, body, content_type="application/json", **extra):
        return self.client.post(GRAPHQL_PATH, body, content_type=content_type, **{**self.headers, **extra})

    def post(self, query, variables=None):
        return self.post_raw(json.dumps({"query": query, "variables": variables or {}}))

    def execute(self, query, variables=None):
        """POST and return the JSON, asserting a 200."""
        response = self.post(query, variables)
        assert response.status_code == 200, response.content
        return response.json()


@pytest.fixture
def staff_user(make_staff):
    return make_staff(permissions=("MANAGE_CHANNELS",))


@pytest.fixture
def staff_api(plugin, staff_user, auth_header):
    """A GraphQL client of a staff user holding MANAGE_CHANNELS."""
    return GraphQLClient(auth_header(user=staff_user))


@pytest.fixture
def staff_api_without_permission(plugin, make_staff, auth_header):
    return GraphQLClient(auth_header(user=make_staff(permissions=("MANAGE_ORDERS",))))


@pytest.fixture
def anonymous_api(plugin):
    return GraphQLClient()


@pytest.fixture
def channel_usd(make_channel):
    # Not Saleor's "default-channel": a Saleor database migrated outside Saleor's test settings already has that one,
    # and the suite must pass there too. No test assumes its channels are the only ones.
    return make_channel(slug="amazon-test-usd", name="Amazon test USD", currency_code="USD")


@pytest.fixture
def isbn_attribute(make_attribute):
    return make_attribute("isbn", "ISBN")


@pytest.fixture
def mailbox():
    mail.outbox = []
    return mail.outbox
