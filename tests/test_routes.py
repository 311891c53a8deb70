import pytest
from django.test import Client

from saleor_amazon_channel.core.urls import plugin_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("route", ["oauth/start", "oauth/login", "oauth/callback", "app", "app/", "app/stores/1"])
def test_consent_tab_routes_let_a_sandboxed_tab_load_them(plugin, route):
    """A Dashboard on Saleor's host makes the app open the consent tab from its sandboxed frame; the
    host's default Cross-Origin-Opener-Policy (same-origin) would turn that tab into an error page."""
    response = Client().get(plugin_url(route))
    assert response["Cross-Origin-Opener-Policy"] == "unsafe-none"


@pytest.mark.parametrize("route", ["manifest", "graphql/"])
def test_other_routes_keep_the_hosts_opener_policy(plugin, route):
    response = Client().get(plugin_url(route))
    assert response.get("Cross-Origin-Opener-Policy") == "same-origin"
