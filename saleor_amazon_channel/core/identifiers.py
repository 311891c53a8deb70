"""Product identifiers checked locally, before any Amazon call.

``check(type, raw)`` returns a :class:`Checked`: the value to send to Amazon, or why
there is none (``NO_IDENTIFIER`` for an empty value, ``INVALID_IDENTIFIER`` with a
reason for a wrong length, character or check digit). ``canonical`` turns any
GTIN-family value (EAN-13/8, UPC-A, GTIN-8/12/13/14, ISBN-10/13, JAN) into one
14-digit key, so Amazon's UPC ``885909950805`` and our EAN ``0885909950805`` match.
"""

import re
from dataclasses import dataclass

NO_IDENTIFIER = "NO_IDENTIFIER"
INVALID_IDENTIFIER = "INVALID_IDENTIFIER"

# Amazon's own limit for a seller SKU.
MAX_SKU_LENGTH = 40
_ASIN = re.compile(r"^[A-Z0-9]{10}\Z")
_DIGITS = re.compile(r"^[0-9]+\Z")
# Spaces and hyphens people type into barcodes and ISBNs ("978-3-16-148410-0").
_SEPARATORS = re.compile(r"[\s\-]")


@dataclass(frozen=True)
class Checked:
    value: str = ""  # what Amazon is sent
    problem: str | None = None  # NO_IDENTIFIER / INVALID_IDENTIFIER
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.problem is None


def gtin_check_digit_ok(digits: str) -> bool:
    """GS1 mod-10: weights 3,1,3,... from the right, check digit included makes a multiple of 10."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        total += int(char) * (3 if position % 2 else 1)
    return total % 10 == 0


def isbn10_ok(value: str) -> bool:
    if len(value) != 10 or not _DIGITS.match(value[:9]) or not (value[9].isdigit() or value[9] == "X"):
        return False
    total = sum((10 - i) * int(c) for i, c in enumerate(value[:9]))
    total += 10 if value[9] == "X" else int(value[9])
    return total % 11 == 0


def isbn10_to_13(value: str) -> str:
    body = "978" + value[:9]
    for check in "0123456789":
        if gtin_check_digit_ok(body + check):
            return body + check
    raise AssertionError("unreachable")


def _invalid(reason: str) -> Checked:
    return Checked(problem=INVALID_IDENTIFIER, reason=reason)


def _gtin(value: str, lengths: tuple[int, ...], label: str) -> Checked:
    value = _SEPARATORS.sub("", value)
    if not _DIGITS.match(value):
        return _invalid(f"{label} has only digits.")
    if len(value) not in lengths:
        return _invalid(f"{label} has {' or '.join(map(str, lengths))} digits, not {len(value)}.")
    if not gtin_check_digit_ok(value):
        return _invalid(f"The check digit of this {label} is wrong.")
    return Checked(value)


def check(id_type: str, raw: object) -> Checked:
    value = "" if raw is None else str(raw).strip()
    if not value:
        return Checked(problem=NO_IDENTIFIER, reason="No identifier.")
    if len(value) > 255:
        return _invalid("Longer than 255 characters.")
    if id_type == "EAN":
        return _gtin(value, (13, 8), "EAN")
    if id_type == "UPC":
        return _gtin(value, (12,), "UPC-A")
    if id_type == "GTIN":
        return _gtin(value, (8, 12, 13, 14), "GTIN")
    if id_type == "JAN":
        return _gtin(value, (13, 8), "JAN")
    if id_type == "ISBN":
        compact = _SEPARATORS.sub("", value).upper()
        if len(compact) == 10:
            return Checked(compact) if isbn10_ok(compact) else _invalid("This ISBN-10 is not valid (check digit).")
        if len(compact) == 13:
            if not compact.startswith(("978", "979")):
                return _invalid("An ISBN-13 starts with 978 or 979.")
            return _gtin(compact, (13,), "ISBN-13")
        return _invalid(f"An ISBN has 10 or 13 characters, not {len(compact)}.")
    if id_type == "ASIN":
        upper = value.upper()
        return Checked(upper) if _ASIN.match(upper) else _invalid("An ASIN is 10 letters and digits.")
    if id_type == "SKU":
        if len(value) > MAX_SKU_LENGTH:
            return _invalid(f"Amazon SKUs are at most {MAX_SKU_LENGTH} characters.")
        if "," in value:
            # searchCatalogItems takes a comma-delimited list: a comma would split the SKU.
            return _invalid("A SKU with a comma cannot be searched on Amazon.")
        return Checked(value)
    return _invalid(f"Unknown identifier type {id_type!r}.")


GTIN_TYPES = frozenset({"EAN", "UPC", "GTIN", "JAN", "ISBN"})


def canonical(id_type: str, value: object) -> str | None:
    """The key two spellings of one identifier share; None when ``value`` is not one."""
    if not isinstance(value, str):
        return None
    if id_type in GTIN_TYPES:
        compact = _SEPARATORS.sub("", value).upper()
        if len(compact) == 10 and isbn10_ok(compact):
            compact = isbn10_to_13(compact)
        if not _DIGITS.match(compact) or len(compact) > 14:
            return None
        return "G" + compact.zfill(14)
    if id_type == "ASIN":
        return "A" + value.strip().upper()
    if id_type == "SKU":
        return "S" + value.strip()
    return None
