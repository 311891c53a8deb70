"""Seller SKU → Saleor variant for an Amazon order's lines.

Until the store's listings (``listings/``) record which variant each seller SKU offers, the
seller SKU is the variant's SKU, as in Adobe's channel (the "Seller SKU" attribute defaults to
the product SKU).
"""

from saleor_amazon_channel.core.host import get_host
from saleor_amazon_channel.stores.models import AmazonStore


def resolve_variants(store: AmazonStore, seller_skus: list[str]) -> dict[str, int]:
    """Variant ids by seller SKU; SKUs that map to nothing are absent."""
    skus = sorted({sku for sku in seller_skus if sku})
    if not skus or store.channel_id is None:
        return {}
    return get_host().variants_by_sku(store.channel_id, skus)
