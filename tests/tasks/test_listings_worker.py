"""Real Celery workers on Redis run a listings sync against the emulator enforcing Amazon's usage plans.

A worker is killed mid-run: the run goes on in two other workers (and a second delivery of the task)
from what was committed; the listings the dead worker held are read back once their lease runs out,
not sent again, so every offer is put exactly once and Amazon refuses none for rate.
"""

import signal

import pytest

from saleor_amazon_channel.listings.models import Listing, ListingSync, SyncStatus
from tests.listings.helpers import amazon_offers, calls, match_catalog
from tests.tasks.test_worker import Workers, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("standin_host")]

TASK = "saleor_amazon_channel.listings.tasks.listing_sync_task"
VARIANTS = 60  # 60 puts at 5 a second: twelve seconds


class ListingWorkers(Workers):
    def env(self, mail_delay, visibility_timeout):
        return {**super().env(mail_delay, visibility_timeout),
                "DJANGO_SETTINGS_MODULE": "tests.listings.worker_settings"}

    def run(self, run_id):
        self.producer.send_task(TASK, args=[run_id], queue=self.queue)


@pytest.fixture
def workers(tmp_path, emulator, transactional_db, plugin):
    started = ListingWorkers(tmp_path, emulator)
    yield started
    started.stop()


def test_a_killed_workers_sync_resumes_and_sends_each_offer_once(workers, selling):
    for n in range(VARIANTS):
        selling.variant(quantity=n % 7 + 1, sku=f"W-{n:03d}")
    match_catalog(selling.store)
    run = ListingSync.objects.create(store=selling.store, phase=ListingSync.Phase.SCAN)
    first = workers.start(visibility_timeout=3)
    workers.run(run.pk)

    def accepted():
        return Listing.objects.filter(store=selling.store, accepted_version__gt=0).count()

    wait_for(lambda: accepted() >= 15, 90, "fifteen offers accepted", logs=workers)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    assert accepted() < VARIANTS

    workers.start(visibility_timeout=3)
    workers.start(visibility_timeout=3)
    workers.run(run.pk)
    wait_for(lambda: ListingSync.objects.get(pk=run.pk).status == SyncStatus.SUCCEEDED, 120, "the sync",
             logs=workers)

    offers = amazon_offers(selling.emu)
    assert {sku: quantity for sku, (_, quantity, _) in offers.items()} == {
        f"W-{n:03d}": n % 7 + 1 for n in range(VARIANTS)}
    assert calls(selling.emu, "putListingsItem") == VARIANTS  # exactly once each, the kill notwithstanding
    assert selling.emu.selling.counters()["throttled"] == {}
    assert set(Listing.objects.filter(store=selling.store).values_list("state", flat=True)) == {"ACTIVE"}
