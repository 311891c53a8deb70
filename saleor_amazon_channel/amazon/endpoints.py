"""Where Amazon lives: every Amazon URL is configuration.

Each setting is read from Django settings first, then the environment, so a
sandbox, the bundled emulator or real Amazon differ only in configuration.
"""

import ipaddress
import os
from urllib.parse import urlsplit

from django.conf import settings

from saleor_amazon_channel.amazon.errors import AmazonError
from saleor_amazon_channel.core.marketplaces import MARKETPLACES, SP_API_HOSTS, Marketplace, Region

LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token"

SELLER_CENTRAL_SETTING = "AMAZON_CHANNEL_SELLER_CENTRAL_URL"
LWA_TOKEN_SETTING = "AMAZON_CHANNEL_LWA_TOKEN_URL"
SP_API_SETTING = "AMAZON_CHANNEL_SP_API_URL"


OVERRIDES = (SELLER_CENTRAL_SETTING, LWA_TOKEN_SETTING, SP_API_SETTING)


class InsecureAmazonUrl(AmazonError):
    """An Amazon URL override that is not https (outside DEBUG and loopback): nothing is sent to it."""

    default_code = "insecure_url"
    default_message = "The plugin's Amazon address is not https: nothing was sent. An administrator must fix it."


def _raw_setting(name: str) -> str | None:
    value = getattr(settings, name, None) or os.environ.get(name)
    return value.rstrip("/") if value else None


def is_secure_url(url: str) -> bool:
    """https, or http to a loopback host (a local emulator), or anything under DEBUG."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    if parts.scheme != "http" or not parts.hostname:
        return False
    if settings.DEBUG or parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def insecure_overrides() -> list[str]:
    """Names of the URL settings whose value would send secrets in clear."""
    return [name for name in OVERRIDES if (value := _raw_setting(name)) and not is_secure_url(value)]


def _setting(name: str) -> str | None:
    value = _raw_setting(name)
    if value and not is_secure_url(value):
        raise InsecureAmazonUrl(code="insecure_url")
    return value


def seller_central_url(marketplace: Marketplace) -> str:
    return _setting(SELLER_CENTRAL_SETTING) or marketplace.seller_central_url


def lwa_token_url() -> str:
    return _setting(LWA_TOKEN_SETTING) or LWA_TOKEN_URL


def sp_api_url(region: Region | str) -> str:
    return _setting(SP_API_SETTING) or SP_API_HOSTS[Region(region)]


def seller_central_hosts() -> set[str]:
    """Hosts the Log-in URI may send a seller back to (Amazon's ``amazon_callback_uri``).

    Seller Central only, never the retail sites (``www.amazon.*``): each marketplace's
    Seller Central URL from Amazon's table, its country's ``sellercentral.amazon.<tld>``
    alias (sellers reach Manage Your Apps there too) and the old Japanese host.
    """
    override = _setting(SELLER_CENTRAL_SETTING)
    if override:
        return {urlsplit(override).netloc.lower()}
    hosts = {urlsplit(m.seller_central_url).netloc.lower() for m in MARKETPLACES}
    hosts |= {"sellercentral." + m.domain.lower().removeprefix("www.") for m in MARKETPLACES}
    hosts.add("sellercentral-japan.amazon.com")
    return hosts


def is_allowed_amazon_callback(url: str) -> bool:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    if parts.username or parts.password or "\\" in url:
        return False
    override = _setting(SELLER_CENTRAL_SETTING)
    if override:
        expected = urlsplit(override)
        return parts.scheme == expected.scheme and parts.netloc.lower() == expected.netloc.lower()
    return parts.scheme == "https" and port is None and parts.netloc.lower() in seller_central_hosts()


DASHBOARD_SETTING = "DASHBOARD_URL"


def dashboard_url() -> str | None:
    """The Saleor Dashboard's address: Saleor's own ``DASHBOARD_URL`` (a setting or, as Saleor's
    home page reads it, the environment). Only http(s) URLs count."""
    value = _raw_setting(DASHBOARD_SETTING)  # not an Amazon URL: no secret travels there
    if not value or urlsplit(value).scheme not in ("http", "https") or not urlsplit(value).netloc:
        return None
    return value
