"""Filtering a batch of rows by id in a way PostgreSQL answers fast.

``IN (…)`` with thousands of parameters costs more to bind and plan than the rows cost to read; a keyset
batch's ids are mostly contiguous, so a range (with the rows outside the batch dropped by the caller)
reads the same rows far faster. Ids spread wide fall back to ``IN``.
"""

from collections.abc import Collection

from django.db.models import Q

DENSITY = 4  # a range at most this many times the number of ids


def ids_filter(field: str, ids: Collection[int]) -> Q:
    """``field`` in ``ids``, as a range when the ids are dense enough (the caller drops rows outside ``ids``)."""
    if not ids:
        return Q(**{f"{field}__in": []})
    low, high = min(ids), max(ids)
    if len(ids) >= 50 and high - low + 1 <= DENSITY * len(ids):
        return Q(**{f"{field}__gte": low, f"{field}__lte": high})
    return Q(**{f"{field}__in": list(ids)})
