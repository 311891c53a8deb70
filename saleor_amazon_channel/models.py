"""Registers every domain's tables with Django (the app's models module); code imports them from their domain."""

from saleor_amazon_channel.authorizations.models import SellerAuthorization
from saleor_amazon_channel.catalog.models import CatalogMatch, CatalogMatchBatch, CatalogMatchRun, RateBucket
from saleor_amazon_channel.consent.models import PendingConnection
from saleor_amazon_channel.listings.models import (
    Listing,
    ListingFeed,
    ListingSettings,
    ListingStoreState,
    ListingSync,
    ProductTypeRequirements,
)
from saleor_amazon_channel.monitoring.models import AuthorizationReminder
from saleor_amazon_channel.orders.models import (
    AmazonOrder,
    AmazonOrderLine,
    AmazonShipment,
    OrderSettings,
    OrderSync,
)
from saleor_amazon_channel.rules.models import ListingRules, PriceRule
from saleor_amazon_channel.stores.models import AmazonStore, AmazonStoreEvent, SetupTask

__all__ = [
    "AmazonOrder",
    "AmazonOrderLine",
    "AmazonShipment",
    "AmazonStore",
    "AmazonStoreEvent",
    "AuthorizationReminder",
    "CatalogMatch",
    "CatalogMatchBatch",
    "CatalogMatchRun",
    "Listing",
    "ListingFeed",
    "ListingRules",
    "ListingSettings",
    "ListingStoreState",
    "ListingSync",
    "OrderSettings",
    "OrderSync",
    "PendingConnection",
    "PriceRule",
    "ProductTypeRequirements",
    "RateBucket",
    "SellerAuthorization",
    "SetupTask",
]
