"""``python -m demo``: start the Amazon emulator and the stand-in host, print the address.

Environment: DEMO_PORT (8000), EMULATOR_PORT (8701), DATABASE_URL (default: an
SQLite file under .demo/; set a postgres:// URL to use PostgreSQL), DEMO_ORDER_POLL_SECONDS (30:
how often each store's Amazon orders are read; Saleor's beat default is 300).
"""

import os
import pathlib
import signal
import socketserver
import sys
import threading
from urllib.parse import quote
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

ROOT = pathlib.Path(__file__).resolve().parent.parent
STATE_DIR = ROOT / ".demo"


class QuietHandler(WSGIRequestHandler):
    def log_request(self, code="-", size="-"):
        # The path alone: query strings can carry OAuth codes and states.
        if os.environ.get("DEMO_ACCESS_LOG"):
            sys.stderr.write(f"{self.command} {self.path.split('?')[0]} {code}\n")


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


def _encryption_key() -> str:
    key_file = STATE_DIR / "encryption.key"
    if not key_file.exists():
        from cryptography.fernet import Fernet

        key_file.write_text(Fernet.generate_key().decode())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def main():
    sys.path.insert(0, str(ROOT))
    STATE_DIR.mkdir(exist_ok=True)
    host = os.environ.get("DEMO_HOST", "127.0.0.1")
    port = int(os.environ.get("DEMO_PORT", "8000"))
    emulator_port = int(os.environ.get("EMULATOR_PORT", "8701"))
    public_url = f"http://{host}:{port}"

    from amazon_emulator import Emulator

    emulator = Emulator(port=emulator_port, rate_limit=os.environ.get("EMULATOR_RATE_LIMIT") == "1").start()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.standin.settings")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{STATE_DIR / 'demo.sqlite3'}")
    os.environ["PUBLIC_URL"] = public_url
    # Saleor's own setting: where the Log-in URI sends a merchant to confirm an Amazon-started consent.
    os.environ["DASHBOARD_URL"] = public_url + "/dashboard/"
    os.environ["AMAZON_CHANNEL_SELLER_CENTRAL_URL"] = emulator.url
    os.environ["AMAZON_CHANNEL_LWA_TOKEN_URL"] = emulator.url + "/auth/o2/token"
    os.environ["AMAZON_CHANNEL_SP_API_URL"] = emulator.url
    os.environ.setdefault("AMAZON_CHANNEL_ENCRYPTION_KEYS", _encryption_key())

    import django

    django.setup()
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    from demo.seed import DEMO_APPLICATION_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, seed
    from saleor_amazon_channel.core.urls import plugin_url

    call_command("migrate", verbosity=0)
    app = seed()
    from demo.background import (
        run_catalog_matches_in_background,
        run_listing_syncs_in_background,
        run_order_polls_in_background,
    )

    run_catalog_matches_in_background()
    run_listing_syncs_in_background()
    run_order_polls_in_background(float(os.environ.get("DEMO_ORDER_POLL_SECONDS", "30")))
    emulator.register_app(
        DEMO_APPLICATION_ID,
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        [public_url + plugin_url("oauth/callback")],
        login_uri=public_url + plugin_url("oauth/login"),
        name="Saleor Amazon Sales Channel (demo)",
    )
    emulator.seed_demo()

    server = make_server(host, port, get_wsgi_application(), ThreadingWSGIServer, handler_class=QuietHandler)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    from graphql_relay import to_global_id

    # Where the Dashboard opens an app: /dashboard/extensions/app/<the App's global ID>.
    dashboard = f"{public_url}/dashboard/extensions/app/{quote(to_global_id('App', app.pk), safe='')}"
    print(f"Amazon Sales Channel demo is running: open {dashboard}", flush=True)
    print(f"  Amazon emulator (Seller Central, LWA, SP-API): {emulator.url}", flush=True)
    print("  Seller Central sign-in: seller@example.com / amazon-demo, 2FA code 123456", flush=True)
    print("  Press Ctrl+C to stop.", flush=True)
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        emulator.stop()


if __name__ == "__main__":
    main()
