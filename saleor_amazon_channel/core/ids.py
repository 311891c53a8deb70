"""Relay global IDs, spelled as Saleor spells them ("Channel:12" base64-encoded)."""

import binascii

from graphql_relay import from_global_id
from graphql_relay import to_global_id as _to_global_id

__all__ = ["to_global_id", "decode"]


def to_global_id(type_name: str, pk: object) -> str:
    """``type_name:pk``, base64-encoded (graphql-relay's, typed: it publishes no types)."""
    return str(_to_global_id(type_name, pk))


def decode(global_id: object, expected_type: str) -> int | None:
    """The integer pk behind ``global_id`` if it names an ``expected_type``; else None."""
    if not isinstance(global_id, str) or not global_id or len(global_id) > 200:
        return None
    try:
        type_, pk = from_global_id(global_id)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        return None
    if type_ != expected_type:
        return None
    try:
        value = int(pk)
    except (TypeError, ValueError):
        return None
    return value if 0 < value < 2**31 else None
