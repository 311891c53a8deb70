"""Helpers for the Amazon client tests: real tokens from the emulator."""

from datetime import timedelta

from django.utils import timezone

from saleor_amazon_channel.amazon import lwa
from saleor_amazon_channel.authorizations.models import SellerAuthorization
from saleor_amazon_channel.core.config import AmazonChannelConfig
from tests.amazon_fixtures import REDIRECT_URI, obtain_code
from tests.fixtures import APPLICATION_ID, CLIENT_ID, CLIENT_SECRET

CONFIG = AmazonChannelConfig(application_id=APPLICATION_ID, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)


def real_tokens(emu, seller) -> lwa.Tokens:
    return lwa.exchange_code(CONFIG, obtain_code(emu, seller), REDIRECT_URI)


def saved_authorization(emu, seller, **fields) -> SellerAuthorization:
    """A SellerAuthorization row holding a real (emulator) refresh token."""
    tokens = real_tokens(emu, seller)
    authorization = SellerAuthorization(selling_partner_id=seller.selling_partner_id, region=seller.region, **fields)
    authorization.renew(tokens.refresh_token)
    authorization.save()
    return authorization


def lwa_grants(emu, grant_type="refresh_token") -> int:
    return emu.state.lwa_calls_by_grant[grant_type]


def renewed_later(authorization, refresh_token):
    authorization.renew(refresh_token, now=timezone.now() + timedelta(seconds=1))
    authorization.save()
    return authorization
