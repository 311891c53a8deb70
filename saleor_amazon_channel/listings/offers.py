"""The desired offer of a variant: what Amazon should show, computed from Saleor, rules and overrides.

Order of the computation (:func:`desired_offer`):

1. **base**: price = the variant's price in the store's channel, in the channel's currency, which must
   be the marketplace's (else ``CURRENCY_MISMATCH``, nothing is sent); quantity = what Saleor can sell
   (Σ(quantity − allocated) over the counted warehouses), 0 at or below the out-of-stock threshold, at
   most the maximum listed quantity; variants that do not track inventory get the settings' quantity;
   handling time and condition from the settings (condition possibly from an attribute);
2. **rules** (:class:`OfferRules`, registered with :func:`register_rules`): each may reprice or make the
   offer ineligible (quantity 0, the offer stays on Amazon), and says why in ``notes``;
3. **overrides** per listing win over everything (price, quantity, handling time, condition);
4. quantity is **never more than Saleor can sell** at the time of computing, override or not.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from saleor_amazon_channel.core.host import OfferVariant
from saleor_amazon_channel.listings.models import CONDITIONS
from saleor_amazon_channel.outcomes import Outcome

CENT = Decimal("0.01")


@dataclass(frozen=True)
class OfferSettings:
    """A store's listing settings as the computation reads them (a plain snapshot of ListingSettings)."""

    marketplace_currency: str
    handling_time: int = 2
    condition: str = "new_new"
    condition_attribute: str = ""
    out_of_stock_threshold: int = 0
    max_quantity: int | None = None
    untracked_quantity: int = 100


@dataclass(frozen=True)
class Overrides:
    price: Decimal | None = None
    quantity: int | None = None
    handling_time: int | None = None
    condition: str = ""


@dataclass(frozen=True)
class DesiredOffer:
    price: Decimal | None
    currency: str
    quantity: int
    handling_time: int | None  # None: Amazon's own (an adopted offer's), not sent
    condition: str
    # None: the offer can be sent; else the Outcome saying why not (the listing is Incomplete).
    problem: Outcome | None = None
    # False: a rule excludes the variant (Adobe's Ineligible): quantity 0, the offer stays on Amazon.
    eligible: bool = True
    notes: tuple[str, ...] = field(default_factory=tuple)  # what changed the offer, in order


# A rule for one variant: takes the offer computed so far, returns it (possibly changed, with a note).
OfferRule = Callable[[OfferVariant, DesiredOffer], DesiredOffer]


class OfferRules(Protocol):
    """Listing and price rules, plugged in from outside the listings package.

    ``for_batch`` is called once per batch of variants of one store (so a provider reads what it needs
    in a constant number of queries) and returns the rule applied to each variant of that batch.
    """

    def for_batch(self, store: Any, variants: Sequence[OfferVariant]) -> OfferRule: ...


_PROVIDERS: list[OfferRules] = []


def register_rules(provider: OfferRules) -> None:
    """Plug a rule provider in (e.g. from an AppConfig.ready); providers apply in registration order."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def unregister_rules(provider: OfferRules) -> None:
    if provider in _PROVIDERS:
        _PROVIDERS.remove(provider)


def batch_rules(store: Any, variants: Sequence[OfferVariant]) -> list[OfferRule]:
    return [provider.for_batch(store, variants) for provider in _PROVIDERS]


def condition_code(value: str) -> str | None:
    """An Amazon condition code from a setting or an attribute value ("New", "used like new", "used_good")."""
    key = "_".join(value.strip().lower().replace(";", " ").replace("-", " ").replace(",", " ").split())
    if key in CONDITIONS:
        return key
    aliases = {"new": "new_new", "refurbished": "refurbished_refurbished", "renewed": "refurbished_refurbished",
               "club": "club_club", "open_box": "new_open_box", "oem": "new_oem"}
    return aliases.get(key)


def base_offer(variant: OfferVariant, settings: OfferSettings) -> DesiredOffer:
    problem: Outcome | None = None
    price = variant.price.quantize(CENT, rounding=ROUND_HALF_UP) if variant.price is not None else None
    if price is None:
        problem = Outcome.NO_PRICE
    elif variant.currency.upper() != settings.marketplace_currency.upper():
        problem = Outcome.CURRENCY_MISMATCH
    if variant.track_inventory:
        quantity = max(variant.available, 0)
        if quantity <= settings.out_of_stock_threshold:
            quantity = 0
    else:
        quantity = settings.untracked_quantity
    if settings.max_quantity is not None:
        quantity = min(quantity, settings.max_quantity)
    if settings.condition_attribute:
        condition = condition_code(variant.attribute_value) or ""
    else:
        condition = condition_code(settings.condition) or ""
    if not condition and problem is None:
        problem = Outcome.MISSING_CONDITION
    return DesiredOffer(price=price, currency=variant.currency.upper(), quantity=quantity,
                        handling_time=settings.handling_time, condition=condition, problem=problem)


def sellable(variant: OfferVariant) -> int | None:
    """What Saleor can sell now; None when it does not count (the variant does not track inventory)."""
    return max(variant.available, 0) if variant.track_inventory else None


def desired_offer(
    variant: OfferVariant,
    settings: OfferSettings,
    overrides: Overrides | None = None,
    rules: Sequence[OfferRule] = (),
) -> DesiredOffer:
    offer = base_offer(variant, settings)
    for rule in rules:
        offer = rule(variant, offer)
    if not offer.eligible:
        offer = replace(offer, quantity=0)
    if overrides is not None:
        notes = list(offer.notes)
        if overrides.price is not None:
            offer = replace(offer, price=overrides.price.quantize(CENT, rounding=ROUND_HALF_UP))
            notes.append("override:price")
            if offer.problem is Outcome.NO_PRICE:
                offer = replace(offer, problem=None)
        if overrides.quantity is not None and offer.eligible:
            offer = replace(offer, quantity=overrides.quantity)
            notes.append("override:quantity")
        if overrides.handling_time is not None:
            offer = replace(offer, handling_time=overrides.handling_time)
            notes.append("override:handling_time")
        if overrides.condition:
            code = condition_code(overrides.condition)
            if code:
                offer = replace(offer, condition=code)
                notes.append("override:condition")
                if offer.problem is Outcome.MISSING_CONDITION:
                    offer = replace(offer, problem=None)
        offer = replace(offer, notes=tuple(notes))
    # Never offer more than Saleor can sell now, whatever set the quantity.
    limit = sellable(variant)
    quantity = offer.quantity if limit is None else min(offer.quantity, limit)
    return replace(offer, quantity=max(0, quantity))
