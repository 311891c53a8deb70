"""Catalog match runs against the emulator over real HTTP, in the test database (both hosts)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_amazon_channel.catalog import lookup, planning, storage, tasks
from saleor_amazon_channel.catalog.models import CatalogMatch, CatalogMatchBatch, CatalogMatchRun, RunStatus
from tests.catalog.helpers import bad_check_digit, ean_with
from tests.connected_stores import SELLER_A

pytestmark = pytest.mark.django_db


def run_to_end(store) -> CatalogMatchRun:
    run, created = tasks.start_run(store, actor="test")
    assert created
    outcome = tasks.execute(run.pk)
    assert outcome.finished
    run.refresh_from_db()
    return run


def result(store, variant) -> CatalogMatch:
    return CatalogMatch.objects.get(store=store, variant_id=variant.pk)


def test_each_variant_gets_its_result_and_bad_identifiers_cost_no_call(ean_store, make_variant, emulator):
    channel = ean_store.channel
    matched = make_variant(channel, sku="M-1", product_name="Lamp", variant_values={"ean": ean_with(1)})
    twice = make_variant(channel, sku="M-2", variant_values={"ean": ean_with(2)})
    unknown = make_variant(channel, sku="M-3", variant_values={"ean": ean_with(0)})
    invalid = make_variant(channel, sku="M-4", variant_values={"ean": bad_check_digit(ean_with(1))})
    missing = make_variant(channel, sku="M-5")
    at_product_level = make_variant(channel, sku="M-6", product_values={"ean": ean_with(1)})
    make_variant(None, sku="NOT-LISTED", variant_values={"ean": ean_with(1)})

    run = run_to_end(ean_store)

    assert (run.status, run.total, run.done) == (RunStatus.SUCCEEDED, 6, 6)
    assert emulator.state.catalog_calls[SELLER_A.selling_partner_id] == 1  # 4 identifiers, one call
    hit = result(ean_store, matched)
    assert hit.status == "MATCHED" and len(hit.asin) == 10 and hit.title and hit.brand
    assert hit.image_url.startswith(emulator.url + "/images/I/")
    assert hit.name == "Lamp" and hit.sku == "M-1"
    assert result(ean_store, twice).status == "MULTIPLE_MATCHES" and len(result(ean_store, twice).asins) == 2
    assert result(ean_store, unknown).status == "NO_MATCH"
    assert result(ean_store, invalid).status == "INVALID_IDENTIFIER"
    assert result(ean_store, missing).status == "NO_IDENTIFIER"
    assert result(ean_store, at_product_level).status == "MATCHED"
    assert CatalogMatch.objects.filter(store=ean_store).count() == 6
    assert not CatalogMatchBatch.objects.exists()  # a finished run keeps no batches


def test_a_second_run_with_nothing_changed_makes_no_amazon_call(ean_store, make_variant, emulator):
    for _ in range(25):
        make_variant(ean_store.channel, variant_values={"ean": ean_with(1)})
    make_variant(ean_store.channel, variant_values={"ean": "12"})
    run_to_end(ean_store)
    calls = emulator.state.catalog_calls[SELLER_A.selling_partner_id]
    assert calls == 2

    second = run_to_end(ean_store)

    assert emulator.state.catalog_calls[SELLER_A.selling_partner_id] == calls
    assert (second.total, second.done, second.amazon_calls) == (26, 26, 0)


def test_a_rerun_looks_up_changed_identifiers_and_stale_results_only(
    ean_store, make_variant, set_variant_value, emulator, settings
):
    kept = make_variant(ean_store.channel, variant_values={"ean": ean_with(1)})
    changed = make_variant(ean_store.channel, variant_values={"ean": ean_with(1)})
    run_to_end(ean_store)
    before = result(ean_store, kept).checked_at
    new_value = ean_with(0)
    set_variant_value(changed, "ean", new_value)

    second = run_to_end(ean_store)

    assert second.amazon_calls == 1
    assert result(ean_store, kept).checked_at == before
    assert (result(ean_store, changed).identifier, result(ean_store, changed).status) == (new_value, "NO_MATCH")

    settings.AMAZON_CHANNEL_CATALOG_MAX_AGE_DAYS = 0  # every result is now too old
    third = run_to_end(ean_store)
    assert third.amazon_calls == 1 and result(ean_store, kept).checked_at > before


def test_deleting_or_unlisting_a_variant_drops_its_result(ean_store, make_variant, unlist_variant, emulator):
    deleted = make_variant(ean_store.channel, variant_values={"ean": ean_with(1)})
    unlisted = make_variant(ean_store.channel, variant_values={"ean": ean_with(1)})
    make_variant(ean_store.channel, variant_values={"ean": ean_with(1)})
    run_to_end(ean_store)
    deleted_id = deleted.pk

    deleted.delete()
    assert not CatalogMatch.objects.filter(variant_id=deleted_id).exists()  # at once, by cascade
    unlist_variant(unlisted, ean_store.channel)
    run = run_to_end(ean_store)

    assert run.total == 1
    assert not CatalogMatch.objects.filter(variant_id=unlisted.pk).exists()


def test_changing_the_mapping_hides_old_results_and_the_next_run_recomputes(ean_store, make_variant, emulator):
    variant = make_variant(ean_store.channel, sku="SKU-1", variant_values={"ean": ean_with(1)})
    run_to_end(ean_store)
    assert storage.counts([ean_store.pk])[ean_store.pk] == {"MATCHED": 1}

    ean_store.product_id_type, ean_store.product_id_source, ean_store.product_id_attribute = "UPC", "attribute", "ean"
    ean_store.save()

    assert storage.counts([ean_store.pk])[ean_store.pk] == {}
    run_to_end(ean_store)
    # A 13-digit EAN is no UPC-A: found invalid locally.
    assert result(ean_store, variant).status == "INVALID_IDENTIFIER"


def test_one_run_per_store_at_a_time(ean_store, make_variant, emulator):
    make_variant(ean_store.channel, variant_values={"ean": ean_with(1)})
    first, created = tasks.start_run(ean_store)
    again, created_again = tasks.start_run(ean_store)
    assert created and not created_again and again.pk == first.pk
    tasks.execute(first.pk)
    _, created_after = tasks.start_run(ean_store)
    assert created_after


def test_a_store_without_connection_cannot_start(ean_store):
    ean_store.authorization = None
    ean_store.save()
    with pytest.raises(planning.StartRefused) as refused:
        tasks.start_run(ean_store)
    assert refused.value.reason == "not_connected"
    assert not CatalogMatchRun.objects.exists()


def test_transient_faults_are_retried_and_exhausted_retries_pause_the_run(ean_store, make_variant, emulator):
    variant = make_variant(ean_store.channel, variant_values={"ean": ean_with(1)})
    emulator.inject_fault("sp-api", status=503, count=2)
    run_to_end(ean_store)
    assert result(ean_store, variant).status == "MATCHED"

    ean_store.product_id_type = "GTIN"  # a new mapping: looked up again
    ean_store.save()
    emulator.inject_fault("sp-api", status=500, count=lookup.MAX_ATTEMPTS)
    run, _ = tasks.start_run(ean_store)
    outcome = tasks.execute(run.pk, sleep=lambda seconds: None)
    assert outcome.paused == "InternalFailure"
    assert result(ean_store, variant).status is None  # still to do, not an error
    assert tasks.execute(run.pk).finished
    assert result(ean_store, variant).status == "MATCHED"


def test_amazon_refusing_a_batch_marks_its_variants(ean_store, make_variant, emulator):
    variant = make_variant(ean_store.channel, variant_values={"ean": ean_with(1)})
    emulator.inject_fault("sp-api", status=400, error="InvalidInput")
    run = run_to_end(ean_store)
    assert run.status == RunStatus.SUCCEEDED
    failed = result(ean_store, variant)
    assert (failed.status, failed.error_code) == ("ERROR", "InvalidInput")


def test_a_revoked_authorization_fails_the_run_with_its_reason(ean_store, make_variant, emulator):
    make_variant(ean_store.channel, variant_values={"ean": ean_with(1)})
    emulator.revoke(SELLER_A.selling_partner_id)
    from django.core.cache import cache

    cache.clear()  # the access token the connect fixture cached
    run = run_to_end(ean_store)
    assert run.status == RunStatus.FAILED and run.last_error_code == "invalid_grant"
    assert "Atzr" not in run.last_error_message


def test_planning_reads_the_channel_in_a_constant_number_of_queries(ean_store, make_variant, emulator, monkeypatch):
    monkeypatch.setattr(planning, "READ_BATCH", 5)

    def planning_queries(variants):
        for _ in range(variants):
            make_variant(ean_store.channel, variant_values={"ean": "1"})
        CatalogMatch.objects.all().delete()
        run = CatalogMatchRun.objects.create(store=ean_store)
        with CaptureQueriesContext(connection) as queries:
            planning.plan(run.pk)
        CatalogMatchRun.objects.filter(pk=run.pk).update(status=RunStatus.SUCCEEDED)
        return len(queries)

    ten = planning_queries(10)  # two read batches
    thirty = planning_queries(20)  # six read batches
    per_batch = (thirty - ten) / 4
    # 7 reading and writing, 3 for the chunk's own transaction (begin, the run's lock, commit).
    assert per_batch <= 10, per_batch


def test_starting_again_requeues_a_run_that_stopped_moving(ean_store, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    stalled = CatalogMatchRun.objects.create(
        store=ean_store, status=RunStatus.RUNNING, heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks() as queued:
        run, created = tasks.start_run(ean_store)
    assert (run.pk, created, len(queued)) == (stalled.pk, False, 1)

    CatalogMatchRun.objects.filter(pk=stalled.pk).update(heartbeat_at=timezone.now())
    with django_capture_on_commit_callbacks() as queued:
        tasks.start_run(ean_store)
    assert queued == []  # a live run is left to its worker


def test_an_unexpected_error_retries_then_fails_the_run_so_another_can_start(ean_store, monkeypatch):
    from tests.tasks.conftest import host_celery_app

    host_celery_app().set_current()
    run = CatalogMatchRun.objects.create(store=ean_store)
    again = []

    def broken(run_id, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(tasks, "execute", broken)
    monkeypatch.setattr(tasks.catalog_match_task, "apply_async", lambda *args, **options: again.append(args))
    tasks.catalog_match_task.apply(args=(run.pk,), throw=True)
    assert again == [((run.pk,), {"failures": 1, "pauses": 0})]
    assert CatalogMatchRun.objects.get(pk=run.pk).status == RunStatus.PENDING

    tasks.catalog_match_task.apply(args=(run.pk,), kwargs={"failures": tasks.UNEXPECTED_RETRIES}, throw=True)
    run.refresh_from_db()
    assert (run.status, run.last_error_code) == (RunStatus.FAILED, "internal_error")
    assert "database" not in run.last_error_message


def test_planning_commits_chunk_by_chunk_and_an_interrupted_plan_starts_over(
    ean_store, make_variant, emulator, monkeypatch
):
    """Issue 15, bug 7: plan() held one transaction (and the run's lock) over the whole channel."""
    from saleor_amazon_channel.core.host import get_host

    monkeypatch.setattr(planning, "READ_BATCH", 5)
    for _ in range(12):
        make_variant(ean_store.channel, variant_values={"ean": ean_with(1)})
    run = CatalogMatchRun.objects.create(store=ean_store)
    host = type(get_host())
    original = host.channel_variants
    reads = []

    def dying_after_two_chunks(self, *args, **kwargs):
        reads.append(len(connection.savepoint_ids))
        if len(reads) == 3:
            raise RuntimeError("worker killed")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(host, "channel_variants", dying_after_two_chunks)
    outside = len(connection.savepoint_ids)
    with pytest.raises(RuntimeError):
        planning.plan(run.pk)
    # The channel is read outside any transaction of ours, and each chunk's work is committed on its own.
    assert reads == [outside] * 3
    assert CatalogMatch.objects.filter(store=ean_store).count() == 10

    monkeypatch.setattr(host, "channel_variants", original)
    CatalogMatchRun.objects.filter(pk=run.pk).update(heartbeat_at=None)  # the planner's lease ran out
    planned = planning.plan(run.pk)
    assert (planned.status, planned.total) == (RunStatus.RUNNING, 12)
    assert sorted(CatalogMatchBatch.objects.filter(run=run).values_list("number", flat=True)) == [1]
    assert sum(len(b.items) for b in CatalogMatchBatch.objects.filter(run=run)) == 12


def test_a_second_planner_waits_while_the_first_is_at_work(ean_store, make_variant, emulator):
    from django.utils import timezone

    make_variant(ean_store.channel, variant_values={"ean": ean_with(1)})
    run = CatalogMatchRun.objects.create(store=ean_store, heartbeat_at=timezone.now())
    with pytest.raises(planning.PlanBusy):
        planning.plan(run.pk)
    assert tasks.execute(run.pk).wait is not None


def _refresh_all(settings, store):
    """Every stored result is now too old: the next run asks Amazon again."""
    settings.AMAZON_CHANNEL_CATALOG_MAX_AGE_DAYS = 0
    run, _ = tasks.start_run(store)
    return run


def test_an_amazon_outage_during_a_refresh_pauses_and_keeps_the_last_good_result(
    ean_store, make_variant, emulator, settings
):
    """Issue 15, bug 5: retries spent on 5xx marked the batch ERROR and blanked the stored ASIN, title, image."""
    variant = make_variant(ean_store.channel, variant_values={"ean": ean_with(1)})
    run_to_end(ean_store)
    good = result(ean_store, variant)
    assert good.status == "MATCHED"

    run = _refresh_all(settings, ean_store)
    emulator.inject_fault("sp-api", status=503, count=lookup.MAX_ATTEMPTS)
    outcome = tasks.execute(run.pk, sleep=lambda seconds: None)

    assert outcome.paused and not outcome.finished
    kept = result(ean_store, variant)
    assert (kept.status, kept.asin, kept.title, kept.image_url, kept.checked_at) == (
        "MATCHED", good.asin, good.title, good.image_url, good.checked_at
    )
    assert CatalogMatchRun.objects.get(pk=run.pk).status == RunStatus.RUNNING
    assert CatalogMatchBatch.objects.get(run=run).status == "pending"  # released for the next attempt

    assert tasks.execute(run.pk).finished  # Amazon is back
    assert result(ean_store, variant).checked_at > good.checked_at


def test_an_lwa_outage_during_a_refresh_pauses_too(ean_store, make_variant, emulator, settings):
    from django.core.cache import cache

    variant = make_variant(ean_store.channel, variant_values={"ean": ean_with(1)})
    run_to_end(ean_store)
    run = _refresh_all(settings, ean_store)
    cache.clear()  # the access token: the next call needs LWA
    emulator.inject_fault("lwa", status=503, count=20)
    outcome = tasks.execute(run.pk, sleep=lambda seconds: None)
    assert outcome.paused
    assert result(ean_store, variant).status == "MATCHED" and result(ean_store, variant).asin
    assert CatalogMatchRun.objects.get(pk=run.pk).status == RunStatus.RUNNING


def _on_first_commit(monkeypatch, action):
    """Do ``action`` once the run's first batch is committed (in the middle of the run)."""
    commit = storage.commit
    done = []

    def commit_then(*args, **kwargs):
        committed = commit(*args, **kwargs)
        if not done:
            done.append(True)
            action()
        return committed

    monkeypatch.setattr(storage, "commit", commit_then)


def test_disconnecting_the_store_stops_its_running_match(ean_store, make_variant, emulator, monkeypatch):
    """Issue 15, bug 6: the run went on calling Amazon after the store was disconnected."""
    from saleor_amazon_channel.stores.models import AmazonStore

    for _ in range(60):  # three batches
        make_variant(ean_store.channel, variant_values={"ean": ean_with(1)})
    run, _ = tasks.start_run(ean_store)
    _on_first_commit(monkeypatch, lambda: AmazonStore.objects.filter(pk=ean_store.pk).update(authorization=None))

    assert tasks.execute(run.pk).finished
    run.refresh_from_db()
    assert (run.status, run.last_error_code) == (RunStatus.FAILED, "not_connected")
    assert emulator.state.catalog_calls[SELLER_A.selling_partner_id] == 1


def test_a_revoked_authorization_stops_the_running_match(ean_store, make_variant, emulator, monkeypatch):
    from django.utils import timezone

    from saleor_amazon_channel.authorizations.models import SellerAuthorization

    for _ in range(60):
        make_variant(ean_store.channel, variant_values={"ean": ean_with(1)})
    run, _ = tasks.start_run(ean_store)
    _on_first_commit(monkeypatch, lambda: SellerAuthorization.objects.filter(pk=ean_store.authorization_id).update(
        revoked_at=timezone.now()
    ))
    tasks.execute(run.pk)
    run.refresh_from_db()
    assert (run.status, run.last_error_code) == (RunStatus.FAILED, "authorization_revoked")
    assert emulator.state.catalog_calls[SELLER_A.selling_partner_id] == 1


def test_deleting_the_store_stops_its_running_match(ean_store, make_variant, emulator, monkeypatch):
    for _ in range(60):
        make_variant(ean_store.channel, variant_values={"ean": ean_with(1)})
    run, _ = tasks.start_run(ean_store)
    _on_first_commit(monkeypatch, lambda: type(ean_store).objects.filter(pk=ean_store.pk).delete())
    assert tasks.execute(run.pk).finished
    assert not CatalogMatchRun.objects.filter(pk=run.pk).exists()
    assert emulator.state.catalog_calls[SELLER_A.selling_partner_id] == 1


def test_a_cancelled_run_stops_at_its_next_batch_and_keeps_its_results(
    ean_store, make_variant, emulator, monkeypatch
):
    for _ in range(60):
        make_variant(ean_store.channel, variant_values={"ean": ean_with(1)})
    run, _ = tasks.start_run(ean_store)
    _on_first_commit(monkeypatch, lambda: storage.cancel(ean_store, actor="staff@example.com"))

    assert tasks.execute(run.pk).finished
    run.refresh_from_db()
    assert (run.status, run.last_error_code) == (RunStatus.FAILED, "cancelled")
    assert emulator.state.catalog_calls[SELLER_A.selling_partner_id] == 1
    assert CatalogMatch.objects.filter(store=ean_store, status="MATCHED").count() == 20
    assert not CatalogMatchBatch.objects.filter(run=run).exists()
    assert storage.cancel(ean_store) is None  # nothing left to cancel
    _, created = tasks.start_run(ean_store)
    assert created  # a new run may start


def test_an_item_title_with_a_nul_costs_one_result_not_the_run(ean_store, make_variant, emulator):
    """Issue 16: a NUL in a title made the batch's commit raise and every later run fail."""
    bad_ean, good_ean = ean_with(0), ean_with(0)
    emulator.add_catalog_item("B0NULTITLE", "Lamp\x00 with a \x1b[31mred\x1b[0m NUL", brand="Acme\u202e",
                              identifiers={"EAN": [bad_ean]})
    emulator.add_catalog_item("B0GOODITEM", "A good lamp", identifiers={"EAN": [good_ean]})
    bad = make_variant(ean_store.channel, variant_values={"ean": bad_ean})
    good = make_variant(ean_store.channel, variant_values={"ean": good_ean})

    run = run_to_end(ean_store)

    assert run.status == RunStatus.SUCCEEDED
    cleaned = result(ean_store, bad)
    assert (cleaned.status, cleaned.asin) == ("MATCHED", "B0NULTITLE")
    assert "\x00" not in cleaned.title and "\x1b" not in cleaned.title and "\u202e" not in cleaned.brand
    assert cleaned.title.startswith("Lamp") and cleaned.brand == "Acme"
    assert result(ean_store, good).title == "A good lamp"


def test_a_batch_that_cannot_be_stored_falls_back_to_one_error_per_bad_item(
    ean_store, make_variant, emulator, monkeypatch
):
    """Whatever cleaning misses: one bad item is one ERROR result with a code, never the run."""
    from saleor_amazon_channel.catalog.models import MatchStatus

    variants = [make_variant(ean_store.channel, variant_values={"ean": ean_with(1)}) for _ in range(3)]
    results = lookup.Lookup.results

    def with_a_bad_item(self, items):
        found = results(self, items)
        found[variants[1].pk] = {"status": MatchStatus.MATCHED, "asin": "B0BADITEM0", "asins": ["B0BADITEM0"],
                                 "title": "NUL\x00" + "x" * 10_000}
        return found

    monkeypatch.setattr(lookup.Lookup, "results", with_a_bad_item)
    monkeypatch.setattr(storage, "clean", lambda fields: fields)  # something cleaning did not foresee
    run = run_to_end(ean_store)
    assert run.status == RunStatus.SUCCEEDED
    assert [result(ean_store, v).status for v in variants] == ["MATCHED", "ERROR", "MATCHED"]
    assert result(ean_store, variants[1]).error_code == "invalid_data"


def test_deeply_nested_json_from_amazon_costs_the_batch_an_error_not_the_run(ean_store, make_variant, emulator):
    """Issue 16: deep JSON raised RecursionError and failed the run."""
    deep_ean = ean_with(0)
    emulator.add_catalog_item("B0DEEPJSON", "Deep", identifiers={"EAN": [deep_ean]}, nesting=100_000)
    deep = make_variant(ean_store.channel, variant_values={"ean": deep_ean})

    run = run_to_end(ean_store)

    assert run.status == RunStatus.SUCCEEDED
    assert result(ean_store, deep).status == "ERROR" and result(ean_store, deep).error_code
