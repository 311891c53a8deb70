"""Stores connected to the Amazon emulator without the browser flow: fixtures for the health, reminder and task tests.

The refresh tokens are real (the emulator's): a consent is scripted at Amazon
(``obtain_code``) and the code exchanged with the plugin's own LWA client.
"""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from saleor_amazon_channel.amazon import lwa
from saleor_amazon_channel.authorizations.models import SellerAuthorization
from saleor_amazon_channel.core.config import AmazonChannelConfig
from saleor_amazon_channel.stores.models import AmazonStore
from tests.amazon_fixtures import CA, GB, MX, REDIRECT_URI, SELLER_A, SELLER_B, SELLER_EU, US, obtain_code
from tests.fixtures import APPLICATION_ID, CLIENT_ID, CLIENT_SECRET

__all__ = ["CA", "CONFIG", "GB", "MX", "SELLER_A", "SELLER_B", "SELLER_EU", "US", "connect_store", "offline_store"]

CONFIG = AmazonChannelConfig(application_id=APPLICATION_ID, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
_names = itertools.count(1)


def new_store(authorization, marketplace_id, channel, name=None, contact_email=None) -> AmazonStore:
    n = next(_names)
    return AmazonStore.objects.create(
        name=name or f"Amazon store {n}",
        contact_email=contact_email or f"store{n}@merchant.example",
        channel=channel,
        marketplace_id=marketplace_id,
        product_id_type="ASIN",
        product_id_source="variant_sku",
        authorization=authorization,
    )


@pytest.fixture
def connect_store(db, emulator, plugin, make_channel):
    """``connect_store(seller, marketplace, ...)``: a store connected through a real emulator grant.

    A second store of the same seller and region shares the first one's authorization,
    as the connect flow does. ``expires_in`` moves the authorization's term (time travel).
    """
    channel = make_channel()

    def connect(seller=SELLER_A, marketplace_id=US, *, name=None, contact_email=None, expires_in=None):
        authorization = SellerAuthorization.objects.filter(
            selling_partner_id=seller.selling_partner_id, region=seller.region
        ).first()
        if authorization is None:
            tokens = lwa.exchange_code(CONFIG, obtain_code(emulator, seller), REDIRECT_URI)
            authorization = SellerAuthorization(selling_partner_id=seller.selling_partner_id, region=seller.region)
            authorization.renew(tokens.refresh_token)
            authorization.save()
        if expires_in is not None:
            set_expiry(authorization, timezone.now() + expires_in)
        return new_store(authorization, marketplace_id, channel, name, contact_email)

    return connect


@pytest.fixture
def offline_store(db, make_channel):
    """``offline_store(expires_in, ...)``: a store whose authorization Amazon is never asked about (reminder tests)."""
    channel = make_channel()
    counter = itertools.count(1)

    def make(expires_in=timedelta(days=200), *, stores=1, revoked=False, contact_emails=None, authorization=None):
        if authorization is None:
            authorization = SellerAuthorization(selling_partner_id=f"A{next(counter):013d}OFF", region="NA")
            authorization.renew("Atzr|never-used")
            authorization.expires_at = timezone.now() + expires_in
            authorization.revoked_at = timezone.now() if revoked else None
            authorization.save()
        marketplaces = [US, CA, MX]
        created = [
            new_store(authorization, marketplaces[i], channel, contact_email=(contact_emails or [None] * stores)[i])
            for i in range(stores)
        ]
        return created[0] if stores == 1 else created

    return make


def set_expiry(authorization, expires_at):
    authorization.authorized_at = expires_at - timedelta(days=365)
    authorization.expires_at = expires_at
    SellerAuthorization.objects.filter(pk=authorization.pk).update(
        authorized_at=authorization.authorized_at, expires_at=expires_at
    )


def grant(emulator, selling_partner_id, region="NA", marketplaces=None) -> str:
    """A real refresh token for a new emulator seller, without a browser: many sellers, quickly."""
    emulator.add_seller(
        f"{selling_partner_id.lower()}@seller.example",
        "pw-not-used",
        selling_partner_id,
        region=region,
        marketplaces=marketplaces,
    )
    code = emulator.state.issue_code(APPLICATION_ID, selling_partner_id, REDIRECT_URI)
    return lwa.exchange_code(CONFIG, code, REDIRECT_URI).refresh_token


def granted_store(emulator, channel, n, expires_in=timedelta(days=200), name=None) -> AmazonStore:
    """Store number ``n`` of a seller of its own, with a real grant."""
    selling_partner_id = f"A{n:08d}GRANTED"
    authorization = SellerAuthorization(selling_partner_id=selling_partner_id, region="NA")
    authorization.renew(grant(emulator, selling_partner_id))
    authorization.expires_at = timezone.now() + expires_in
    authorization.save()
    return new_store(authorization, US, channel, name=name or f"Granted store {n}")
