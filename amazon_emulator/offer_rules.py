"""What Amazon checks in an offer, and how an offer reads back: shared by the Listings Items API and feeds.

Offers go on existing ASINs (``requirements=LISTING_OFFER_ONLY``) with the
attributes of the product type definition served by product_types.py:
``condition_type``, ``merchant_suggested_asin``, ``purchasable_offer``
(``our_price`` schedule, ``currency``) and ``fulfillment_availability``.

Checks made at submission (an ERROR makes the submission INVALID, nothing changes):
missing or unknown ``condition_type``; a new SKU without ``merchant_suggested_asin``;
an ASIN the catalog does not know (``ASIN_NOT_FOUND``); a SKU already on another
ASIN; a brand the seller is not approved for (``APPROVAL_REQUIRED``, the restricted
brands); a missing price or currency, one in another currency than the marketplace's;
a bad quantity or handling time.  Found later, once the submission is processed
(ACCEPTED, then the issue appears and the listing is suppressed): a price of 0.
A live offer with quantity 0 is DISCOVERABLE, not BUYABLE.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from .marketplaces import MARKETPLACES
from .selling import Offer, iso

CONDITIONS = (
    "new_new", "new_open_box", "new_oem", "refurbished_refurbished", "used_like_new", "used_very_good",
    "used_good", "used_acceptable", "collectible_like_new", "collectible_very_good", "collectible_good",
    "collectible_acceptable", "club_club",
)
OFFER_ATTRIBUTES = ("condition_type", "merchant_suggested_asin", "purchasable_offer", "fulfillment_availability")
REQUIRED_OFFER_ATTRIBUTES = ("condition_type", "merchant_suggested_asin", "purchasable_offer")
MAX_LEAD_TIME_DAYS = 30
SUPPRESSED = {"actions": [{"action": "LISTING_SUPPRESSED"}], "exemption": {"status": "NOT_EXEMPT"}}


def issue(code: str, message: str, attribute: str | None, categories: list[str], marketplace_id: str,
          severity: str = "ERROR", suppress: bool = False) -> dict:
    result = {
        "code": code,
        "message": message,
        "severity": severity,
        "attributeNames": [attribute] if attribute else [],
        "categories": categories,
        "marketplaceIds": [marketplace_id],
    }
    if suppress:
        result["enforcements"] = SUPPRESSED
    return result


def missing(attribute: str, marketplace_id: str, category: str = "MISSING_ATTRIBUTE") -> dict:
    return issue("90220", f"'{attribute}' is required but not supplied.", attribute, [category], marketplace_id,
                 suppress=True)


def bad_value(attribute: str, marketplace_id: str, why: str, category: str = "INVALID_ATTRIBUTE") -> dict:
    return issue("4000001", f"The provided value for '{attribute}' is invalid. {why}", attribute, [category],
                 marketplace_id)


def first(attributes: dict, name: str) -> dict | None:
    values = attributes.get(name)
    if isinstance(values, list) and values and isinstance(values[0], dict):
        return values[0]
    return None


def price_of(attributes: dict) -> tuple[Decimal | None, str | None]:
    """(our price, currency) of the offer, None where absent or unreadable."""
    offer = first(attributes, "purchasable_offer")
    if offer is None:
        return None, None
    try:
        value = offer["our_price"][0]["schedule"][0]["value_with_tax"]
        price = Decimal(str(value))
    except (KeyError, IndexError, TypeError, InvalidOperation):
        price = None
    if price is not None and not price.is_finite():
        price = None
    return price, offer.get("currency")


def fulfillment_of(attributes: dict) -> tuple[str | None, int | None, int | None]:
    """(fulfillment channel code, quantity, lead time) of the offer's first availability record."""
    availability = first(attributes, "fulfillment_availability")
    if availability is None:
        return None, None, None
    return (availability.get("fulfillment_channel_code"), availability.get("quantity"),
            availability.get("lead_time_to_ship_max_days"))


def condition_of(attributes: dict) -> str | None:
    condition = first(attributes, "condition_type")
    return condition.get("value") if condition else None


def asin_of(attributes: dict) -> str | None:
    asin = first(attributes, "merchant_suggested_asin")
    return asin.get("value") if asin else None


def check(attributes: dict, *, marketplace_id: str, requirements: str, existing: Offer | None,
          catalog_item: dict | None, restricted_brands: set[str]) -> tuple[list[dict], list[dict]]:
    """(issues found at submission, issues found once processed) for an offer's full attributes."""
    now_issues: list[dict] = []
    later: list[dict] = []
    if not isinstance(attributes, dict):
        return [bad_value("attributes", marketplace_id, "attributes must be an object.")], []
    if requirements != "LISTING_OFFER_ONLY" and existing is None and "item_name" not in attributes:
        # Product data: the emulator only holds offers on existing ASINs.
        now_issues.append(missing("item_name", marketplace_id))

    condition = condition_of(attributes)
    if condition is None:
        now_issues.append(missing("condition_type", marketplace_id))
    elif condition not in CONDITIONS:
        now_issues.append(bad_value("condition_type", marketplace_id, f"'{condition}' is not a condition."))

    asin = asin_of(attributes)
    if asin is None and existing is None:
        now_issues.append(missing("merchant_suggested_asin", marketplace_id))
    elif asin is not None and existing is not None and asin != existing.asin:
        now_issues.append(bad_value("merchant_suggested_asin", marketplace_id,
                                    f"SKU '{existing.sku}' is already assigned to ASIN {existing.asin}."))
    elif asin is not None and catalog_item is None:
        now_issues.append(issue("ASIN_NOT_FOUND", f"The ASIN {asin} does not exist in marketplace {marketplace_id}.",
                                "merchant_suggested_asin", ["INVALID_ATTRIBUTE"], marketplace_id))
    if catalog_item is not None:
        brand = catalog_item.get("brand", "")
        if brand.lower() in restricted_brands:
            now_issues.append(issue(
                "APPROVAL_REQUIRED", f"You need approval to list products of the brand '{brand}' in this store.",
                "merchant_suggested_asin", ["QUALIFICATION_REQUIRED"], marketplace_id, suppress=True))

    now_issues += _check_price(attributes, marketplace_id, later)
    now_issues += _check_fulfillment(attributes, marketplace_id)
    return now_issues, later


def _check_price(attributes: dict, marketplace_id: str, later: list[dict]) -> list[dict]:
    offer = first(attributes, "purchasable_offer")
    if offer is None:
        return [missing("purchasable_offer", marketplace_id, "MISSING_PRICE")]
    problems = []
    price, currency = price_of(attributes)
    expected = MARKETPLACES[marketplace_id].currency
    if currency is None:
        problems.append(missing("purchasable_offer.currency", marketplace_id, "MISSING_PRICE"))
    elif currency != expected:
        problems.append(bad_value("purchasable_offer.currency", marketplace_id,
                                  f"Marketplace {marketplace_id} sells in {expected}, not {currency}.",
                                  "INVALID_PRICE"))
    if not offer.get("our_price"):
        problems.append(issue(
            "99022", "The field 'schedule' for the attribute 'purchasable_offer.our_price' does not have enough "
            "values. The required minimum is '1' value(s).", "purchasable_offer.our_price", ["MISSING_PRICE"],
            marketplace_id))
    elif price is None or price < 0:
        problems.append(bad_value("purchasable_offer.our_price", marketplace_id,
                                  "value_with_tax must be a decimal number not below 0.", "INVALID_PRICE"))
    elif price == 0:
        later.append(issue(
            "4000001", "The provided value for 'purchasable_offer.our_price' is invalid. The price must be "
            "greater than 0.", "purchasable_offer.our_price", ["INVALID_PRICE"], marketplace_id, suppress=True))
    return problems


def _check_fulfillment(attributes: dict, marketplace_id: str) -> list[dict]:
    if "fulfillment_availability" not in attributes:
        return []
    availability = first(attributes, "fulfillment_availability")
    if availability is None:
        return [bad_value("fulfillment_availability", marketplace_id, "It must be a list of records.")]
    code, quantity, lead_time = fulfillment_of(attributes)
    if not isinstance(code, str) or not code:
        return [missing("fulfillment_availability.fulfillment_channel_code", marketplace_id)]
    problems = []
    if code == "DEFAULT":
        if quantity is not None and (not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0):
            problems.append(bad_value("fulfillment_availability.quantity", marketplace_id,
                                      "quantity must be a whole number not below 0."))
    elif not code.startswith("AMAZON_"):
        problems.append(bad_value("fulfillment_availability.fulfillment_channel_code", marketplace_id,
                                  f"'{code}' is not a fulfillment channel."))
    if lead_time is not None and (not isinstance(lead_time, int) or isinstance(lead_time, bool)
                                  or not 0 <= lead_time <= MAX_LEAD_TIME_DAYS):
        problems.append(bad_value("fulfillment_availability.lead_time_to_ship_max_days", marketplace_id,
                                  f"It must be a whole number of days from 0 to {MAX_LEAD_TIME_DAYS}."))
    return problems


def apply_patches(attributes: dict, patches) -> tuple[dict, str | None]:
    """The attributes after JSON patch operations on top-level ``/attributes/<name>`` paths, or a problem."""
    if not isinstance(patches, list) or not patches:
        return attributes, "patches must be a non-empty array."
    result = dict(attributes)
    for patch in patches:
        if not isinstance(patch, dict):
            return attributes, "each patch must be an object."
        op, path, value = patch.get("op"), patch.get("path"), patch.get("value")
        if op not in ("add", "replace", "merge", "delete"):
            return attributes, f"op must be add, replace, merge or delete, not {op!r}."
        parts = path.split("/") if isinstance(path, str) else []
        if len(parts) != 3 or parts[0] != "" or parts[1] != "attributes" or not parts[2]:
            return attributes, f"Only top-level listings item attributes can be patched, not {path!r}."
        name = parts[2]
        if op == "delete":
            result.pop(name, None)
            continue
        if not isinstance(value, list):
            return attributes, f"value must be an array for {op} on {path}."
        if op == "merge" and name in result and isinstance(result[name], list):
            merged = [dict(entry) for entry in result[name] if isinstance(entry, dict)]
            for index, entry in enumerate(value):
                if index < len(merged) and isinstance(entry, dict):
                    merged[index].update(entry)
                else:
                    merged.append(entry)
            result[name] = merged
        else:
            result[name] = value
    return result, None


# -- reading an offer back --------------------------------------------------------------


def status_of(offer: Offer, now: float) -> list[str]:
    version = offer.version(now)
    if version is None or any("enforcements" in i and i["severity"] == "ERROR" for i in version.issues):
        return []
    if quantity_of(offer, now) > 0:
        return ["BUYABLE", "DISCOVERABLE"]
    return ["DISCOVERABLE"]


def channel_of(offer: Offer, attributes: dict | None = None) -> str:
    code = fulfillment_of(attributes if attributes is not None else offer.latest().attributes)[0]
    return code or "DEFAULT"


def channel_of_attributes(attributes: dict) -> str:
    return fulfillment_of(attributes)[0] or "DEFAULT"


def quantity_of(offer: Offer, now: float) -> int:
    version = offer.version(now)
    if version is None:
        return 0
    if channel_of(offer, version.attributes).startswith("AMAZON_"):
        return offer.fba_quantity
    quantity = fulfillment_of(version.attributes)[1]
    return quantity if isinstance(quantity, int) else 0


def item_view(offer: Offer, now: float, included: list[str], image_link: str | None = None) -> dict:
    """The listings item as getListingsItem returns it, with the ``included`` data sets."""
    version = offer.version(now)
    live = version.attributes if version else {}
    item: dict = {"sku": offer.sku}
    if "summaries" in included:
        summary = {
            "marketplaceId": offer.marketplace_id,
            "asin": offer.asin,
            "productType": offer.product_type,
            "status": status_of(offer, now),
            "itemName": offer.item_name,
            "createdDate": iso(offer.created_at),
            "lastUpdatedDate": iso(offer.updated_at),
        }
        condition = condition_of(offer.latest().attributes)
        if condition in CONDITIONS:
            summary["conditionType"] = condition
        if offer.fn_sku:
            summary["fnSku"] = offer.fn_sku
        if image_link:
            summary["mainImage"] = {"link": image_link, "height": 500, "width": 500}
        item["summaries"] = [summary]
    if "attributes" in included:
        item["attributes"] = offer.latest().attributes
    if "issues" in included:
        item["issues"] = list(version.issues) if version else []
    if "offers" in included:
        price, currency = price_of(live)
        item["offers"] = [] if price is None else [{
            "marketplaceId": offer.marketplace_id,
            "offerType": "B2C",
            "price": {"currencyCode": currency or MARKETPLACES[offer.marketplace_id].currency,
                      "amount": str(price)},
        }]
    if "fulfillmentAvailability" in included:
        item["fulfillmentAvailability"] = [] if version is None else [
            {"fulfillmentChannelCode": channel_of(offer, live), "quantity": quantity_of(offer, now)}
        ]
    if "procurement" in included:
        item["procurement"] = []
    if "relationships" in included:
        item["relationships"] = [{"marketplaceId": offer.marketplace_id, "relationships": []}]
    if "productTypes" in included:
        item["productTypes"] = [{"marketplaceId": offer.marketplace_id, "productType": offer.product_type}]
    return item


def offer_facts(offer: Offer, now: float) -> dict:
    """An offer as the control API shows it: what Amazon shows now, and what is still being processed."""
    version = offer.version(now)
    live = version.attributes if version else {}
    price, currency = price_of(live)
    _, _, lead_time = fulfillment_of(live)
    latest = offer.latest()
    pending_price, _ = price_of(latest.attributes)
    return {
        "sku": offer.sku,
        "marketplace_id": offer.marketplace_id,
        "asin": offer.asin,
        "product_type": offer.product_type,
        "item_name": offer.item_name,
        "brand": offer.brand,
        "condition_type": condition_of(live),
        "price": None if price is None else str(price),
        "currency": currency,
        "quantity": quantity_of(offer, now),
        "lead_time_to_ship_max_days": lead_time,
        "fulfillment_channel_code": channel_of(offer, live) if version else channel_of(offer),
        "status": status_of(offer, now),
        "issues": list(version.issues) if version else [],
        "pending": latest.effective_at > now,
        "pending_price": None if pending_price is None else str(pending_price),
        "pending_quantity": fulfillment_of(latest.attributes)[1],
        "created": iso(offer.created_at),
        "updated": iso(offer.updated_at),
    }
