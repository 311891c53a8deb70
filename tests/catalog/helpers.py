"""Identifiers for catalog tests: valid EANs the seeded emulator catalog knows once, twice, or not at all."""

import itertools

from amazon_emulator.catalog import seeded_count


def ean13(n: int) -> str:
    body = f"{400000000000 + n:012d}"
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(reversed(body), start=1))
    return body + str((10 - total % 10) % 10)


_numbers = itertools.count(1)


def ean_with(matches: int) -> str:
    """A fresh valid EAN-13 the emulator's seeded catalog has ``matches`` items for (0, 1 or 2)."""
    while True:
        value = ean13(next(_numbers))
        if seeded_count("EAN", value) == matches:
            return value


def bad_check_digit(ean: str) -> str:
    return ean[:-1] + str((int(ean[-1]) + 1) % 10)
