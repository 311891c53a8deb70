"""Product Type Definitions API v2020-09-01: searchDefinitionsProductTypes and getDefinitionsProductType.

Follows definitionsProductTypes_2020-09-01.json: ``ProductTypeList`` and
``ProductTypeDefinition`` answers, whose ``schema`` and ``metaSchema`` are
``SchemaLink``s (``link.resource``, ``link.verb`` GET, ``checksum`` = Base64 MD5
of the document) to documents served by the emulator itself, as Amazon serves
them from pre-signed S3 links: no access token needed to download them.

The schema is small but real JSON Schema (draft 2019-09 with Amazon's
vocabulary keywords ``selectors``, ``editable``, ``hidden``, ``enumNames``):
the offer attributes offer_rules.py checks, with the same required ones.
"""

from __future__ import annotations

import base64
import hashlib
import json

from .marketplaces import MARKETPLACES
from .offer_rules import CONDITIONS, MAX_LEAD_TIME_DAYS, REQUIRED_OFFER_ATTRIBUTES
from .selling import Operation, SpApiModule, check_marketplaces, csv_param, invalid, ok
from .sp_api import error
from .state import Seller
from .web import Request, Response, json_response

SEARCH_PATH = "/definitions/2020-09-01/productTypes"
GET_PATH = r"/definitions/2020-09-01/productTypes/(?P<product_type>[^/]+)"
SCHEMA_PATH = r"/definitions/schemas/(?P<product_type>[A-Z0-9_]+)\.json"
META_SCHEMA_PATH = "/definitions/meta-schema/v1.json"
META_SCHEMA_ID = "https://schemas.amazon.com/selling-partners/definitions/product-types/meta-schema/v1"

# Product types the emulator knows; catalog items carry one of these (catalog.py).
PRODUCT_TYPES = {
    "PRODUCT": "Product",
    "LAMP": "Lamp",
    "BOTTLE": "Bottle",
    "BACKPACK": "Backpack",
    "NOTEBOOK": "Notebook",
    "HEADPHONES": "Headphones",
    "DRINKING_CUP": "Drinking Cup",
    "EXERCISE_MAT": "Exercise Mat",
    "BOARD_GAME": "Board Game",
    "LUGGAGE": "Luggage",
}
# catalog.NOUNS -> product type of the seeded items
NOUN_PRODUCT_TYPES = {
    "Desk Lamp": "LAMP", "Water Bottle": "BOTTLE", "Backpack": "BACKPACK", "Notebook": "NOTEBOOK",
    "Headphones": "HEADPHONES", "Coffee Mug": "DRINKING_CUP", "Yoga Mat": "EXERCISE_MAT", "Board Game": "BOARD_GAME",
}
REQUIREMENTS = ("LISTING", "LISTING_PRODUCT_ONLY", "LISTING_OFFER_ONLY")
CONDITION_NAMES = [c.replace("_", " ").title() for c in CONDITIONS]


def product_type_names() -> tuple[str, ...]:
    return tuple(PRODUCT_TYPES)


def _marketplace_field(marketplace_id: str) -> dict:
    return {"title": "Marketplace Id", "type": "string", "default": marketplace_id, "editable": False,
            "hidden": True}


def _attribute(title: str, description: str, value_properties: dict, required: list[str], marketplace_id: str,
               selectors=("marketplace_id",)) -> dict:
    return {
        "title": title,
        "description": description,
        "type": "array",
        "minItems": 1,
        "maxItems": 1,
        "selectors": list(selectors),
        "items": {
            "type": "object",
            "required": required,
            "properties": {**value_properties, "marketplace_id": _marketplace_field(marketplace_id)},
            "additionalProperties": False,
        },
    }


def schema(product_type: str, marketplace_id: str, requirements: str) -> dict:
    currency = MARKETPLACES[marketplace_id].currency
    properties = {
        "condition_type": _attribute(
            "Condition", "The condition of the item offered.",
            {"value": {"title": "Item Condition", "type": "string", "enum": list(CONDITIONS),
                       "enumNames": CONDITION_NAMES}}, ["value"], marketplace_id),
        "merchant_suggested_asin": _attribute(
            "Merchant Suggested ASIN", "The ASIN of the existing catalog item the offer is for.",
            {"value": {"title": "ASIN", "type": "string", "pattern": "^[A-Z0-9]{10}$"}}, ["value"], marketplace_id),
        "purchasable_offer": _attribute(
            "Purchasable Offer", "The price at which the item is offered.",
            {
                "currency": {"title": "Currency", "type": "string", "enum": [currency]},
                "our_price": {
                    "title": "Your Price", "type": "array", "minItems": 1, "maxItems": 1,
                    "items": {"type": "object", "required": ["schedule"], "properties": {"schedule": {
                        "type": "array", "minItems": 1, "maxItems": 1,
                        "items": {"type": "object", "required": ["value_with_tax"], "properties": {
                            "value_with_tax": {"title": "Price (with tax where it applies)", "anyOf": [
                                {"type": "number", "exclusiveMinimum": 0},
                                {"type": "string", "pattern": r"^[0-9]+(\.[0-9]{1,2})?$"},
                            ]},
                        }, "additionalProperties": False},
                    }}, "additionalProperties": False},
                },
            },
            ["currency", "our_price"], marketplace_id, selectors=("marketplace_id", "currency")),
        "fulfillment_availability": {
            **_attribute(
                "Fulfillment Availability", "Who ships the item, how many are for sale and the handling time.",
                {
                    "fulfillment_channel_code": {"title": "Fulfillment Channel Code", "type": "string",
                                                 "examples": ["DEFAULT", "AMAZON_NA", "AMAZON_EU"]},
                    "quantity": {"title": "Quantity", "type": "integer", "minimum": 0},
                    "lead_time_to_ship_max_days": {"title": "Handling Time", "type": "integer", "minimum": 0,
                                                   "maximum": MAX_LEAD_TIME_DAYS},
                },
                ["fulfillment_channel_code"], marketplace_id, selectors=("fulfillment_channel_code",)),
        },
    }
    properties["fulfillment_availability"]["items"]["properties"].pop("marketplace_id")
    required = list(REQUIRED_OFFER_ATTRIBUTES)
    if requirements != "LISTING_OFFER_ONLY":
        properties["item_name"] = _attribute("Item Name", "The item's title.",
                                             {"value": {"type": "string", "maxLength": 200}}, ["value"],
                                             marketplace_id, selectors=("marketplace_id", "language_tag"))
        required.insert(0, "item_name")
    return {
        "$schema": META_SCHEMA_ID,
        "$id": f"https://schemas.amazon.com/selling-partners/definitions/product-types/schema/v1/{product_type}",
        "$comment": f"Amazon emulator: {product_type} in {marketplace_id}, requirements {requirements}.",
        "type": "object",
        "required": required,
        "properties": properties,
    }


META_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2019-09/schema",
    "$id": META_SCHEMA_ID,
    "$vocabulary": {
        "https://json-schema.org/draft/2019-09/vocab/core": True,
        "https://json-schema.org/draft/2019-09/vocab/applicator": True,
        "https://json-schema.org/draft/2019-09/vocab/validation": True,
        "https://json-schema.org/draft/2019-09/vocab/meta-data": True,
        "https://json-schema.org/draft/2019-09/vocab/format": False,
        "https://json-schema.org/draft/2019-09/vocab/content": True,
        "https://schemas.amazon.com/selling-partners/definitions/product-types/vocabulary/v1": True,
    },
    "$recursiveAnchor": True,
    "allOf": [{"$ref": "https://json-schema.org/draft/2019-09/schema"}],
    "type": ["object", "boolean"],
    "properties": {
        "selectors": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        "maxUniqueItems": {"type": "integer", "minimum": 0},
        "editable": {"type": "boolean"},
        "hidden": {"type": "boolean"},
        "enumNames": {"type": "array", "items": {"type": "string"}},
    },
}


def _document(payload: dict) -> bytes:
    return json.dumps(payload, indent=2, sort_keys=True).encode()


def _checksum(document: bytes) -> str:
    return base64.b64encode(hashlib.md5(document).digest()).decode()


class ProductTypeDefinitions(SpApiModule):
    def operations(self):
        return [
            Operation("searchDefinitionsProductTypes", "GET", SEARCH_PATH, self.search),
            Operation("getDefinitionsProductType", "GET", GET_PATH, self.get),
        ]

    def search(self, request: Request, seller: Seller) -> Response:
        marketplaces = csv_param(request.query, "marketplaceIds")
        problem = check_marketplaces(seller, marketplaces, most=None)
        if problem:
            return invalid(problem)
        keywords = [k.lower() for k in csv_param(request.query, "keywords")]
        item_name = (request.query.get("itemName") or "").lower()
        if keywords and item_name:
            return invalid("keywords cannot be used with itemName.")
        words = keywords or item_name.split()
        found = [
            {"name": name, "displayName": display, "marketplaceIds": marketplaces}
            for name, display in PRODUCT_TYPES.items()
            if not words or any(w in name.lower() or w in display.lower() for w in words)
        ]
        return ok(200, {"productTypes": found, "productTypeVersion": "U" + _checksum(b"emulator")[:11]})

    def get(self, request: Request, seller: Seller, product_type: str) -> Response:
        marketplaces = csv_param(request.query, "marketplaceIds")
        problem = check_marketplaces(seller, marketplaces)
        if problem:
            return invalid(problem)
        if request.query.get("sellerId") not in (None, seller.selling_partner_id):
            return invalid("sellerId does not match the authorized selling partner.")
        requirements = request.query.get("requirements") or "LISTING"
        enforced = request.query.get("requirementsEnforced") or "ENFORCED"
        version = request.query.get("productTypeVersion") or "LATEST"
        if requirements not in REQUIREMENTS or enforced not in ("ENFORCED", "NOT_ENFORCED"):
            return invalid("requirements or requirementsEnforced has an unknown value.")
        if product_type not in PRODUCT_TYPES:
            return error("NotFound", details=f"Product type {product_type} is not found.")
        if version not in ("LATEST", "RELEASE_CANDIDATE"):
            return error("NotFound", details=f"Product type version {version} is not found.")
        if version == "RELEASE_CANDIDATE":
            return error("NotFound", details=f"No release candidate for product type {product_type}.")
        marketplace_id = marketplaces[0]
        document = _document(schema(product_type, marketplace_id, requirements))
        schema_url = (f"{self.base_url()}/definitions/schemas/{product_type}.json?marketplaceId={marketplace_id}"
                      f"&requirements={requirements}")
        locale = request.query.get("locale") or "DEFAULT"
        groups = {
            "offer": {"title": "Offer", "description": "Information to make the item sellable: price, condition "
                      "and availability", "propertyNames": ["condition_type", "purchasable_offer",
                                                            "fulfillment_availability"]},
            "product_identity": {"title": "Product Identity", "description": "Information to uniquely identify "
                                 "your product", "propertyNames": ["merchant_suggested_asin"]},
        }
        if requirements != "LISTING_OFFER_ONLY":
            groups["product_identity"]["propertyNames"].insert(0, "item_name")
        return ok(200, {
            "metaSchema": {"link": {"resource": self.base_url() + META_SCHEMA_PATH, "verb": "GET"},
                           "checksum": _checksum(_document(META_SCHEMA))},
            "schema": {"link": {"resource": schema_url, "verb": "GET"}, "checksum": _checksum(document)},
            "requirements": requirements,
            "requirementsEnforced": enforced,
            "propertyGroups": groups,
            "locale": MARKETPLACES[marketplace_id].language if locale == "DEFAULT" else locale,
            "marketplaceIds": [marketplace_id],
            "productType": product_type,
            "displayName": PRODUCT_TYPES[product_type],
            "productTypeVersion": {"version": "U" + _checksum(document)[:11], "latest": True,
                                   "releaseCandidate": False},
        })


class ProductTypeSchemas:
    """The schema documents behind the SchemaLinks (S3 at Amazon): not SP-API, never counted nor throttled."""

    def routes(self):
        return [("GET", SCHEMA_PATH, self.schema), ("GET", META_SCHEMA_PATH, self.meta_schema)]

    def schema(self, request: Request, product_type: str) -> Response:
        marketplace_id = request.query.get("marketplaceId", "")
        requirements = request.query.get("requirements", "LISTING")
        if product_type not in PRODUCT_TYPES or marketplace_id not in MARKETPLACES or requirements not in REQUIREMENTS:
            return json_response(404, {"error": "no such schema"})
        return Response(200, _document(schema(product_type, marketplace_id, requirements)),
                        [("Content-Type", "application/json")])

    def meta_schema(self, request: Request) -> Response:
        return Response(200, _document(META_SCHEMA), [("Content-Type", "application/json")])

