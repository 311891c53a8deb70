"""Asking Amazon about one batch: the Catalog Items API, paced, retried, and read into result fields.

One :class:`Lookup` per store and worker: one HTTP session, paced by the seller's
bucket shared by every worker (``pacing``). :meth:`Lookup.results` turns a batch's
``[[variant id, identifier], ...]`` into the fields each variant's result gets;
``storage.commit`` cleans and writes them.

A worker never sleeps long: a pace or a Retry-After past :data:`MAX_SLEEP` raises
:class:`ComeBack` (the task comes back then), and an Amazon or LWA outage that outlasts
the retries raises :class:`Paused` (the batch waits, the stored results stay). Only an
answer about this batch becomes ``ERROR`` results: Amazon refusing the request, or an
answer that cannot be read (deep JSON among them).
"""

import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from saleor_amazon_channel.amazon import catalog as amazon_catalog
from saleor_amazon_channel.amazon import errors
from saleor_amazon_channel.amazon.http import AmazonHttp
from saleor_amazon_channel.amazon.http import backoff as http_backoff
from saleor_amazon_channel.authorizations import tokens
from saleor_amazon_channel.catalog import pacing
from saleor_amazon_channel.catalog.models import MatchStatus
from saleor_amazon_channel.catalog.planning import RunFailed
from saleor_amazon_channel.core.config import AmazonChannelConfig
from saleor_amazon_channel.stores.models import AmazonStore

MAX_ATTEMPTS = 6  # per page, 429 and transient faults
BACKOFF_BASE = 0.5
# Longest a worker sleeps in its slot (a pace, a backoff); a longer wait is the task's countdown instead.
MAX_SLEEP = 5.0
UNREADABLE = "bad_response"  # the client's code for an answer it cannot read

__all__ = ["ComeBack", "Lookup", "Paused", "RunFailed"]


class ComeBack(Exception):
    """Amazon's pace (or its Retry-After) asks for a wait longer than a worker should sleep."""

    def __init__(self, seconds: float):
        super().__init__(f"come back in {seconds:.1f} s")
        self.seconds = seconds


class Paused(Exception):
    """Amazon or Login with Amazon stayed unavailable through the retries: the run waits, results stay."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class Lookup:
    """Asks Amazon for one store's batches: one HTTP session, paced by the seller's shared bucket."""

    def __init__(
        self,
        store: AmazonStore,
        config: AmazonChannelConfig,
        http: AmazonHttp,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.store, self.config, self.http, self.sleep = store, config, http, sleep
        assert store.authorization is not None  # only connected stores run
        self.authorization = store.authorization
        self.marketplace = store.marketplace
        self.key = pacing.catalog_key(self.authorization.selling_partner_id, self.authorization.region)
        self.calls = 0

    def results(self, batch_items: Iterable[Sequence[int | str]]) -> dict[int, dict[str, Any]]:
        """variant id -> result fields, for every item of the batch (``[variant id, identifier]``, as the
        planner stored them); raises RunFailed when nothing can go on."""
        items = [(int(variant_id), str(value)) for variant_id, value in batch_items]
        values = list(dict.fromkeys(value for _, value in items))
        id_type = self.store.product_id_type
        try:
            found = self._search(values)
        except RecursionError:
            # JSON nested deeper than the parser goes: this answer is unreadable, the next batch may not be.
            return self._errors(items, UNREADABLE)
        except errors.AmazonError as error:
            if isinstance(error, errors.AmazonRequestError) or error.code == UNREADABLE:
                # Amazon refuses this batch, or answered what cannot be read: its variants say why, the run goes on.
                return self._errors(items, error.code)
            if error.retryable:
                raise Paused(error.code) from None
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
                    "product_type": item.product_type,
                }
            else:
                results[variant_id] = {
                    "status": MatchStatus.MULTIPLE_MATCHES, "asins": [item.asin for item in matches][:20],
                    "title": matches[0].title, "brand": matches[0].brand,
                }
        return results

    @staticmethod
    def _errors(items: list[tuple[int, str]], code: str) -> dict[int, dict[str, Any]]:
        return {variant_id: {"status": MatchStatus.ERROR, "error_code": code} for variant_id, _ in items}

    def _search(self, values: list[str]) -> list[amazon_catalog.CatalogItem]:
        found: list[amazon_catalog.CatalogItem] = []
        page_token: str | None = None
        for _ in range(amazon_catalog.MAX_PAGES):
            page = self._page(values, page_token)
            found.extend(page.items)
            page_token = page.next_token
            if not page_token:
                break
        return found

    def _page(self, values: list[str], page_token: str | None) -> amazon_catalog.SearchResult:
        attempt, forbidden_once = 0, False
        while True:
            attempt += 1
            try:
                # Inside the retries: an LWA outage is retried, then pauses the run, as Amazon's own does.
                token = tokens.get_access_token(self.authorization, self.config, http=self.http)
                self._wait(pacing.reserve(self.key))
                self.calls += 1
                page = amazon_catalog.search_page(
                    self.http, token, self.marketplace, self.store.product_id_type, values,
                    seller_id=self.authorization.selling_partner_id, page_token=page_token,
                )
            except errors.Throttled as error:
                pacing.slow_down(self.key, error.retry_after)
                if attempt >= MAX_ATTEMPTS:
                    raise
                self._wait(self._backoff(attempt, error.retry_after))
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
                self._wait(self._backoff(attempt, None))
                continue
            pacing.adopt_rate_limit(self.key, page.rate_limit)
            return page

    def _wait(self, seconds: float) -> None:
        if seconds > MAX_SLEEP:
            raise ComeBack(seconds)
        if seconds > 0:
            self.sleep(seconds)

    @staticmethod
    def _backoff(attempt: int, retry_after: float | None) -> float:
        """Our own backoff stays within a sleep; only Amazon's Retry-After can send the task away."""
        return http_backoff(attempt, retry_after, base=BACKOFF_BASE, cap=MAX_SLEEP)
