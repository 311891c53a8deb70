"""Shared set-up for the benchmarks: the stand-in host on its own PostgreSQL database; for the benches run with
Saleor's interpreter (``*_saleor.py``), a real Saleor 3.23 on a clone of its populated database and the paired
comparison of one of our queries with one of Saleor's (:func:`setup_saleor`, :func:`paired`)."""

import os
import pathlib
import statistics
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The stand-in host, unless a Saleor bench chose saleor.settings before importing this module.
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


def activate_plugin(saleor=False):
    """The plugin active and configured with the test suite's SP-API credentials (in Saleor's own table with
    ``saleor``)."""
    from saleor_amazon_channel import PLUGIN_ID
    from tests.fixtures import APPLICATION_ID, CLIENT_ID, CLIENT_SECRET

    if saleor:
        from saleor.plugins.models import PluginConfiguration
    else:
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


# --- Inside a real Saleor (run with Saleor's interpreter) ----------------------------------------------------------


def entry_point_shim() -> str:
    """A dist-info declaring the plugin's saleor.plugins entry point, as its wheel does."""
    import tempfile

    directory = tempfile.mkdtemp(prefix="ca-saleor-bench-")
    info = pathlib.Path(directory, "saleor_amazon_channel-0.0.0.dist-info")
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: saleor-amazon-channel\nVersion: 0.0.0\n")
    (info / "entry_points.txt").write_text(
        "[saleor.plugins]\nsaleor_amazon_channel = saleor_amazon_channel.plugin:AmazonChannelPlugin\n"
    )
    return directory


def recreate_database():
    """DATABASE_URL's database dropped and cloned from SALEOR_DB_TEMPLATE (a bench's own: ac_… or ca_…)."""
    from urllib.parse import urlsplit

    import psycopg

    url = urlsplit(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    assert name.startswith(("ac_", "ca_")), "a database of this bench's own (ac_…)"
    template = os.environ.get("SALEOR_DB_TEMPLATE", "saleor_populated")
    with psycopg.connect(host=url.hostname, port=url.port or 5432, user=url.username or "postgres",
                         dbname="postgres", autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}"')
        conn.execute(f'create database "{name}" template "{template}"')


def setup_saleor() -> bool:
    """Saleor 3.23 set up on a fresh clone of its populated database, the plugin discovered through its entry
    point, migrated and configured. False (with a message) when this is not Saleor's interpreter."""
    try:
        import saleor  # noqa: F401
    except ImportError:
        print("skipped: run it with Saleor's interpreter (see the module's docstring)")
        return False
    if os.environ.get("DJANGO_SETTINGS_MODULE") != "saleor.settings":
        raise RuntimeError("set DJANGO_SETTINGS_MODULE=saleor.settings before importing _setup")
    sys.path.insert(0, entry_point_shim())
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-bench-secret-key")
    os.environ.setdefault("ALLOWED_HOSTS", "*")
    os.environ.setdefault("ALLOWED_CLIENT_HOSTS", "*")
    os.environ.setdefault("DEBUG", "False")
    os.environ.setdefault("HTTP_IP_FILTER_ENABLED", "False")
    if "RSA_PRIVATE_KEY" not in os.environ:  # Saleor signs its JWTs with it outside DEBUG
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        os.environ["RSA_PRIVATE_KEY"] = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
    recreate_database()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    assert "saleor_amazon_channel.plugin.AmazonChannelPlugin" in settings.PLUGINS
    call_command("migrate", "saleor_amazon_channel", verbosity=0)
    activate_plugin(saleor=True)
    return True


def saleor_bench_store(name, selling_partner_id, marketplace_id):
    """A connected EAN store of the plugin on Saleor's default channel (what the Saleor benches measure)."""
    from saleor.channel.models import Channel

    from saleor_amazon_channel.authorizations.models import SellerAuthorization
    from saleor_amazon_channel.stores.models import AmazonStore

    channel = Channel.objects.get(slug="default-channel")
    authorization = SellerAuthorization(selling_partner_id=selling_partner_id, region="NA")
    authorization.renew(f"Atzr|{selling_partner_id.lower()}")
    authorization.save()
    return AmazonStore.objects.create(
        name=name, contact_email="bench@example.com", channel=channel, marketplace_id=marketplace_id,
        product_id_type="EAN", product_id_source="variant_sku", authorization=authorization)


def saleor_staff_headers():
    """populatedb's staff superuser's bearer token (Saleor lists a staff user's orders through its groups)."""
    from saleor.account.models import User
    from saleor.core.jwt import create_access_token

    user = User.objects.get(email="admin@example.com")
    return {"HTTP_AUTHORIZATION": "Bearer " + create_access_token(user)}


def paired(headers, requests_at, runs, warmups=5):
    """Time our query against Saleor's, interleaved in one process (a busy machine slows both alike), through
    Saleor's URL routing, authentication and plugin manager.

    ``requests_at(first)``: {label: (path, body)} for a page of ``first``. Returns {label: (median ms, p95 ms,
    queries at first=100, queries at first=10, nodes)}: the query count must not grow with the page."""
    import json
    import time
    from contextlib import ExitStack

    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()

    def post(path, payload):
        response = client.post(path, payload, content_type="application/json", **headers)
        data = response.json()
        assert response.status_code == 200 and not data.get("errors"), (path, response.content[:500])
        return data

    def count_queries(path, payload):
        with ExitStack() as stack:  # Saleor reads through its replica alias too
            captured = [stack.enter_context(CaptureQueriesContext(connections[alias])) for alias in connections]
            post(path, payload)
        queries = [q["sql"] for c in captured for q in c.captured_queries]
        if os.environ.get("BENCH_SHOW_SQL"):
            print(path, *queries, sep="\n  ")
        return len(queries)

    payloads = {label: (path, json.dumps(body)) for label, (path, body) in requests_at(100).items()}
    nodes = {}
    for label, (path, payload) in payloads.items():
        for _ in range(warmups):
            data = post(path, payload)
        nodes[label] = len(next(iter(data["data"].values()))["edges"])
    samples = {label: [] for label in payloads}
    for _ in range(runs):
        for label, (path, payload) in payloads.items():
            start = time.perf_counter()
            client.post(path, payload, content_type="application/json", **headers)
            samples[label].append((time.perf_counter() - start) * 1000)
    small = [count_queries(path, json.dumps(body)) for path, body in requests_at(10).values()]
    return {
        label: (*percentiles(samples[label]), count_queries(path, payload), count_small, nodes[label])
        for (label, (path, payload)), count_small in zip(payloads.items(), small, strict=True)
    }


def print_paired(results, ours, theirs):
    print(f"{'query':<32} {'nodes':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'at first:10':>12}")
    for label, (median, p95, count, count_small, n) in results.items():
        print(f"{label:<32} {n:>6} {median:>10.1f} {p95:>8.1f} {count:>8} {count_small:>12}")
    mine, saleors = results[ours], results[theirs]
    per_node = (mine[0] / max(1, mine[4])) / (saleors[0] / max(1, saleors[4]))
    print(f"ratio {ours.split('(')[0]} / {theirs.split('(')[0]}: {mine[0] / saleors[0]:.2f}x (median), "
          f"{mine[1] / saleors[1]:.2f}x (p95); per node {per_node:.2f}x")
