"""Demo sellers for ``--seed-demo`` (and POST /_emulator/seed-demo).

Every demo seller signs in with password ``amazon-demo`` and OTP ``123456``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PASSWORD = "amazon-demo"
OTP = "123456"

US, CA, MX = "ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8"
UK, DE = "A1F83G8C2ARO7P", "A1PA6795UKMFR9"

SELLERS = (
    {
        "email": "seller@example.com",
        "selling_partner_id": "A2DEMOSELLER01",
        "region": "NA",
        "marketplaces": {US: True, CA: True, MX: True},
        "store_name": "Demo Seller Store",
    },
    {
        "email": "eu-seller@example.com",
        "selling_partner_id": "A3DEMOSELLEREU",
        "region": "EU",
        "marketplaces": {UK: True, DE: True},
        "store_name": "Demo EU Store",
    },
    {
        # Registered in Canada but not selling there: the "not participating" case.
        "email": "na-nonparticipant@example.com",
        "selling_partner_id": "A4DEMONONPART01",
        "region": "NA",
        "marketplaces": {US: True, CA: False},
        "store_name": "Demo US-only Store",
    },
)


def seed(add_seller: Callable[..., Any]) -> None:
    """Add the demo sellers through ``add_seller`` (the ``Emulator``'s method)."""
    for seller in SELLERS:
        add_seller(password=PASSWORD, otp=OTP, **seller)
