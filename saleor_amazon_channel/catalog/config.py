"""The catalog match's Django settings, read and validated in one place.

Each reader raises ``ImproperlyConfigured`` naming the setting; :func:`check_catalog_settings`
(a system check, ``saleor_amazon_channel.E101``) reports them all when Django starts, so a
bad value is an operator's error at deploy time, not a ZeroDivisionError in a run.
"""

import math
from collections.abc import Callable, Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

RATE = "AMAZON_CHANNEL_CATALOG_RATE"
LEASE = "AMAZON_CHANNEL_CATALOG_LEASE"
MAX_AGE_DAYS = "AMAZON_CHANNEL_CATALOG_MAX_AGE_DAYS"
QUEUE = "AMAZON_CHANNEL_CATALOG_QUEUE"

# searchCatalogItems' usage plan (catalogItems_2022-04-01.json): 2 requests per second.
DEFAULT_RATE = 2.0
DEFAULT_LEASE = 120.0  # seconds; far more than one batch takes, retries included
DEFAULT_MAX_AGE_DAYS = 7.0


def _number(name: str, default: float, *, zero_allowed: bool, what: str) -> float:
    value = getattr(settings, name, default)
    try:
        number = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or number < 0 or (number == 0 and not zero_allowed):
        bound = "zero or more" if zero_allowed else "more than zero"
        raise ImproperlyConfigured(f"{name} must be a number of {what}, {bound}; it is {value!r}.")
    return number


def rate(default: float = DEFAULT_RATE) -> float:
    """searchCatalogItems requests per second per seller (raised only when Amazon raised the usage plan)."""
    return _number(RATE, default, zero_allowed=False, what="requests per second")


def lease_seconds() -> float:
    """Seconds a worker holds a claimed batch before another may take it."""
    return _number(LEASE, DEFAULT_LEASE, zero_allowed=False, what="seconds")


def max_age_days() -> float:
    """A result older than this is looked up again (0: every run asks again)."""
    return _number(MAX_AGE_DAYS, DEFAULT_MAX_AGE_DAYS, zero_allowed=True, what="days")


def queue() -> str | None:
    """The Celery queue of the catalog match's tasks; None: the host's default queue."""
    value = getattr(settings, QUEUE, None)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ImproperlyConfigured(f"{QUEUE} must be the name of a Celery queue; it is {value!r}.")
    return value


READERS: tuple[Callable[[], object], ...] = (rate, lease_seconds, max_age_days, queue)


def problems() -> list[str]:
    found = []
    for read in READERS:
        try:
            read()
        except ImproperlyConfigured as error:
            found.append(str(error))
    return found


@register()
def check_catalog_settings(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    return [Error(problem, id="saleor_amazon_channel.E101") for problem in problems()]
