"""Marketplace table used by the emulated Sellers API.

IDs, regions and country codes come from Amazon's marketplace-ids page (see
shared notes, section 3).  Names, currencies, languages and domains are the
values the real ``getMarketplaceParticipations`` returns for these
marketplaces as far as we know; the emulator only needs them to be plausible
and stable.
"""

from __future__ import annotations

from dataclasses import dataclass

REGIONS = ("NA", "EU", "FE")


@dataclass(frozen=True)
class Marketplace:
    id: str
    name: str
    country_code: str
    currency: str
    language: str
    domain: str
    region: str

    def as_payload(self) -> dict:
        """The ``marketplace`` object of a participation, as SP-API spells it."""
        return {
            "id": self.id,
            "name": self.name,
            "countryCode": self.country_code,
            "defaultCurrencyCode": self.currency,
            "defaultLanguageCode": self.language,
            "domainName": self.domain,
        }


def _m(id, name, country, currency, language, domain, region):
    return Marketplace(id, name, country, currency, language, domain, region)


MARKETPLACES: dict[str, Marketplace] = {
    m.id: m
    for m in (
        # North America
        _m("ATVPDKIKX0DER", "Amazon.com", "US", "USD", "en_US", "www.amazon.com", "NA"),
        _m("A2EUQ1WTGCTBG2", "Amazon.ca", "CA", "CAD", "en_CA", "www.amazon.ca", "NA"),
        _m("A1AM78C64UM0Y8", "Amazon.com.mx", "MX", "MXN", "es_MX", "www.amazon.com.mx", "NA"),
        _m("A2Q3Y263D00KWC", "Amazon.com.br", "BR", "BRL", "pt_BR", "www.amazon.com.br", "NA"),
        # Europe (the API reports the UK marketplace as country code GB)
        _m("A1F83G8C2ARO7P", "Amazon.co.uk", "GB", "GBP", "en_GB", "www.amazon.co.uk", "EU"),
        _m("A1PA6795UKMFR9", "Amazon.de", "DE", "EUR", "de_DE", "www.amazon.de", "EU"),
        _m("A13V1IB3VIYZZH", "Amazon.fr", "FR", "EUR", "fr_FR", "www.amazon.fr", "EU"),
        _m("APJ6JRA9NG5V4", "Amazon.it", "IT", "EUR", "it_IT", "www.amazon.it", "EU"),
        _m("A1RKKUPIHCS9HS", "Amazon.es", "ES", "EUR", "es_ES", "www.amazon.es", "EU"),
        _m("A28R8C7NBKEWEA", "Amazon.ie", "IE", "EUR", "en_IE", "www.amazon.ie", "EU"),
        _m("A1805IZSGTT6HS", "Amazon.nl", "NL", "EUR", "nl_NL", "www.amazon.nl", "EU"),
        _m("AMEN7PMS3EDWL", "Amazon.com.be", "BE", "EUR", "fr_BE", "www.amazon.com.be", "EU"),
        _m("A2NODRKZP88ZB9", "Amazon.se", "SE", "SEK", "sv_SE", "www.amazon.se", "EU"),
        _m("A1C3SOZRARQ6R3", "Amazon.pl", "PL", "PLN", "pl_PL", "www.amazon.pl", "EU"),
        _m("A33AVAJ2PDY3EV", "Amazon.com.tr", "TR", "TRY", "tr_TR", "www.amazon.com.tr", "EU"),
        _m("A2VIGQ35RCS4UG", "Amazon.ae", "AE", "AED", "en_AE", "www.amazon.ae", "EU"),
        _m("A17E79C6D8DWNP", "Amazon.sa", "SA", "SAR", "ar_SA", "www.amazon.sa", "EU"),
        _m("ARBP9OOSHTCHU", "Amazon.eg", "EG", "EGP", "ar_EG", "www.amazon.eg", "EU"),
        _m("AE08WJ6YKNBMC", "Amazon.co.za", "ZA", "ZAR", "en_ZA", "www.amazon.co.za", "EU"),
        _m("A21TJRUUN4KGV", "Amazon.in", "IN", "INR", "en_IN", "www.amazon.in", "EU"),
        # Far East
        _m("A19VAU5U5O7RUS", "Amazon.sg", "SG", "SGD", "en_SG", "www.amazon.sg", "FE"),
        _m("A39IBJ37TRP1C6", "Amazon.com.au", "AU", "AUD", "en_AU", "www.amazon.com.au", "FE"),
        _m("A1VC38T7YXB528", "Amazon.co.jp", "JP", "JPY", "ja_JP", "www.amazon.co.jp", "FE"),
    )
}

# Used when a seller is added without an explicit marketplace list.
DEFAULT_MARKETPLACE_BY_REGION = {
    "NA": "ATVPDKIKX0DER",
    "EU": "A1F83G8C2ARO7P",
    "FE": "A1VC38T7YXB528",
}
