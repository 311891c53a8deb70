"""The shared token bucket: Amazon's plan (2 rps, burst 2) kept by every worker through the database."""

import time

import pytest

from saleor_amazon_channel.catalog import pacing
from saleor_amazon_channel.catalog.models import RateBucket

pytestmark = pytest.mark.django_db

INTERVAL = 1 / (pacing.CATALOG_RATE * pacing.SAFETY)


def test_the_burst_goes_at_once_then_one_slot_per_interval():
    now = 1_000_000.0
    waits = [pacing.reserve("seller-x", now=now) for _ in range(5)]
    assert waits[:2] == [0.0, 0.0]
    assert waits[2:] == pytest.approx([INTERVAL, 2 * INTERVAL, 3 * INTERVAL])


def test_an_idle_bucket_refills_only_up_to_its_burst():
    pacing.reserve("seller-y", now=0.0)
    later = 3600.0
    assert [pacing.reserve("seller-y", now=later) for _ in range(3)] == pytest.approx([0.0, 0.0, INTERVAL])


def test_sellers_do_not_share_a_bucket():
    for _ in range(3):
        pacing.reserve("seller-a", now=10.0)
    assert pacing.reserve("seller-b", now=10.0) == 0.0


def test_a_429_pushes_every_worker_back_by_retry_after():
    now = time.time()
    pacing.reserve("seller-z", now=now)
    pacing.slow_down("seller-z", retry_after=5.0, now=now)
    assert pacing.reserve("seller-z", now=now) == pytest.approx(5.0 - INTERVAL, abs=0.01)


def test_amazons_rate_limit_header_lowers_the_pace():
    pacing.reserve("seller-h", now=0.0)
    pacing.adopt_rate_limit("seller-h", "0.5")
    assert RateBucket.objects.get(key="seller-h").rate == 0.5
    for bad in ("", "fast", "-1", None):
        pacing.adopt_rate_limit("seller-h", bad)
    assert RateBucket.objects.get(key="seller-h").rate == 0.5
    waits = [pacing.reserve("seller-h", now=100.0) for _ in range(3)]
    assert waits[2] == pytest.approx(1 / (0.5 * pacing.SAFETY))
