"""The daily refresh: beat's entry, and a run for every active, connected store with a channel."""

import pytest
from django.conf import settings

from saleor_amazon_channel.catalog import tasks
from saleor_amazon_channel.catalog.models import CatalogMatchRun
from tests.connected_stores import CA, SELLER_A, SELLER_B, US

pytestmark = pytest.mark.django_db


def test_beat_refreshes_catalog_matches_daily():
    entry = settings.CELERY_BEAT_SCHEDULE[tasks.BEAT_ENTRY_NAME]
    assert entry["task"] == tasks.REFRESH_TASK
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({5}, {15})


def test_the_refresh_starts_one_run_per_eligible_store(connect_store, emulator, django_capture_on_commit_callbacks):
    eligible = connect_store(SELLER_A, US)
    paused = connect_store(SELLER_A, CA)
    paused.is_active = False
    paused.save()
    not_connected = connect_store(SELLER_B, US)
    not_connected.authorization = None
    not_connected.save()
    already_running = CatalogMatchRun.objects.create(store=eligible)

    with django_capture_on_commit_callbacks() as queued:
        summary = tasks.refresh_catalog_matches_task()

    assert summary == {"started": 0, "skipped": 0}  # the eligible store's run is on: left alone
    assert list(CatalogMatchRun.objects.values_list("pk", flat=True)) == [already_running.pk]
    CatalogMatchRun.objects.filter(pk=already_running.pk).update(status="SUCCEEDED")
    with django_capture_on_commit_callbacks() as queued:
        summary = tasks.refresh_catalog_matches_task()
    assert summary == {"started": 1, "skipped": 0} and len(queued) == 1
    assert CatalogMatchRun.objects.filter(store=eligible, status="PENDING").count() == 1
    assert not CatalogMatchRun.objects.filter(store__in=[paused, not_connected]).exists()
