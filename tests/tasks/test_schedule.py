"""The daily entry in Celery beat: in the app's configuration, and seen by the schedulers."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery.beat import PersistentScheduler
from celery.schedules import crontab

from saleor_amazon_channel.monitoring import tasks

ROOT = Path(__file__).resolve().parents[2]


def test_beat_schedule_has_the_daily_check(celery_app):
    entry = celery_app.conf.beat_schedule[tasks.BEAT_ENTRY_NAME]
    assert entry["task"] == "saleor_amazon_channel.tasks.check_authorizations_task"
    assert entry["schedule"] == crontab(hour=4, minute=15)
    assert entry["task"] in celery_app.tasks  # autodiscovered and registered under that name


def test_a_host_entry_of_the_same_name_wins(settings):
    from saleor_amazon_channel.apps import schedule_daily_check

    own = {"task": tasks.CHECK_AUTHORIZATIONS_TASK, "schedule": crontab(hour=1, minute=0)}
    settings.CELERY_BEAT_SCHEDULE = {tasks.BEAT_ENTRY_NAME: own}
    schedule_daily_check()
    assert settings.CELERY_BEAT_SCHEDULE[tasks.BEAT_ENTRY_NAME] is own


def test_celery_default_scheduler_loads_it(celery_app, tmp_path):
    scheduler = PersistentScheduler(app=celery_app, schedule_filename=str(tmp_path / "beat-schedule"), lazy=True)
    scheduler.setup_schedule()
    try:
        assert scheduler.schedule[tasks.BEAT_ENTRY_NAME].task == tasks.CHECK_AUTHORIZATIONS_TASK
    finally:
        scheduler.close()


@pytest.mark.usefixtures("standin_host")
def test_a_real_beat_process_schedules_it(tmp_path):
    """``celery beat`` in a fresh process: the entry is in the schedule it starts with."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.standin.settings", "CELERY_BROKER_URL": "memory://"}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tests.standin.celery", "beat", "-l", "debug",
         "-s", str(tmp_path / "beat-schedule"), "--pidfile", str(tmp_path / "beat.pid")],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    output = ""
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "Current schedule" not in output:
            line = process.stdout.readline()
            if not line:
                break
            output += line
        # The schedule is printed entry by entry after the header.
        for _ in range(20):
            if tasks.BEAT_ENTRY_NAME in output:
                break
            output += process.stdout.readline()
    finally:
        process.terminate()
        process.wait(10)
    assert "Current schedule" in output, output[-2000:]
    assert tasks.BEAT_ENTRY_NAME in output and tasks.CHECK_AUTHORIZATIONS_TASK in output


def test_saleor_database_scheduler_syncs_it(celery_app, db, monkeypatch):
    """Saleor's DatabaseScheduler copies settings entries into its own table (only with ``pytest --saleor``)."""
    beat_schedulers = pytest.importorskip("django_celery_beat.schedulers")
    schedulers = pytest.importorskip("saleor.schedulers.schedulers")
    # The scheduler closes "old" connections on sync, which would close the test's open transaction.
    monkeypatch.setattr(beat_schedulers, "close_old_connections", lambda: None)
    from saleor.schedulers.models import CustomPeriodicTask

    schedulers.DatabaseScheduler(app=celery_app, lazy=True).setup_schedule()
    assert CustomPeriodicTask.objects.get(name=tasks.BEAT_ENTRY_NAME).task == tasks.CHECK_AUTHORIZATIONS_TASK


def test_retry_countdown_backs_off_and_honours_retry_after():
    assert 60 <= tasks.retry_countdown(1) <= 75
    assert 240 <= tasks.retry_countdown(3) <= 300
    assert tasks.retry_countdown(20) <= tasks.RETRY_MAX * 1.25
    assert tasks.retry_countdown(1, retry_after=900) == 900
