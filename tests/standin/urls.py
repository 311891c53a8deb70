"""The stand-in host's URLs: Saleor's plugin route, and what the demo needs."""

from django.http import HttpResponseNotFound
from django.urls import path, re_path

from saleor_amazon_channel import PLUGIN_ID
from saleor_amazon_channel.routes import dispatch

from . import demo_views
from .adapter import StandInHost
from .saleor_api import saleor_graphql_view


def plugin_view(request, plugin_id, subpath=""):
    """Saleor's handle_global_plugin_webhook: 404 unless the plugin exists and is active."""
    if plugin_id != PLUGIN_ID:
        return HttpResponseNotFound()
    config = StandInHost().get_config()
    if not config.active:
        return HttpResponseNotFound()
    # Saleor hands the plugin the part of the path after its ID.
    return dispatch(request, request.path.split(plugin_id, 1)[1], config)


urlpatterns = [
    re_path(r"^plugins/global/(?P<plugin_id>[.0-9A-Za-z_\-]+)/(?P<subpath>.*)$", plugin_view),
    path("graphql/", saleor_graphql_view),
    re_path(r"^dashboard/(?P<subpath>.*)$", demo_views.shell_view),
    path("demo/token", demo_views.token_view),
    path("demo/orders/fulfill", demo_views.fulfill_order_view),
    path("demo/stock", demo_views.variant_stock_view),
]
