"""Shared set-up for the benchmarks: the stand-in host on its own PostgreSQL database."""

import os
import pathlib
import statistics
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.standin.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/amazon_channel_bench")


def setup_django():
    """Create (if needed) and migrate the bench database, then set Django up."""
    import django
    import psycopg
    from django.conf import settings

    django.setup()
    name = settings.DATABASES["default"]["NAME"]
    with psycopg.connect(
        host=settings.DATABASES["default"]["HOST"] or "127.0.0.1",
        user=settings.DATABASES["default"]["USER"] or "postgres",
        dbname="postgres",
        autocommit=True,
    ) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone():
            conn.execute(f'create database "{name}"')
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def percentiles(samples_ms):
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95


def activate_plugin():
    """The plugin active and configured with the test suite's SP-API credentials."""
    from saleor_amazon_channel import PLUGIN_ID
    from tests.fixtures import APPLICATION_ID, CLIENT_ID, CLIENT_SECRET
    from tests.standin.plugins.models import PluginConfiguration

    PluginConfiguration.objects.update_or_create(
        identifier=PLUGIN_ID,
        defaults={"name": "Amazon", "active": True, "configuration": [
            {"name": "application_id", "value": APPLICATION_ID},
            {"name": "lwa_client_id", "value": CLIENT_ID},
            {"name": "lwa_client_secret", "value": CLIENT_SECRET},
            {"name": "draft_app", "value": False},
        ]},
    )


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(emu):
    import signal

    emu.start()
    signal.pause()


def serve_in_child(emu, probe_path: str):
    """Run a populated emulator in a forked process (its HTTP work no longer shares our GIL); returns the
    process once ``probe_path`` answers."""
    import multiprocessing
    import time

    import requests
    from django.db import connections

    connections.close_all()  # the child must not inherit a live database connection
    child = multiprocessing.get_context("fork").Process(target=_serve, args=(emu,), daemon=True)
    child.start()
    url = f"http://127.0.0.1:{emu.port}"
    for _ in range(200):
        try:
            requests.get(url + probe_path, timeout=5)
            return child
        except requests.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("the emulator did not start")
