"""Real Celery workers consuming the daily check from Redis, against the test database and the emulator.

Each test starts ``celery -A tests.standin.celery worker --pool=solo`` subprocesses on a
private queue (Redis DB ``$TEST_CELERY_BROKER_URL``, default 13, so the short visibility
timeout never touches other workers' messages) with ``DATABASE_URL`` naming pytest's test
database and the Redis cache. Messages the workers send land in a spool directory.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.db import connection
from django.utils import timezone

from saleor_amazon_channel.authorizations.models import ConnectionStatus, SellerAuthorization
from saleor_amazon_channel.monitoring import tasks
from saleor_amazon_channel.monitoring.models import AuthorizationReminder
from tests.connected_stores import SELLER_A, SELLER_B, US, granted_store
from tests.tasks import mail_spool

ROOT = Path(__file__).resolve().parents[2]
BROKER_URL = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/13")

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("standin_host")]


def wait_for(condition, timeout=60.0, message="condition", logs=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {message}" + ("\n" + logs.logs_tail() if logs else ""))


class Workers:
    def __init__(self, tmp_path, emulator):
        self.queue = f"amazon-channel-test-{uuid.uuid4().hex[:12]}"
        self.spool = tmp_path / "mail"
        self.spool.mkdir()
        self.logs = tmp_path
        self.emulator = emulator
        self.processes: list[subprocess.Popen] = []
        self.producer = Celery("amazon-channel-test-producer", broker=BROKER_URL, set_as_current=False)

    def env(self, mail_delay, visibility_timeout):
        db = connection.settings_dict
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.tasks.worker_settings",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "CELERY_BROKER_URL": BROKER_URL,
            "STANDIN_REDIS_CACHE": "1",
            "CACHE_PREFIX": self.queue,
            "TEST_CELERY_QUEUE": self.queue,
            "TEST_MAIL_SPOOL": str(self.spool),
            "TEST_MAIL_DELAY": str(mail_delay),
            "TEST_VISIBILITY_TIMEOUT": str(visibility_timeout),
            "AMAZON_CHANNEL_SELLER_CENTRAL_URL": self.emulator.url,
            "AMAZON_CHANNEL_LWA_TOKEN_URL": self.emulator.url + "/auth/o2/token",
            "AMAZON_CHANNEL_SP_API_URL": self.emulator.url,
            "AMAZON_CHANNEL_HTTP_MAX_ATTEMPTS": "1",
        }

    def start(self, mail_delay=0.0, visibility_timeout=3600) -> subprocess.Popen:
        name = f"w{len(self.processes) + 1}"
        log = self.logs / f"{name}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tests.standin.celery", "worker", "--pool=solo",
             "-Q", self.queue, "-n", f"{name}-{self.queue}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
            cwd=ROOT, env=self.env(mail_delay, visibility_timeout),
            stdout=log.open("w"), stderr=subprocess.STDOUT,
        )
        process.log = log
        self.processes.append(process)
        wait_for(lambda: "ready." in log.read_text() or process.poll() is not None, 60, f"worker {name}")
        assert process.poll() is None, log.read_text()[-3000:]
        return process

    def dispatch(self, now):
        """What beat does at 04:15: send the daily task to the broker."""
        self.producer.send_task(tasks.CHECK_AUTHORIZATIONS_TASK, args=[now.isoformat()], queue=self.queue)

    def mail(self) -> list[dict]:
        return mail_spool.read(self.spool)

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        client = redis.Redis.from_url(BROKER_URL)
        client.delete(self.queue)
        # A killed worker's unacknowledged messages: drop ours, lest they come back later.
        for tag, raw in client.hgetall("unacked").items():
            if self.queue in raw.decode(errors="replace"):
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
        client.close()
        self.producer.close()

    def logs_tail(self) -> str:
        return "\n".join(p.log.read_text()[-2000:] for p in self.processes)


@pytest.fixture
def workers(tmp_path, emulator, transactional_db, plugin):
    started = Workers(tmp_path, emulator)
    yield started
    started.stop()


@pytest.fixture
def channel(make_channel):
    return make_channel()


def all_checked(now):
    """Every authorization done for the day: checked (next due in 12 hours) or found revoked or expired."""
    return not SellerAuthorization.objects.exclude(next_check_at__gte=now + timedelta(hours=3)).exists()


def test_a_real_worker_consumes_the_daily_check_from_redis(workers, connect_store, emulator):
    healthy = connect_store(SELLER_A, US)
    revoked = connect_store(SELLER_B, US, expires_in=timedelta(days=100))
    emulator.revoke(SELLER_B.selling_partner_id)
    SellerAuthorization.objects.filter(pk=healthy.authorization_id).update(
        expires_at=timezone.now() + timedelta(days=6)
    )
    workers.start()
    now = timezone.now()

    workers.dispatch(now)

    wait_for(lambda: all_checked(now), message="the scan", logs=workers)
    wait_for(lambda: AuthorizationReminder.objects.filter(sent_at__isnull=False).count() == 2, message="reminders")
    statuses = {a.pk: a.status() for a in SellerAuthorization.objects.all()}
    assert statuses == {
        healthy.authorization_id: ConnectionStatus.AUTHORIZATION_EXPIRING,
        revoked.authorization_id: ConnectionStatus.AUTHORIZATION_REVOKED,
    }
    subjects = sorted(m["subject"].split(":")[0] for m in workers.mail())
    assert subjects == ["Amazon authorization expires in 6 days", "Amazon authorization revoked"]
    healthy.refresh_from_db()
    assert SellerAuthorization.objects.get(pk=healthy.authorization_id).participations  # read from the SP-API


def due_reminders(emulator, channel, count):
    """``count`` stores whose authorizations each owe a reminder now (of every kind but revoked)."""
    spread = [timedelta(days=25), timedelta(days=6), timedelta(hours=12), -timedelta(days=1)]
    return [
        granted_store(emulator, channel, n, expires_in=spread[n % len(spread)], name=f"Store {n:03d}")
        for n in range(count)
    ]


def assert_each_once(messages, stores):
    names = sorted(m["subject"].split(": ", 1)[1] for m in messages)
    assert names == sorted(f"“{store.name}”" for store in stores)


def test_two_beats_and_two_workers_at_once_send_each_reminder_once(workers, emulator, channel):
    stores = due_reminders(emulator, channel, 16)
    workers.start(mail_delay=0.05)
    workers.start(mail_delay=0.05)
    now = timezone.now()

    workers.dispatch(now)  # two beat processes, the same minute
    workers.dispatch(now)

    wait_for(lambda: all_checked(now), message="the scan", logs=workers)
    wait_for(lambda: AuthorizationReminder.objects.filter(sent_at__isnull=False).count() == 16, message="reminders")
    time.sleep(1)  # anything still in flight would show up now
    assert_each_once(workers.mail(), stores)
    # Each live authorization was checked with Amazon once, whichever worker took it.
    live = [s for s in stores if s.authorization.expires_at > now]
    assert all(emulator.state.sp_api_calls[s.authorization.selling_partner_id] == 1 for s in live)
    # Both workers did part of the work.
    assert all("succeeded" in process.log.read_text() for process in workers.processes)


def test_a_worker_killed_mid_scan_leaves_no_duplicate_and_nothing_undone(workers, emulator, channel):
    stores = due_reminders(emulator, channel, 10)
    first = workers.start(mail_delay=0.4, visibility_timeout=3)
    now = timezone.now()
    workers.dispatch(now)

    # Kill it in the middle of the reminders: three sent and committed, the fourth on its way.
    wait_for(lambda: AuthorizationReminder.objects.filter(sent_at__isnull=False).count() >= 3, message="3 reminders")
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    sent_before_kill = len(workers.mail())
    assert 3 <= sent_before_kill < 10

    # Another worker, and the scan again: the next beat (or Redis redelivering the killed
    # worker's unacknowledged task after its visibility timeout, whichever comes first).
    workers.start(mail_delay=0.05, visibility_timeout=3)
    workers.dispatch(now)
    wait_for(lambda: AuthorizationReminder.objects.filter(sent_at__isnull=False).count() == 10, 90,
             "the second scan", logs=workers)
    wait_for(lambda: all_checked(now), message="the checks")
    time.sleep(1)
    assert_each_once(workers.mail(), stores)
