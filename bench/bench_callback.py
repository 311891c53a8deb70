"""The OAuth callback's own handling time, Amazon's share excluded.

Runs the consent journey against the Amazon emulator (real HTTP) up to the
moment Amazon sends the browser to our Redirect URI, then times the callback:
verify and consume the state, exchange the code, read participations, write the
authorization, the store link and the audit events, redirect. The callback logs
its own time and the time spent waiting on Amazon separately
(``amazon_channel.oauth.callback_handled``); this prints both at the median and
p95, for first connections and for renewals of a store with two siblings.
"""

import logging
import time
from contextlib import nullcontext

from _setup import activate_plugin, percentiles, setup_django

RUNS = 60
PROFILE = None  # set to cProfile.Profile() to see where the callback's own time goes


class Timings(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.records = []

    def emit(self, record):
        if record.getMessage() == "amazon_channel.oauth.callback_handled":
            self.records.append(record)


def main():
    setup_django()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from saleor_amazon_channel.authorizations.models import SellerAuthorization
    from saleor_amazon_channel.consent.connections import start_connection
    from saleor_amazon_channel.consent.models import PendingConnection
    from saleor_amazon_channel.consent.service import consent_url
    from saleor_amazon_channel.core.host import Requestor
    from saleor_amazon_channel.stores.models import AmazonStore, AmazonStoreEvent
    from tests.amazon_fixtures import (
        CA,
        MX,
        PUBLIC_URL,
        US,
        SellerBrowser,
        TestSeller,
        point_settings_at,
        start_emulator,
    )
    from tests.consent.helpers import CALLBACK_URL
    from tests.standin.channel.models import Channel

    for model in (AmazonStoreEvent, PendingConnection, AmazonStore, SellerAuthorization):  # noqa: B007
        model.objects.all().delete()
    activate_plugin()
    channel, _ = Channel.objects.get_or_create(slug="bench", defaults={"name": "Bench", "currency_code": "USD"})
    from tests.standin.account.models import User

    user, _ = User.objects.get_or_create(email="bench@example.com", defaults={"is_staff": True,
                                                                          "permissions": ["MANAGE_CHANNELS"]})
    staff = Requestor(user_id=user.pk, label=user.email)
    # One user starts well over a hundred consents here; the per-user limit is not what is measured.
    from saleor_amazon_channel.consent import connections

    connections.MAX_PENDING_PER_REQUESTOR = 10**6
    emu = start_emulator(rate_limit=False)
    point_settings_at(settings, emu)
    cache.clear()
    timings = Timings()
    # Only the oauth logger, and not on to the console: the bench prints its own table.
    oauth_logger = logging.getLogger("saleor_amazon_channel.consent.views")
    oauth_logger.addHandler(timings)
    oauth_logger.setLevel(logging.INFO)
    oauth_logger.propagate = False
    queries = []

    def run(store, seller, count_queries=False):
        browser = SellerBrowser(emu)
        browser.stop_at = CALLBACK_URL
        pending = start_connection(store, staff)
        browser.consent(consent_url(pending), seller)
        url = browser.url
        assert url.startswith(CALLBACK_URL), url.split("?")[0]
        # The browser that started the consent: the callback checks its cookie.
        client = Client()
        client.cookies.update(browser.client.cookies)
        started = time.perf_counter()
        # Counting queries turns on Django's debug cursor, which is slower: only on the extra last run.
        with CaptureQueriesContext(connection) if count_queries else nullcontext() as captured:
            if PROFILE is not None:
                PROFILE.enable()
            response = client.get(url[len(PUBLIC_URL):])
            if PROFILE is not None:
                PROFILE.disable()
        wall = (time.perf_counter() - started) * 1000
        browser.close()
        assert response.status_code == 302 and "connectResult=connected" in response["Location"], response["Location"]
        if count_queries:
            queries.append(len(captured.captured_queries))
        return wall

    def new_store(marketplace, name):
        return AmazonStore.objects.create(
            name=name, contact_email="bench@example.com", channel=channel, marketplace_id=marketplace,
            product_id_type="ASIN", product_id_source="variant_sku",
        )

    try:
        print(f"OAuth callback, {RUNS} runs per case, stand-in host on PostgreSQL, Amazon emulator on loopback")
        print(f"{'case':<34} {'own median':>10} {'own p95':>8} {'amazon med':>10} {'wall med':>9} {'queries':>8}")
        for case in ("first connection", "renewal, store with 2 siblings"):
            timings.records.clear()
            queries.clear()
            walls = []
            if case.startswith("renewal"):
                seller = TestSeller(
                    "bench-renew@example.com", "A9BENCHRENEW01", "NA", {US: True, CA: True, MX: True}, "Bench"
                )
                emu.add_seller(seller.email, "seller-password-1", seller.selling_partner_id, region="NA",
                               marketplaces=dict(seller.marketplaces), otp="123456")
                stores = [new_store(m, f"Bench renew {m}") for m in (US, CA, MX)]
                for store in stores:
                    run(store, seller)  # connect all three first
                timings.records.clear()
                queries.clear()
            for i in range(RUNS + 4):
                if case.startswith("first"):
                    seller = TestSeller(f"bench{i}@example.com", f"A8BENCH{i:07d}", "NA", {US: True}, "Bench")
                    emu.add_seller(seller.email, "seller-password-1", seller.selling_partner_id, region="NA",
                                   marketplaces={US: True}, otp="123456")
                    store = new_store(US, f"Bench first {i}")
                else:
                    store = stores[0]
                walls.append(run(store, seller, count_queries=i == RUNS + 3))
            walls.pop()
            records = timings.records[3:-1]  # the first runs warm caches and connections; the last counts queries
            own = [r.own_ms for r in records]
            amazon = [r.amazon_ms for r in records]
            own_median, own_p95 = percentiles(own)
            amazon_median, _ = percentiles(amazon)
            wall_median, _ = percentiles(walls[3:])
            print(f"{case:<34} {own_median:>8.1f}ms {own_p95:>6.1f}ms {amazon_median:>8.1f}ms {wall_median:>7.1f}ms "
                  f"{queries[-1]:>8}")
        binding_cost(stores[0])
    finally:
        oauth_logger.removeHandler(timings)
        oauth_logger.propagate = True
        emu.stop()


def binding_cost(store, runs=2000):
    """What the browser binding adds to one callback: the SHA-256 of the cookie compared in constant
    time with the row's (the row is read before it is used up, and that read replaces the one
    consume_pending made after, so the query count is unchanged). Per callback, median and p95."""
    import secrets

    from django.test import RequestFactory

    from saleor_amazon_channel.consent import connections
    from saleor_amazon_channel.consent import state as oauth
    from saleor_amazon_channel.consent.models import PendingConnection

    pending = PendingConnection.objects.filter(store=store).exclude(browser_hash="").order_by("-pk").first()
    secret = secrets.token_urlsafe(32)
    PendingConnection.objects.filter(pk=pending.pk).update(browser_hash=oauth.browser_hash(secret))
    request = RequestFactory().get("/", HTTP_COOKIE=f"amazon_channel_consent_{pending.pk}={secret}")
    row = connections.pending_by_pk(pending.pk, pending.nonce)  # read anyway: consume_pending reuses it
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        assert oauth.is_bound(request.COOKIES, row.pk, row.browser_hash)
        samples.append((time.perf_counter() - started) * 1000)
    median, p95 = percentiles(samples[100:])
    print(f"{'browser binding (hash + compare)':<34} {median:>8.3f}ms {p95:>6.3f}ms   (added to each callback)")


if __name__ == "__main__":
    main()
