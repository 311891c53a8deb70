"""Money in a channel's currency: Decimal-exact, quantized to the currency's exponent (ISO 4217)."""

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

# Currencies whose minor unit is not the cent (ISO 4217); every other one has two decimals.
EXPONENTS = {
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0, "RWF": 0,
    "UGX": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}
HUNDRED = Decimal(100)


def unit(currency: str) -> Decimal:
    """The smallest amount of ``currency``: 0.01, 1, 0.001."""
    return Decimal(1).scaleb(-EXPONENTS.get(currency.upper(), 2))


def quantize(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(unit(currency), rounding=ROUND_HALF_UP)


def round_to_ending(amount: Decimal, ending: Decimal, mode: str, currency: str) -> Decimal:
    """The price ending in ``ending`` (0.99: 23.99) above (UP), below (DOWN) or nearest (NEAREST, ties up) to
    ``amount``; for currencies without decimals, ``ending`` counts in units (9: 1,239 yen).

    The ending is what a price has past its whole unit (0 ≤ ending < 1; ≥ 1 for 0-decimal currencies: the
    step is then the next power of ten above the ending, e.g. 9 → step 10, 99 → step 100)."""
    if EXPONENTS.get(currency.upper(), 2) == 0:
        step = Decimal(10) ** len(str(int(ending)))
    else:
        step = Decimal(1)
    base = ((amount - ending) / step).to_integral_value(rounding=ROUND_FLOOR) * step + ending
    above = base if base >= amount else base + step
    below = above - step
    if above == amount:
        chosen = above
    elif mode == "UP":
        chosen = above
    elif mode == "DOWN":
        chosen = below if below > 0 else above
    else:
        chosen = above if (above - amount) <= (amount - below) or below <= 0 else below
    return quantize(chosen, currency)


def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    return amount * percent / HUNDRED


__all__ = ["EXPONENTS", "percent_of", "quantize", "round_to_ending", "unit"]
