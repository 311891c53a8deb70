"""The Product Type Definitions API 2020-09-01: which offer attributes a product type requires.

``getDefinitionsProductType`` (5/s, burst 10) with ``requirements=LISTING_OFFER_ONLY`` and
``requirementsEnforced=ENFORCED`` links a JSON Schema; its top-level ``required`` list is what an
offer must carry in that marketplace.
"""

import json
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from saleor_amazon_channel.amazon import documents, endpoints
from saleor_amazon_channel.amazon.errors import AmazonUnavailable
from saleor_amazon_channel.amazon.http import AmazonHttp
from saleor_amazon_channel.amazon.sp_api import call
from saleor_amazon_channel.core.marketplaces import Marketplace

DEFINITIONS_PATH = "/definitions/2020-09-01/productTypes"
PLAN = (5.0, 10)


@dataclass(frozen=True)
class Requirements:
    product_type: str
    version: str
    required: tuple[str, ...]


def offer_requirements(http: AmazonHttp, token: str, marketplace: Marketplace, seller_id: str,
                       product_type: str) -> Requirements:
    query = urlencode({"marketplaceIds": marketplace.id, "sellerId": seller_id, "requirements": "LISTING_OFFER_ONLY",
                       "requirementsEnforced": "ENFORCED", "locale": "DEFAULT"})
    url = f"{endpoints.sp_api_url(marketplace.region)}{DEFINITIONS_PATH}/{quote(product_type, safe='')}?{query}"
    answer, _ = call(http, "GET", url, token, api="Product Type Definitions API")
    schema_link = answer.get("schema")
    link = schema_link.get("link") if isinstance(schema_link, dict) else None
    resource = link.get("resource") if isinstance(link, dict) else None
    if not isinstance(resource, str):
        raise AmazonUnavailable("Amazon's product type definition has no schema.", code="bad_response")
    try:
        schema = json.loads(documents.download(http, resource))
    except ValueError:
        raise AmazonUnavailable("Amazon's product type schema could not be read.", code="bad_response") from None
    required = schema.get("required") if isinstance(schema, dict) else None
    version = answer.get("productTypeVersion")
    version_text = str(version.get("version") or "") if isinstance(version, dict) else ""
    return Requirements(product_type, version_text[:100],
                        tuple(r for r in required if isinstance(r, str)) if isinstance(required, list) else ())
