"""Amazon marketplaces as data.

Facts from Amazon's marketplace-ID, SP-API endpoint and Seller Central URL pages
(developer-docs.amazon.com/sp-api/docs/seller-central-urls: Ireland and Egypt have
their own hosts, Belgium .com.be, Saudi Arabia .sa, South Africa .co.za). The Seller
Central host is where a seller consents; the region decides the SP-API host and the
scope of an authorization (one authorization covers every marketplace of that
seller in that region).
"""

from dataclasses import dataclass
from enum import StrEnum


class Region(StrEnum):
    NA = "NA"
    EU = "EU"
    FE = "FE"


SP_API_HOSTS = {
    Region.NA: "https://sellingpartnerapi-na.amazon.com",
    Region.EU: "https://sellingpartnerapi-eu.amazon.com",
    Region.FE: "https://sellingpartnerapi-fe.amazon.com",
}

EU_SELLER_CENTRAL = "https://sellercentral-europe.amazon.com"


@dataclass(frozen=True)
class Marketplace:
    id: str
    country_code: str
    country_name: str
    region: Region
    seller_central_url: str
    currency_code: str
    domain: str

    @property
    def sp_api_url(self) -> str:
        return SP_API_HOSTS[self.region]


def _m(id: str, country: str, name: str, region: str, seller_central: str, currency: str, domain: str) -> Marketplace:
    return Marketplace(id, country, name, Region(region), seller_central, currency, domain)


# The seed's four (US, CA, MX, GB) come first: the dashboard lists them first too.
MARKETPLACES: tuple[Marketplace, ...] = (
    _m("ATVPDKIKX0DER", "US", "United States", "NA", "https://sellercentral.amazon.com", "USD", "www.amazon.com"),
    _m("A2EUQ1WTGCTBG2", "CA", "Canada", "NA", "https://sellercentral.amazon.ca", "CAD", "www.amazon.ca"),
    _m("A1AM78C64UM0Y8", "MX", "Mexico", "NA", "https://sellercentral.amazon.com.mx", "MXN", "www.amazon.com.mx"),
    _m("A1F83G8C2ARO7P", "GB", "United Kingdom", "EU", EU_SELLER_CENTRAL, "GBP", "www.amazon.co.uk"),
    _m("A2Q3Y263D00KWC", "BR", "Brazil", "NA", "https://sellercentral.amazon.com.br", "BRL", "www.amazon.com.br"),
    _m("A1PA6795UKMFR9", "DE", "Germany", "EU", EU_SELLER_CENTRAL, "EUR", "www.amazon.de"),
    _m("A13V1IB3VIYZZH", "FR", "France", "EU", EU_SELLER_CENTRAL, "EUR", "www.amazon.fr"),
    _m("APJ6JRA9NG5V4", "IT", "Italy", "EU", EU_SELLER_CENTRAL, "EUR", "www.amazon.it"),
    _m("A1RKKUPIHCS9HS", "ES", "Spain", "EU", EU_SELLER_CENTRAL, "EUR", "www.amazon.es"),
    _m("A28R8C7NBKEWEA", "IE", "Ireland", "EU", "https://sellercentral.amazon.ie", "EUR", "www.amazon.ie"),
    _m("A1805IZSGTT6HS", "NL", "Netherlands", "EU", "https://sellercentral.amazon.nl", "EUR", "www.amazon.nl"),
    _m("AMEN7PMS3EDWL", "BE", "Belgium", "EU", "https://sellercentral.amazon.com.be", "EUR", "www.amazon.com.be"),
    _m("A2NODRKZP88ZB9", "SE", "Sweden", "EU", "https://sellercentral.amazon.se", "SEK", "www.amazon.se"),
    _m("A1C3SOZRARQ6R3", "PL", "Poland", "EU", "https://sellercentral.amazon.pl", "PLN", "www.amazon.pl"),
    _m("A33AVAJ2PDY3EV", "TR", "Turkey", "EU", "https://sellercentral.amazon.com.tr", "TRY", "www.amazon.com.tr"),
    _m("A2VIGQ35RCS4UG", "AE", "United Arab Emirates", "EU", "https://sellercentral.amazon.ae", "AED", "www.amazon.ae"),
    _m("A17E79C6D8DWNP", "SA", "Saudi Arabia", "EU", "https://sellercentral.amazon.sa", "SAR", "www.amazon.sa"),
    _m("ARBP9OOSHTCHU", "EG", "Egypt", "EU", "https://sellercentral.amazon.eg", "EGP", "www.amazon.eg"),
    _m("AE08WJ6YKNBMC", "ZA", "South Africa", "EU", "https://sellercentral.amazon.co.za", "ZAR", "www.amazon.co.za"),
    _m("A21TJRUUN4KGV", "IN", "India", "EU", "https://sellercentral.amazon.in", "INR", "www.amazon.in"),
    _m("A19VAU5U5O7RUS", "SG", "Singapore", "FE", "https://sellercentral.amazon.sg", "SGD", "www.amazon.sg"),
    _m("A39IBJ37TRP1C6", "AU", "Australia", "FE", "https://sellercentral.amazon.com.au", "AUD", "www.amazon.com.au"),
    _m("A1VC38T7YXB528", "JP", "Japan", "FE", "https://sellercentral.amazon.co.jp", "JPY", "www.amazon.co.jp"),
)

BY_ID: dict[str, Marketplace] = {m.id: m for m in MARKETPLACES}
BY_COUNTRY: dict[str, Marketplace] = {m.country_code: m for m in MARKETPLACES}
# Amazon itself says "UK" for the United Kingdom marketplace.
BY_COUNTRY["UK"] = BY_COUNTRY["GB"]

CHOICES = [(m.id, f"{m.country_name} ({m.id})") for m in MARKETPLACES]


def get(marketplace_id: str) -> Marketplace:
    return BY_ID[marketplace_id]


def lookup(value: str) -> Marketplace | None:
    """Find a marketplace by its ID ("ATVPDKIKX0DER") or country code ("US")."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return BY_ID.get(value) or BY_COUNTRY.get(value.upper())
