"""Seller SKU → Saleor variant for an Amazon order's lines.

First the store's listings: the Listing row of the seller SKU names the variant it offers (a SKU made
up for a variant without one, an adopted offer whose SKU is not the variant's, a SKU two variants
share). Then the identifier mapping for the SKUs no listing names: the seller SKU is the variant's
SKU, as in Adobe's channel (the "Seller SKU" attribute defaults to the product SKU).
"""

from saleor_amazon_channel.core.host import get_host
from saleor_amazon_channel.listings.models import Listing
from saleor_amazon_channel.stores.models import AmazonStore


def resolve_variants(store: AmazonStore, seller_skus: list[str]) -> dict[str, int]:
    """Variant ids by seller SKU; SKUs that map to nothing are absent. Two queries at most."""
    skus = sorted({sku for sku in seller_skus if sku})
    if not skus or store.channel_id is None:
        return {}
    found: dict[str, int] = dict(
        Listing.objects.filter(store=store, seller_sku__in=skus, variant__isnull=False)
        .values_list("seller_sku", "variant_id")
    )
    # A listing without variant (a third-party offer, a deleted variant) names nothing: the SKU decides.
    rest = [sku for sku in skus if sku not in found]
    if rest:
        found.update(get_host().variants_by_sku(store.channel_id, rest))
    return found
