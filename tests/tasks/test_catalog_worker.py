"""Real Celery workers on Redis run a catalog match against the emulator enforcing Amazon's usage plan.

A worker is killed mid-run: the run goes on in other workers from its last committed
batch; only the batch in flight may be asked again. Two workers on one seller share the
pacing bucket: Amazon refuses none of their requests.
"""

import signal

import pytest

from saleor_amazon_channel.catalog.models import CatalogMatch, CatalogMatchBatch, CatalogMatchRun, RunStatus
from tests.catalog.helpers import ean_with
from tests.connected_stores import SELLER_A
from tests.tasks.test_worker import Workers, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("standin_host")]

TASK = "saleor_amazon_channel.catalog.tasks.catalog_match_task"
VARIANTS = 240  # 12 batches of 20: about six seconds at 2 requests a second


class CatalogWorkers(Workers):
    def env(self, mail_delay, visibility_timeout):
        return {
            **super().env(mail_delay, visibility_timeout),
            "DJANGO_SETTINGS_MODULE": "tests.catalog.worker_settings",
        }

    def run(self, run_id):
        self.producer.send_task(TASK, args=[run_id], queue=self.queue)


@pytest.fixture
def workers(tmp_path, emulator, transactional_db, plugin):
    started = CatalogWorkers(tmp_path, emulator)
    yield started
    started.stop()


def test_a_killed_workers_run_resumes_without_redoing_finished_batches(workers, ean_store, make_variant, emulator):
    for _ in range(VARIANTS):
        make_variant(ean_store.channel, variant_values={"ean": ean_with(1)})
    run = CatalogMatchRun.objects.create(store=ean_store)
    first = workers.start(visibility_timeout=3)
    workers.run(run.pk)

    def done():
        return CatalogMatchBatch.objects.filter(run=run, status="done").count()

    wait_for(lambda: done() >= 4, 60, "four batches", logs=workers)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    finished_before_kill = done()
    assert finished_before_kill < VARIANTS // 20

    # Two workers take over; the task is also sent again, as a second delivery would.
    workers.start(visibility_timeout=3)
    workers.start(visibility_timeout=3)
    workers.run(run.pk)
    wait_for(lambda: CatalogMatchRun.objects.get(pk=run.pk).status == RunStatus.SUCCEEDED, 90, "the run", logs=workers)

    run.refresh_from_db()
    assert (run.total, run.done) == (VARIANTS, VARIANTS)
    assert CatalogMatch.objects.filter(store=ean_store, status="MATCHED").count() == VARIANTS
    calls = emulator.state.catalog_calls[SELLER_A.selling_partner_id]
    # One call a batch; at most the batch in flight at the kill is asked twice.
    assert VARIANTS // 20 <= calls <= VARIANTS // 20 + 1, calls
    assert run.amazon_calls <= calls
    assert emulator.state.throttled["catalog"] == 0
