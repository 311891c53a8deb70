"""The emulator's own control API under /_emulator/, for the demo and browser tests.

POST bodies are JSON objects whose keys are the keyword arguments of the
matching ``Emulator`` method.  Requiring ``Content-Type: application/json``
also means a web page cannot drive these endpoints with a plain cross-site
form post (it would need a CORS preflight, which is never granted).
"""

from __future__ import annotations

from typing import Any, Protocol

from .faults import Fault
from .state import App, EmulatorState, Seller
from .web import Request, Response, json_response


class Operations(Protocol):
    """What the control API drives: the ``Emulator``'s own methods (server.py), named
    here so this module does not import the server that mounts it."""

    state: EmulatorState

    def register_app(self, **kwargs: Any) -> App: ...
    def add_seller(self, **kwargs: Any) -> Seller: ...
    def revoke(self, selling_partner_id: str, application_id: str | None = None) -> int: ...
    def inject_fault(self, **kwargs: Any) -> Fault: ...
    def advance_clock(self, seconds: float) -> None: ...
    def reset(self, keep_accounts: bool = True) -> None: ...
    def seed_demo(self) -> None: ...

PREFIX = "/_emulator"


def _problem(status: int, message: str) -> Response:
    return json_response(status, {"error": message})


class Control:
    def __init__(self, emulator: Operations):
        self.emulator = emulator

    def routes(self):
        return [
            ("GET", PREFIX + "/state", self.state),
            ("POST", PREFIX + "/apps", self._post(self.register_app)),
            ("POST", PREFIX + "/sellers", self._post(self.add_seller)),
            ("POST", PREFIX + "/revoke", self._post(self.revoke)),
            ("POST", PREFIX + "/faults", self._post(self.inject_fault)),
            ("POST", PREFIX + "/catalog", self._post(self.add_catalog_item)),
            ("POST", PREFIX + "/clock", self._post(self.advance_clock)),
            ("POST", PREFIX + "/reset", self._post(self.reset)),
            ("POST", PREFIX + "/seed-demo", self._post(self.seed_demo)),
        ]

    @staticmethod
    def _post(action):
        """Parse and check the JSON body, turn bad arguments into a 400."""

        def handler(request: Request) -> Response:
            if request.content_type != "application/json":
                return _problem(415, "Content-Type must be application/json")
            try:
                body = request.json() if request.body else {}
            except ValueError:
                return _problem(400, "the body is not valid JSON")
            if not isinstance(body, dict):
                return _problem(400, "the body must be a JSON object")
            try:
                return action(body)
            except (TypeError, ValueError) as exc:
                return _problem(400, str(exc))

        return handler

    def state(self, request: Request) -> Response:
        return json_response(200, self.emulator.state.snapshot())

    def register_app(self, body: dict) -> Response:
        app = self.emulator.register_app(**body)
        return json_response(201, app.public())

    def add_seller(self, body: dict) -> Response:
        seller = self.emulator.add_seller(**body)
        return json_response(201, seller.public())

    def revoke(self, body: dict) -> Response:
        return json_response(200, {"revoked": self.emulator.revoke(**body)})

    def inject_fault(self, body: dict) -> Response:
        return json_response(201, self.emulator.inject_fault(**body).as_dict())

    def add_catalog_item(self, body: dict) -> Response:
        return json_response(201, self.emulator.add_catalog_item(**body))

    def advance_clock(self, body: dict) -> Response:
        self.emulator.advance_clock(**body)
        state = self.emulator.state
        return json_response(200, {"now": state.now(), "clock_offset": state.clock_offset})

    def reset(self, body: dict) -> Response:
        self.emulator.reset(**body)
        return json_response(200, {"reset": True})

    def seed_demo(self, body: dict) -> Response:
        self.emulator.seed_demo(**body)
        return json_response(200, {"sellers": len(self.emulator.state.sellers)})
