"""Asking Amazon about one batch: the Catalog Items API, paced, retried, and read into result fields.

One :class:`Lookup` per store and worker: one HTTP session, paced by the seller's
bucket shared by every worker (``pacing``). :meth:`Lookup.results` turns a batch's
``[[variant id, identifier], ...]`` into the fields each variant's result gets;
``storage.commit`` writes them.
"""

import random
import time
from typing import Any

from saleor_amazon_channel.amazon import catalog as amazon_catalog
from saleor_amazon_channel.amazon import errors
from saleor_amazon_channel.amazon.http import AmazonHttp
from saleor_amazon_channel.authorizations import tokens
from saleor_amazon_channel.catalog import pacing
from saleor_amazon_channel.catalog.models import MatchStatus
from saleor_amazon_channel.stores.models import AmazonStore

MAX_ATTEMPTS = 6  # per page, 429 and transient faults
BACKOFF_BASE = 0.5
BACKOFF_MAX = 20.0


class RunFailed(Exception):
    """Nothing can go on (the authorization was revoked, the application refused): the run ends FAILED."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class Lookup:
    """Asks Amazon for one store's batches: one HTTP session, paced by the seller's shared bucket."""

    def __init__(self, store: AmazonStore, config, http: AmazonHttp, sleep=time.sleep):
        self.store, self.config, self.http, self.sleep = store, config, http, sleep
        assert store.authorization is not None  # only connected stores run
        self.authorization = store.authorization
        self.marketplace = store.marketplace
        self.key = pacing.catalog_key(self.authorization.selling_partner_id, self.authorization.region)
        self.calls = 0

    def results(self, items: list) -> dict[int, dict]:
        """variant id -> result fields, for every item of the batch; raises RunFailed when nothing can go on."""
        values = list(dict.fromkeys(value for _, value in items))
        id_type = self.store.product_id_type
        try:
            found = self._search(values)
        except errors.AmazonError as error:
            if error.retryable or isinstance(error, errors.AmazonRequestError):
                # Retries spent, or Amazon refuses this batch: its variants say why, the run goes on.
                return {variant_id: {"status": MatchStatus.ERROR, "error_code": error.code} for variant_id, _ in items}
            raise RunFailed(error.code, error.message) from None
        by_value = amazon_catalog.attribute(id_type, values, found)
        results: dict[int, dict[str, Any]] = {}
        for variant_id, value in items:
            matches = by_value.get(value, [])
            if not matches:
                results[variant_id] = {"status": MatchStatus.NO_MATCH}
            elif len(matches) == 1:
                item = matches[0]
                results[variant_id] = {
                    "status": MatchStatus.MATCHED, "asin": item.asin, "asins": [item.asin],
                    "title": item.title, "brand": item.brand, "image_url": item.image_url,
                }
            else:
                results[variant_id] = {
                    "status": MatchStatus.MULTIPLE_MATCHES, "asins": [item.asin for item in matches][:20],
                    "title": matches[0].title, "brand": matches[0].brand,
                }
        return results

    def _search(self, values):
        found, page_token = [], None
        for _ in range(amazon_catalog.MAX_PAGES):
            page = self._page(values, page_token)
            found.extend(page.items)
            page_token = page.next_token
            if not page_token:
                break
        return found

    def _page(self, values, page_token):
        attempt, forbidden_once = 0, False
        while True:
            attempt += 1
            token = tokens.get_access_token(self.authorization, self.config, http=self.http)
            pacing.acquire(self.key, sleep=self.sleep)
            self.calls += 1
            try:
                page = amazon_catalog.search_page(
                    self.http, token, self.marketplace, self.store.product_id_type, values,
                    seller_id=self.authorization.selling_partner_id, page_token=page_token,
                )
            except errors.Throttled as error:
                pacing.slow_down(self.key, error.retry_after)
                if attempt >= MAX_ATTEMPTS:
                    raise
                self.sleep(self._backoff(attempt, error.retry_after))
                continue
            except errors.Forbidden:
                # An access token Amazon dropped early: one fresh token, then it is the authorization.
                if forbidden_once:
                    raise
                forbidden_once = True
                tokens.forget_access_token(self.authorization)
                continue
            except errors.AmazonError as error:
                if not error.retryable or attempt >= MAX_ATTEMPTS:
                    raise
                self.sleep(self._backoff(attempt, None))
                continue
            pacing.adopt_rate_limit(self.key, page.rate_limit)
            return page

    @staticmethod
    def _backoff(attempt, retry_after):
        delay = min(BACKOFF_BASE * 2 ** (attempt - 1), BACKOFF_MAX)
        delay = delay / 2 + random.uniform(0, delay / 2)
        return max(delay, retry_after or 0.0)
