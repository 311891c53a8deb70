"""The Emulator: one loopback HTTP server playing Seller Central, LWA and SP-API.

The plugin points its three Amazon base URLs (Seller Central, LWA token
URL, SP-API endpoint) at ``Emulator.url``; paths do not overlap, so one
server can answer for all of them.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from . import catalog, demo, lwa, orders, product_types, seller_central, shapes, sp_api
from .control import Control
from .faults import Fault
from .orders_control import OrderControls, OrdersControlApi
from .ratelimit import CATALOG_BURST, CATALOG_RATE, DEFAULT_BURST, DEFAULT_RATE
from .selling_setup import mount_selling
from .state import App, EmulatorState, Seller
from .web import Halt, Request, Response, first_values, json_response, parse_cookies

logger = logging.getLogger("amazon_emulator")

# How each fault target answers a failing fault.
FAULT_RESPONSES = {
    "seller-central": seller_central.fault_response,
    "lwa": lwa.fault_response,
    "sp-api": sp_api.fault_response,
}


class Router:
    """Matches (method, path) to a handler.

    Before the handler runs, the request is counted (by its target and by
    the module's own ``count``) and then meets the target's pending fault.
    """

    def __init__(self, state: EmulatorState):
        self.state = state
        self.routes: list[tuple[str, re.Pattern, Callable, str | None, Callable | None]] = []

    def add(self, module, target: str | None) -> None:
        counter = getattr(module, "count", None)
        for method, pattern, handler in module.routes():
            self.routes.append((method, re.compile(pattern), handler, target, counter))

    def dispatch(self, request: Request) -> Response:
        allowed = []
        for method, pattern, handler, target, counter in self.routes:
            match = pattern.fullmatch(request.path)
            if match is None:
                continue
            if method != request.method:
                allowed.append(method)
                continue
            if counter is not None:
                counter(request)
            fault = None
            if target is not None:
                fault = self._count_and_take_fault(target)
                if fault is not None:
                    if fault.delay:
                        time.sleep(fault.delay)  # outside the lock: other requests go on
                    if fault.fails:
                        return FAULT_RESPONSES[target](fault)
                    if fault.shape and shapes.replaces_answer(fault):
                        return shapes.answer(fault)
            params = {key: unquote(value) for key, value in match.groupdict().items()}
            try:
                response = handler(request, **params)
            except Halt as halt:
                response = halt.response
            if fault is not None and fault.shape:
                response = shapes.reshape(fault, response)
            return response
        if allowed:
            return Response(405, b"", [("Allow", ", ".join(sorted(set(allowed))))])
        if request.path.startswith("/_emulator/"):
            return json_response(404, {"error": "no such control endpoint"})
        return sp_api.not_found(request)

    def _count_and_take_fault(self, target: str) -> Fault | None:
        with self.state.lock:
            self.state.requests[target] += 1
            return self.state.take_fault(target)


class _Handler(BaseHTTPRequestHandler):
    server_version = "AmazonEmulator/1.0"

    def do_GET(self):
        self._handle()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def _handle(self) -> None:
        split = urlsplit(self.path)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.send_error(400, "Bad Content-Length")
            return
        headers = {key.lower(): value for key, value in self.headers.items()}
        request = Request(
            method=self.command,
            path=split.path,
            query=first_values(parse_qsl(split.query, keep_blank_values=True)),
            headers=headers,
            body=self.rfile.read(length) if length > 0 else b"",
            cookies=parse_cookies(headers.get("cookie", "")),
        )
        try:
            response = self.server.router.dispatch(request)
        except Exception:
            logger.exception("emulator error on %s %s", self.command, split.path)
            response = json_response(500, {"error": "emulator error"})
        self.send_response(response.status)
        for key, value in response.headers:
            self.send_header(key, value)
        try:
            if response.chunks is not None:
                # No Content-Length: HTTP/1.0, the body ends when the connection closes.
                self.end_headers()
                for chunk in response.chunks:
                    self.wfile.write(chunk)
                return
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if response.trickle:
                self.wfile.flush()
                for i in range(len(response.body)):
                    self.wfile.write(response.body[i:i + 1])
                    self.wfile.flush()
                    time.sleep(response.trickle)
                return
            self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up on a shaped answer (what the shapes are for).
            self.close_connection = True

    def log_request(self, code="-", size="-"):
        # The path only: query strings carry states, codes and amazon_state.
        logger.info("%s %s %s", self.command, urlsplit(self.path).path, code)

    def log_message(self, format, *args):
        # http.server's own messages may quote the whole request line.
        logger.debug(format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, router: Router):
        self.router = router
        super().__init__(address, _Handler)

    def handle_error(self, request, client_address):
        # A client that timed out on an injected delay is expected, not an error.
        logger.debug("connection error from %s", client_address, exc_info=True)


def _loopback(host: str) -> str:
    if host == "localhost":
        return "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"host must be an IPv4 loopback address, not {host!r}") from None
    if address.version != 4 or not address.is_loopback:
        raise ValueError(f"host must be an IPv4 loopback address, not {host!r}")
    return host


class Emulator:
    """An Amazon stand-in on 127.0.0.1.  Use as a context manager or start()/stop()."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        rate_limit: bool = True,
        rate: float = DEFAULT_RATE,
        burst: int = DEFAULT_BURST,
        catalog_rate: float = CATALOG_RATE,
        catalog_burst: int = CATALOG_BURST,
    ):
        self.host = _loopback(host)
        self.port = port
        self.state = EmulatorState((rate, burst) if rate_limit else None, (float(catalog_rate), int(catalog_burst)))
        self.router = Router(self.state)
        self.router.add(Control(self), target=None)
        self.router.add(
            seller_central.SellerCentral(self.state, lambda: self.url), target="seller-central"
        )
        self.router.add(lwa.LoginWithAmazon(self.state), target="lwa")
        self.router.add(sp_api.SellingPartnerApi(self.state), target="sp-api")
        self.router.add(catalog.CatalogItems(self.state, lambda: self.url), target="sp-api")
        self.router.add(catalog.CatalogImages(), target=None)
        # Listings Items, Feeds, Reports, Product Type Definitions (offers: emu.selling, emu.offer_book)
        self.selling, self.offer_book = mount_selling(self.state, self.router, lambda: self.url)
        self.orders = OrderControls(self.state)  # Orders API scenarios (orders_control.py)
        self.router.add(OrdersControlApi(self.orders), target=None)
        self.router.add(orders.Orders(self.state), target="sp-api")
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the emulator is not running; call start() first")
        return f"http://{self.host}:{self.port}"

    def start(self) -> Emulator:
        if self._server is not None:
            raise RuntimeError("the emulator is already running")
        self._server = _Server((self.host, self.port), self.router)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            # A short poll keeps stop() quick, which test suites notice.
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="amazon-emulator",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = self._thread = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # -- controls (also served under /_emulator/) -----------------------------

    def register_app(
        self,
        application_id: str,
        client_id: str,
        client_secret: str,
        redirect_uris: list[str],
        login_uri: str | None = None,
        draft: bool = False,
        name: str | None = None,
    ) -> App:
        if isinstance(redirect_uris, str):
            redirect_uris = [redirect_uris]
        app = App(
            application_id,
            client_id,
            client_secret,
            list(redirect_uris),
            login_uri or None,
            bool(draft),
            name or application_id,
        )
        self.state.add_app(app)
        return app

    def add_seller(
        self,
        email: str,
        password: str,
        selling_partner_id: str,
        region: str = "NA",
        marketplaces: dict[str, bool] | None = None,
        otp: str = "123456",
        has_suspended_listings: bool = False,
        store_name: str = "Emulated Seller Store",
    ) -> Seller:
        seller = Seller(
            email,
            password,
            selling_partner_id,
            region,
            dict(marketplaces or {}),
            otp,
            bool(has_suspended_listings),
            store_name,
        )
        self.state.add_seller(seller)
        return seller

    def revoke(self, selling_partner_id: str, application_id: str | None = None) -> int:
        """Revoke the seller's grants (to one app, or all); returns how many."""
        return self.state.revoke(selling_partner_id, application_id)

    def inject_fault(
        self,
        target: str,
        status: int | None = None,
        count: int = 1,
        delay: float = 0.0,
        error: str | None = None,
        shape: str | None = None,
        size: int = 0,
        interval: float = 0.0,
    ) -> Fault:
        """Make the next ``count`` requests to ``target`` fail or slow down.

        ``target`` is "lwa", "sp-api" or "seller-central".  Give a ``status``,
        an ``error`` (LWA: "invalid_client", "temporarily_unavailable", ...;
        SP-API: "QuotaExceeded", "InternalFailure", ...) or both; the missing
        one is derived from the other.  With only a ``delay``, requests are
        served normally after it; with nothing at all, the status is 500. ``shape``
        ("trickle", "huge", "deep", "nul") bends the answer instead (see faults.py).
        """
        if status is None and error is None and not delay and shape is None:
            status = 500
        fault = Fault(target, status, error, float(delay), int(count), shape, int(size), float(interval))
        self.state.add_fault(fault)
        return fault

    def advance_clock(self, seconds: float) -> None:
        self.state.advance_clock(float(seconds))

    def reset(self, keep_accounts: bool = True) -> None:
        self.state.reset(keep_accounts)
        self.selling.reset()

    def add_catalog_item(
        self,
        asin: str,
        title: str,
        brand: str = "",
        identifiers: dict[str, list[str]] | None = None,
        image_url: str | None = None,
        nesting: int = 0,
        product_type: str | None = None,
    ) -> dict:
        """Put an item in the catalog ahead of the seeded ones; ``identifiers``: {"EAN": ["..."], ...}.

        ``product_type``: its Amazon product type (one product_types.PRODUCT_TYPES knows), in its
        ``productTypes``; left out, the item has none. ``nesting``: its summary carries that many nested
        arrays (a hostile answer: deep JSON)."""
        if not isinstance(asin, str) or len(asin) != 10 or not asin.isalnum():
            raise ValueError("asin must be 10 letters and digits")
        if product_type is not None and product_type not in product_types.PRODUCT_TYPES:
            raise ValueError(f"product_type must be one of {', '.join(product_types.PRODUCT_TYPES)}")
        item = {
            "asin": asin.upper(),
            "identifiers": [{"marketplaceId": "", "identifiers": [
                {"identifierType": str(kind), "identifier": str(value)}
                for kind, values in (identifiers or {}).items() for value in values
            ]}],
            "images": [{"marketplaceId": "", "images": [
                {"variant": "MAIN", "link": image_url or f"{self.url}/images/I/{asin.upper()}.svg",
                 "height": 500, "width": 500},
            ]}],
            "summaries": [{"marketplaceId": "", "itemName": str(title), "brand": str(brand)}],
        }
        if product_type is not None:
            item["productTypes"] = [{"marketplaceId": "", "productType": product_type}]
        if nesting:
            item["summaries"][0]["nested"] = catalog.NESTED % int(nesting)
        with self.state.lock:
            self.state.catalog_items[item["asin"]] = item
        return item

    def seed_demo(self) -> None:
        demo.seed(self.add_seller)
        demo.seed_offers(self.offer_book, self.selling)
        demo.seed_orders(self.orders.create, self.state.order_book.orders, self.selling)
