"""No refresh token, access token, code or state in the database (outside the ciphertext), logs or GraphQL."""

import json
import logging

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test import Client

from saleor_amazon_channel.authorizations import tokens
from saleor_amazon_channel.authorizations.models import SellerAuthorization
from tests.amazon_fixtures import CA, SELLER_A, SELLER_B, US, query_of

from .helpers import STORE, callback_url_for, connect_url, global_id, make_store, open_ours

TABLES = (
    "saleor_amazon_channel_amazonstore",
    "saleor_amazon_channel_sellerauthorization",
    "saleor_amazon_channel_pendingconnection",
    "saleor_amazon_channel_amazonstoreevent",
    "saleor_amazon_channel_authorizationreminder",
)


def database_text() -> str:
    rows = []
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed names
            rows += [" ".join(str(value) for value in row) for row in cursor.fetchall()]
    return "\n".join(rows)


def test_no_secret_leaks_anywhere(staff_api, channel_usd, emulator, seller_browser, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="saleor_amazon_channel")
    us = make_store(channel_usd, US, name="Amazon US")
    canada = make_store(channel_usd, CA, name="Amazon CA")
    secrets = set()

    # A success, a renewal through a sibling, a replay, a seller mismatch and an LWA failure.
    first = callback_url_for(staff_api, us, seller_browser, SELLER_A)
    open_ours(seller_browser.client, first)
    open_ours(Client(), first)
    seller_browser.consent(connect_url(staff_api, canada), SELLER_A)
    other = type(seller_browser)(emulator)
    other.consent(connect_url(staff_api, us), SELLER_B)
    emulator.inject_fault("lwa", error="invalid_grant")
    failing = callback_url_for(staff_api, us, seller_browser, SELLER_A)
    open_ours(seller_browser.client, failing)

    for url in seller_browser.history + other.history:
        params = query_of(url)
        secrets |= {params[k] for k in ("state", "spapi_oauth_code", "amazon_state", "ticket") if params.get(k)}
    for url in seller_browser.history + other.history:
        if "ticket=" in url:
            secrets.add(query_of(url)["ticket"])
    authorization = SellerAuthorization.objects.get()
    refresh_token = authorization.refresh_token
    access_token = tokens.get_access_token(authorization, _config())
    secrets |= {refresh_token, access_token}
    assert len(secrets) > 8

    stored = database_text()
    graphql = json.dumps([staff_api.execute(STORE, {"id": global_id(s)}) for s in (us, canada)])
    log_text = "\n".join(
        record.getMessage() + " " + " ".join(str(v) for v in vars(record).values())
        for record in caplog.records
        if not record.name.startswith(("urllib3", "amazon_emulator"))  # the test browser's own traffic
    )
    assert "amazon_channel.oauth.callback_handled" in log_text  # the check sees our own log lines
    assert "amazon_channel.connection.failed" in log_text
    backend = caches["default"]
    cached_keys = " ".join(str(k) for k in backend._cache) if isinstance(backend, LocMemCache) else ""
    for secret in secrets:
        assert secret not in stored
        assert secret not in graphql
        assert secret not in log_text
        assert secret not in cached_keys
    assert authorization.encrypted_refresh_token in stored  # the ciphertext is what is stored


def _config():
    from saleor_amazon_channel.core.host import get_host

    return get_host().get_config()
