"""The shared token bucket: Amazon's plan (2 rps, burst 2) kept by every worker through the database."""

import time

import pytest

from saleor_amazon_channel.catalog import pacing
from saleor_amazon_channel.catalog.models import RateBucket

pytestmark = pytest.mark.django_db

INTERVAL = 1 / (pacing.CATALOG_RATE * pacing.SAFETY)


def test_requests_leave_one_interval_apart_keeping_amazons_burst_as_a_margin():
    now = 1_000_000.0
    waits = [pacing.reserve("seller-x", now=now) for _ in range(4)]
    assert waits == pytest.approx([0.0, INTERVAL, 2 * INTERVAL, 3 * INTERVAL])
    assert INTERVAL > 1 / pacing.CATALOG_RATE  # a little under Amazon's rate


def test_an_idle_bucket_lends_no_extra_requests():
    pacing.reserve("seller-y", now=0.0)
    later = 3600.0
    assert [pacing.reserve("seller-y", now=later) for _ in range(3)] == pytest.approx([0.0, INTERVAL, 2 * INTERVAL])


def test_sellers_do_not_share_a_bucket():
    for _ in range(3):
        pacing.reserve("seller-a", now=10.0)
    assert pacing.reserve("seller-b", now=10.0) == 0.0


def test_a_429_pushes_every_worker_back_by_retry_after():
    now = time.time()
    pacing.reserve("seller-z", now=now)
    pacing.slow_down("seller-z", retry_after=5.0, now=now)
    assert pacing.reserve("seller-z", now=now) == pytest.approx(5.0, abs=0.01)


def test_amazons_rate_limit_header_lowers_the_pace():
    pacing.reserve("seller-h", now=0.0)
    pacing.adopt_rate_limit("seller-h", "0.5")
    assert RateBucket.objects.get(key="seller-h").rate == 0.5
    for bad in ("", "fast", "-1", None):
        pacing.adopt_rate_limit("seller-h", bad)
    assert RateBucket.objects.get(key="seller-h").rate == 0.5
    waits = [pacing.reserve("seller-h", now=100.0) for _ in range(2)]
    assert waits[1] == pytest.approx(1 / (0.5 * pacing.SAFETY))
