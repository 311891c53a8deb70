"""The daily scan at 1,000, 10,000 and 100,000 authorizations, Amazon emulated.

For each size: that many sellers, each with one authorization (a real emulator grant)
and one store, expiries spread evenly from 5 days ago to 360 days ahead (so about 8%
are within 30 days of expiry and 1.4% expired), 0.5% revoked at Amazon. Then the daily
task runs eagerly, as a worker would run it and its batches:

- "first run": nothing checked yet; every due reminder goes out;
- "next day": a day later; every authorization is checked again, and only the
  reminders whose threshold was crossed overnight go out.

Printed per run: wall time, SQL queries (all of them, counted by an execute wrapper),
queries per authorization, Amazon calls, reminders sent. The Amazon emulator serves
real loopback HTTP from a process of its own (forked once its sellers and grants are
in place), so the time includes two real HTTP round trips per live authorization.
Usage: ``python bench/bench_scan.py [sizes...]``.
"""

import logging
import os
import secrets
import sys
import time
from datetime import timedelta

import requests

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/amazon_channel_bench_scan")
os.environ.pop("CELERY_BROKER_URL", None)  # eager: the tasks run here, in order

from _setup import activate_plugin, free_port, serve_in_child, setup_django  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
REVOKED_SHARE = 200  # one in 200
CHUNK = 5_000


class AmazonClock:
    """Time spent in the check's Amazon calls (health.probe_all), to tell it from our own."""

    def __init__(self):
        from saleor_amazon_channel.monitoring import health

        self.seconds = 0.0
        original = health.probe_all

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        health.probe_all = timed


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def populate(n, emu, channel, now):
    from amazon_emulator.state import Authorization, Seller
    from saleor_amazon_channel.authorizations.models import SellerAuthorization
    from saleor_amazon_channel.core import crypto
    from saleor_amazon_channel.stores.models import AmazonStore
    from tests.fixtures import APPLICATION_ID

    span = timedelta(days=365).total_seconds()
    fernet = crypto._fernet()
    for start in range(0, n, CHUNK):
        authorizations = []
        for i in range(start, min(n, start + CHUNK)):
            selling_partner_id = f"A{i:010d}BENCH"
            token = "Atzr|" + secrets.token_urlsafe(48)
            # The emulator's own records, written directly: add_seller() is O(n) per call.
            emu.state.sellers[selling_partner_id] = Seller(
                f"{selling_partner_id.lower()}@bench.example", "pw", selling_partner_id, "NA",
                {"ATVPDKIKX0DER": True}, "123456", False, "Bench store",
            )
            emu.state.authorizations[token] = Authorization(token, APPLICATION_ID, selling_partner_id, time.time())
            if i % REVOKED_SHARE == REVOKED_SHARE - 1:
                emu.state.authorizations[token].revoked_at = time.time()
            expires_at = now - timedelta(days=5) + timedelta(seconds=span * i / n)
            authorizations.append(SellerAuthorization(
                selling_partner_id=selling_partner_id,
                region="NA",
                encrypted_refresh_token=fernet.encrypt(token.encode()).decode(),
                authorized_at=expires_at - timedelta(days=365),
                expires_at=expires_at,
            ))
        SellerAuthorization.objects.bulk_create(authorizations, batch_size=1000)
        AmazonStore.objects.bulk_create(
            [
                AmazonStore(
                    name=f"Bench store {a.selling_partner_id}",
                    contact_email="owner@bench.example",
                    channel=channel,
                    marketplace_id="ATVPDKIKX0DER",
                    product_id_type="ASIN",
                    product_id_source="variant_sku",
                    authorization=a,
                )
                for a in authorizations
            ],
            batch_size=1000,
        )
    from django.db import connection

    with connection.cursor() as cursor:  # statistics, as a live table has them
        cursor.execute("ANALYZE saleor_amazon_channel_sellerauthorization, saleor_amazon_channel_amazonstore")


def reset():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE saleor_amazon_channel_authorizationreminder, saleor_amazon_channel_amazonstoreevent, "
            "saleor_amazon_channel_pendingconnection, saleor_amazon_channel_amazonstore, "
            "saleor_amazon_channel_sellerauthorization RESTART IDENTITY CASCADE"
        )





def amazon_calls(url) -> int:
    counters = requests.get(url + "/_emulator/state", timeout=300).json()["counters"]["requests"]
    return counters.get("lwa", 0) + counters.get("sp-api", 0)


def measure(label, n, now, url, amazon_clock):
    from django.core import mail
    from django.db import connection

    from saleor_amazon_channel.monitoring import tasks

    mail.outbox = []
    amazon_before = amazon_calls(url)
    amazon_clock.seconds = 0.0
    counter = QueryCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        summary = tasks.check_authorizations_task.delay(now.isoformat()).get()
    elapsed = time.perf_counter() - started
    amazon = amazon_calls(url) - amazon_before
    assert summary["authorizations"] == n, summary
    print(
        f"{n:>7,} authorizations  {label:<9}  {elapsed:7.1f} s  (Amazon HTTP {amazon_clock.seconds:6.1f} s, "
        f"ours {elapsed - amazon_clock.seconds:5.1f} s)  {counter.count:>7,} queries "
        f"({counter.count / n:4.2f}/authorization)  {amazon:>7,} Amazon calls  "
        f"{len(mail.outbox):>6,} reminders  {summary['batches']:>4} batches",
        flush=True,
    )
    return elapsed, counter.count


def main(sizes):
    setup_django()
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import timezone

    import tests.standin.celery  # noqa: F401  (the host's Celery app, eager)
    from amazon_emulator import Emulator
    from tests.amazon_fixtures import LOGIN_URI, REDIRECT_URI
    from tests.fixtures import APPLICATION_ID, CLIENT_ID, CLIENT_SECRET
    from tests.standin.channel.models import Channel

    logging.getLogger("saleor_amazon_channel").setLevel(logging.ERROR)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    activate_plugin()
    channel, _ = Channel.objects.get_or_create(slug="bench", defaults={"name": "Bench", "currency_code": "USD"})
    amazon_clock = AmazonClock()
    results = []
    for n in sizes:
        reset()
        cache.clear()
        emu = Emulator(port=free_port())
        emu.register_app(APPLICATION_ID, CLIENT_ID, CLIENT_SECRET, [REDIRECT_URI], login_uri=LOGIN_URI)
        url = f"http://127.0.0.1:{emu.port}"
        settings.AMAZON_CHANNEL_LWA_TOKEN_URL = url + "/auth/o2/token"
        settings.AMAZON_CHANNEL_SP_API_URL = url
        now = timezone.now()
        populate(n, emu, channel, now)
        child = serve_in_child(emu, "/sellers/v1/marketplaceParticipations")  # a quick 403
        try:
            first = measure("first run", n, now, url, amazon_clock)
            cache.clear()  # a day later, every access token has expired
            second = measure("next day", n, now + timedelta(days=1), url, amazon_clock)
            results.append((n, first, second))
        finally:
            child.kill()
            child.join()
    if len(results) > 1:
        (n0, _, (t0, q0)), (n1, _, (t1, q1)) = results[0], results[-1]
        print(
            f"next day, {n0:,} -> {n1:,} authorizations ({n1 / n0:.0f}x): time x{t1 / t0:.1f}, queries x{q1 / q0:.1f}"
        )
    reset()


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or SIZES)
