"""Access tokens: cached per authorization, one LWA refresh however many callers."""

import threading

import pytest
from django.core.cache import cache
from django.db import connection

from saleor_amazon_channel.amazon import errors, sellers
from saleor_amazon_channel.authorizations import tokens
from tests.amazon_fixtures import SELLER_A, SELLER_B

from .helpers import CONFIG, lwa_grants, real_tokens, renewed_later, saved_authorization


def locmem_only():
    """These tests read the local-memory cache's own bookkeeping (expiry times, raw keys)."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if not isinstance(caches["default"], LocMemCache):
        pytest.skip("needs the local-memory cache backend")


@pytest.fixture
def authorization(db, emulator):
    return saved_authorization(emulator, SELLER_A)


def test_the_token_works_and_is_cached(emulator, authorization):
    token = tokens.get_access_token(authorization, CONFIG)
    assert tokens.get_access_token(authorization, CONFIG) == token
    assert lwa_grants(emulator) == 1
    assert len(sellers.get_marketplace_participations("NA", token)) == 3


def test_tokens_are_cached_until_expires_in_minus_60_seconds(emulator, authorization):
    locmem_only()
    tokens.get_access_token(authorization, CONFIG)
    key = tokens._key("access", authorization)
    # LocMemCache keeps absolute expiry times; compare with the refresh moment.
    import time

    remaining = cache._expire_info[cache.make_and_validate_key(key)] - time.time()
    assert 3530 < remaining <= 3540


def test_cache_keys_never_contain_a_token(emulator, authorization):
    locmem_only()
    token = tokens.get_access_token(authorization, CONFIG)
    keys = list(cache._cache.keys())
    assert keys
    for key in keys:
        assert token not in key and authorization.refresh_token not in key
        assert authorization.encrypted_refresh_token not in key


def test_each_authorization_has_its_own_token(emulator, authorization):
    other = saved_authorization(emulator, SELLER_B)
    assert tokens.get_access_token(authorization, CONFIG) != tokens.get_access_token(other, CONFIG)
    assert lwa_grants(emulator) == 2


def test_forget_access_token_forces_a_refresh(emulator, authorization):
    first = tokens.get_access_token(authorization, CONFIG)
    tokens.forget_access_token(authorization)
    assert tokens.get_access_token(authorization, CONFIG) != first
    assert lwa_grants(emulator) == 2


def test_a_renewed_authorization_does_not_reuse_the_old_token(emulator, authorization):
    first = tokens.get_access_token(authorization, CONFIG)
    renewed_later(authorization, real_tokens(emulator, SELLER_A).refresh_token)
    assert tokens.get_access_token(authorization, CONFIG) != first


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_callers_share_one_refresh(emulator):
    authorization = saved_authorization(emulator, SELLER_A)
    results, failures = [], []
    barrier = threading.Barrier(20)

    def call():
        try:
            barrier.wait()
            results.append(tokens.get_access_token(authorization, CONFIG))
        except Exception as exc:  # pragma: no cover - reported below
            failures.append(exc)
        finally:
            connection.close()

    emulator.inject_fault("lwa", delay=0.3)  # keep the first refresh in flight while the others arrive
    threads = [threading.Thread(target=call) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert len(results) == 20 and len(set(results)) == 1
    assert lwa_grants(emulator) == 1


def test_revoked_authorization_raises_invalid_grant_and_is_remembered(emulator, authorization):
    emulator.revoke(SELLER_A.selling_partner_id)
    with pytest.raises(errors.InvalidGrant):
        tokens.get_access_token(authorization, CONFIG)
    before = emulator.state.requests["lwa"]
    with pytest.raises(errors.InvalidGrant):
        tokens.get_access_token(authorization, CONFIG)
    assert emulator.state.requests["lwa"] == before  # no second trip to LWA
    tokens.forget_access_token(authorization)
    with pytest.raises(errors.InvalidGrant):
        tokens.get_access_token(authorization, CONFIG)
    assert emulator.state.requests["lwa"] == before + 1


def test_renewal_clears_a_remembered_invalid_grant(emulator, authorization):
    emulator.revoke(SELLER_A.selling_partner_id)
    with pytest.raises(errors.InvalidGrant):
        tokens.get_access_token(authorization, CONFIG)
    renewed_later(authorization, real_tokens(emulator, SELLER_A).refresh_token)
    assert tokens.get_access_token(authorization, CONFIG).startswith("Atza|")


def test_a_transient_failure_is_not_remembered(emulator, authorization, settings):
    settings.AMAZON_CHANNEL_HTTP_MAX_ATTEMPTS = 1
    emulator.inject_fault("lwa", status=503)
    with pytest.raises(errors.AmazonUnavailable):
        tokens.get_access_token(authorization, CONFIG)
    assert tokens.get_access_token(authorization, CONFIG).startswith("Atza|")


def test_undecryptable_refresh_token_is_a_clear_error(emulator, authorization, settings):
    from cryptography.fernet import Fernet

    settings.AMAZON_CHANNEL_ENCRYPTION_KEYS = Fernet.generate_key().decode()
    # The SECRET_KEY-derived key stays a decrypt-only fallback: only a changed SECRET_KEY loses the token.
    settings.SECRET_KEY = "a-different-secret-key-" + "x" * 40
    with pytest.raises(errors.AmazonError) as caught:
        tokens.get_access_token(authorization, CONFIG)
    assert caught.value.code == "decryption_failed"
    assert "AMAZON_CHANNEL_ENCRYPTION_KEYS" in caught.value.message
