"""Real Celery workers on Redis poll Amazon orders from the emulator, which enforces Amazon's usage plans.

A worker is killed mid-poll: other workers resume the store's window from its last committed page;
every Amazon order becomes exactly one Saleor order, none is lost, and Amazon refuses no request.
"""

import signal
import time

import pytest

from saleor_amazon_channel.orders.models import AmazonOrder, OrderSync
from tests.orders.helpers import SELLER, US, item
from tests.tasks.test_worker import Workers, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("standin_host")]

TASK = "saleor_amazon_channel.orders.tasks.poll_orders_task"
ORDERS = 150  # two pages of searchOrders


class OrderWorkers(Workers):
    def env(self, mail_delay, visibility_timeout):
        return {**super().env(mail_delay, visibility_timeout), "DJANGO_SETTINGS_MODULE": "tests.orders.worker_settings"}

    def poll(self, store_id):
        self.producer.send_task(TASK, args=[store_id], queue=self.queue)


@pytest.fixture
def workers(tmp_path, emulator, transactional_db, plugin):
    started = OrderWorkers(tmp_path, emulator)
    yield started
    started.stop()


def test_a_killed_poller_is_resumed_by_other_workers_exactly_once(workers, order_store, stocked, emulator,
                                                                   host_orders):
    stocked("WORKER-1", 10_000)
    emulator.orders.create_many([
        {"selling_partner_id": SELLER, "items": [item("WORKER-1")], "marketplace_id": US, "status": "Unshipped",
         "created_seconds_ago": 600}
        for _ in range(ORDERS)
    ])
    first = workers.start(visibility_timeout=3)
    workers.poll(order_store.pk)
    wait_for(lambda: AmazonOrder.objects.count() >= 40, 90, "the first orders", logs=workers)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    assert AmazonOrder.objects.count() < ORDERS

    workers.start(visibility_timeout=3)
    workers.start(visibility_timeout=3)

    def all_linked():
        workers.poll(order_store.pk)  # what beat does, every interval
        time.sleep(1)
        return AmazonOrder.objects.exclude(saleor_order_id="").count() == ORDERS

    wait_for(all_linked, 120, "every order imported", logs=workers)
    references = [order["external_reference"] for order in host_orders()]
    assert len(references) == ORDERS == len(set(references))
    assert AmazonOrder.objects.count() == ORDERS
    assert OrderSync.objects.get(store=order_store).cursor is not None
    assert emulator.state.throttled["searchOrders"] == 0
