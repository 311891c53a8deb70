"""The catalog task: budgets, queue, countdowns, pacing without sleeping (issue 15, bugs 3, 5, 10, 11)."""

import pytest
from celery.exceptions import Retry
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

from saleor_amazon_channel.catalog import lookup, pacing, tasks
from saleor_amazon_channel.catalog.models import CatalogMatchBatch, CatalogMatchRun, RateBucket, RunStatus
from saleor_amazon_channel.catalog.storage import Outcome
from tests.catalog.helpers import ean_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch, host_celery):
    """The task's own re-enqueues (apply_async), captured instead of sent."""
    messages = []

    def apply_async(args=None, kwargs=None, **options):
        messages.append((tuple(args or ()), dict(kwargs or {}), options))

    monkeypatch.setattr(tasks.catalog_match_task, "apply_async", apply_async)
    return messages


def deliver(run_id, sent, limit=30):
    """Deliver the task, then every message it leaves for itself (a re-enqueue, or Celery's retry), in turn."""
    message = ((run_id,), {}, {"retries": 0})
    countdowns = []
    for _ in range(limit):
        args, kwargs, options = message
        try:
            tasks.catalog_match_task.apply(args=args, kwargs=kwargs, retries=options.get("retries", 0), throw=True)
        except Retry as retry:
            countdowns.append(retry.when)
            message = (args, kwargs, {"retries": options.get("retries", 0) + 1})
            continue
        if not sent:
            return countdowns
        args, kwargs, options = sent.pop(0)
        countdowns.append(options.get("countdown", 0))
        message = (args, kwargs, options)
    raise AssertionError("the task never stopped")


def script(monkeypatch, *steps):
    """``execute`` plays ``steps`` in turn: an Outcome, or an exception to raise."""
    played = list(steps)

    def execute(run_id, **kwargs):
        step = played.pop(0)
        if isinstance(step, Exception):
            raise step
        return step

    monkeypatch.setattr(tasks, "execute", execute)
    return played


def test_waiting_for_another_worker_spends_nothing_of_the_error_budget(ean_store, monkeypatch, sent):
    """Bug 3: five harmless waits used up the retries, and the first real error then failed the run."""
    run = CatalogMatchRun.objects.create(store=ean_store)
    left = script(monkeypatch, *[Outcome(wait=2.0)] * 5, RuntimeError("database went away"), Outcome(finished=True))
    deliver(run.pk, sent)
    assert left == []
    assert CatalogMatchRun.objects.get(pk=run.pk).status == RunStatus.PENDING  # not failed: the script ended it


def test_real_errors_still_fail_the_run_after_their_own_budget(ean_store, monkeypatch, sent):
    run = CatalogMatchRun.objects.create(store=ean_store)
    failures = [RuntimeError("database went away")] * (tasks.UNEXPECTED_RETRIES + 1)
    script(monkeypatch, *[Outcome(wait=2.0)] * 3, *failures)
    deliver(run.pk, sent)
    run.refresh_from_db()
    assert (run.status, run.last_error_code) == (RunStatus.FAILED, "internal_error")


def test_an_outage_pauses_the_run_within_its_own_budget_then_fails_keeping_results(ean_store, monkeypatch, sent):
    run = CatalogMatchRun.objects.create(store=ean_store, status=RunStatus.RUNNING)
    script(monkeypatch, *[Outcome(paused="InternalFailure")] * (tasks.MAX_PAUSES + 1))
    countdowns = deliver(run.pk, sent)
    run.refresh_from_db()
    assert (run.status, run.last_error_code) == (RunStatus.FAILED, "amazon_unavailable")
    assert len(countdowns) == tasks.MAX_PAUSES and countdowns == sorted(countdowns)


def test_the_task_goes_to_the_configured_queue(ean_store, settings, sent, django_capture_on_commit_callbacks):
    """Bug 10: the long task ran on Saleor's default queue."""
    settings.AMAZON_CHANNEL_CATALOG_QUEUE = "amazon-catalog"
    with django_capture_on_commit_callbacks(execute=True):
        tasks.start_run(ean_store)
    assert [options.get("queue") for _, _, options in sent] == ["amazon-catalog"]


def test_countdowns_stay_below_the_brokers_visibility_timeout(ean_store, monkeypatch, sent, host_celery):
    """Bug 10: under acks_late, a countdown past the visibility timeout is delivered twice."""
    monkeypatch.setitem(host_celery.conf.broker_transport_options, "visibility_timeout", 600)
    run = CatalogMatchRun.objects.create(store=ean_store)
    script(monkeypatch, Outcome(wait=37 * 60), *[RuntimeError("database went away")] * 5, Outcome(finished=True))
    countdowns = deliver(run.pk, sent)
    assert countdowns and max(countdowns) < 600 / 2 + 1


def test_a_long_pacing_wait_comes_back_later_instead_of_sleeping(ean_store, make_variant, emulator):
    """Bug 10: the task slept in its worker slot for the pace (and backoffs) of Amazon."""
    import time

    from tests.connected_stores import SELLER_A

    make_variant(ean_store.channel, variant_values={"ean": ean_with(1)})
    run, _ = tasks.start_run(ean_store)
    key = pacing.catalog_key(SELLER_A.selling_partner_id, ean_store.authorization.region)
    RateBucket.objects.create(key=key, tat=time.time() + 60, rate=2, burst=2)  # the next slot in a minute
    slept = []

    outcome = tasks.execute(run.pk, sleep=slept.append)

    assert max(slept, default=0) <= lookup.MAX_SLEEP
    assert outcome.wait is not None and 50 < outcome.wait <= 61
    assert CatalogMatchBatch.objects.get(run=run).status == "pending"


def test_a_slice_of_work_ends_and_the_task_re_enqueues_itself(ean_store, make_variant, emulator, monkeypatch, sent):
    """Bug 10: one task held its worker for the whole run (40 minutes at 100,000 variants)."""
    for _ in range(60):
        make_variant(ean_store.channel, variant_values={"ean": ean_with(1)})
    run, _ = tasks.start_run(ean_store)
    monkeypatch.setattr(tasks, "SLICE_SECONDS", 0)
    tasks.catalog_match_task.apply(args=(run.pk,), throw=True)
    assert CatalogMatchBatch.objects.filter(run=run, status="done").count() == 1
    assert len(sent) == 1 and sent[0][0] == (run.pk,)
    deliver(run.pk, sent)
    assert CatalogMatchRun.objects.get(pk=run.pk).status == RunStatus.SUCCEEDED


@pytest.mark.parametrize("rate", [0, -1, "fast", float("nan")])
def test_an_unusable_catalog_rate_is_a_clear_error_not_a_division_by_zero(settings, rate):
    """Bug 11: AMAZON_CHANNEL_CATALOG_RATE=0 divided by zero in the middle of a run."""
    settings.AMAZON_CHANNEL_CATALOG_RATE = rate
    errors = [m for m in run_checks() if m.id == "saleor_amazon_channel.E101"]
    assert len(errors) == 1 and "AMAZON_CHANNEL_CATALOG_RATE" in errors[0].msg
    with pytest.raises(ImproperlyConfigured, match="AMAZON_CHANNEL_CATALOG_RATE"):
        pacing.configured_rate()


def test_the_catalog_settings_check_passes_on_defaults_and_names_each_bad_setting(settings):
    assert not [m for m in run_checks() if m.id == "saleor_amazon_channel.E101"]
    settings.AMAZON_CHANNEL_CATALOG_LEASE = 0
    settings.AMAZON_CHANNEL_CATALOG_QUEUE = 12
    messages = [m.msg for m in run_checks() if m.id == "saleor_amazon_channel.E101"]
    assert any("AMAZON_CHANNEL_CATALOG_LEASE" in m for m in messages)
    assert any("AMAZON_CHANNEL_CATALOG_QUEUE" in m for m in messages)
