"""Mounts the selling APIs (Listings Items, Feeds, Reports, Product Type Definitions) on the router."""

from __future__ import annotations

from .catalog import CatalogItems
from .documents import DocumentStorage
from .feeds import Feeds
from .listings import ListingsItems, OfferBook
from .product_types import ProductTypeDefinitions, ProductTypeSchemas
from .reports import Reports
from .selling import SellingState
from .selling_control import SellingControl
from .state import EmulatorState


def mount_selling(state: EmulatorState, router, base_url) -> tuple[SellingState, OfferBook]:
    selling = SellingState(state)

    def base_url_if_running() -> str:  # the demo's offers are seeded before the server starts
        try:
            return base_url()
        except RuntimeError:
            return ""

    book = OfferBook(selling, CatalogItems(state, base_url_if_running))
    router.add(SellingControl(selling, book), target=None)
    router.add(ListingsItems(selling, base_url, book), target="sp-api")
    router.add(Feeds(selling, base_url, book), target="sp-api")
    router.add(Reports(selling, base_url), target="sp-api")
    router.add(ProductTypeDefinitions(selling, base_url), target="sp-api")
    router.add(ProductTypeSchemas(), target=None)
    router.add(DocumentStorage(selling), target=None)
    return selling, book
