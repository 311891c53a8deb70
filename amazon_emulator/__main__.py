"""python -m amazon_emulator --port 8701 [--app-id ... --client-id ... ...] [--seed-demo]"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading

from .server import Emulator


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m amazon_emulator",
        description="Serve an Amazon Seller Central / LWA / SP-API emulator on 127.0.0.1.",
    )
    parser.add_argument("--port", type=int, default=8701, help="0 picks a free port")
    app = parser.add_argument_group("register an app")
    app.add_argument("--app-id", help="application ID, e.g. amzn1.sellerapps.app.demo")
    app.add_argument("--app-name", help="name shown on the consent page")
    app.add_argument("--client-id", help="LWA client ID")
    app.add_argument("--client-secret", help="LWA client secret")
    app.add_argument(
        "--redirect-uri", action="append", default=[], help="OAuth redirect URI (repeatable)"
    )
    app.add_argument("--login-uri", help="OAuth log-in URI")
    app.add_argument("--draft", action="store_true", help="a draft app (needs version=beta)")
    parser.add_argument("--seed-demo", action="store_true", help="add the demo sellers")
    parser.add_argument("--no-rate-limit", action="store_true", help="disable SP-API throttling")
    parser.add_argument("--quiet", action="store_true", help="no request log")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    app_args = (args.app_id, args.client_id, args.client_secret, args.redirect_uri)
    if any(app_args) and not all(app_args):
        parser.error("--app-id, --client-id, --client-secret and --redirect-uri go together")

    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(asctime)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    emulator = Emulator(port=args.port, rate_limit=not args.no_rate_limit)
    if args.app_id:
        emulator.register_app(
            args.app_id,
            args.client_id,
            args.client_secret,
            args.redirect_uri,
            login_uri=args.login_uri,
            draft=args.draft,
            name=args.app_name,
        )
    if args.seed_demo:
        emulator.seed_demo()

    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    emulator.start()
    print(f"amazon-emulator listening on {emulator.url}", flush=True)
    try:
        stopping.wait()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
