"""Login with Amazon token endpoint: POST /auth/o2/token.

Error mapping (LWA's codes, chosen by the OAuth 2.0 rules of RFC 6749 5.2
where Amazon documents nothing more precise):

- body not form-encoded, repeated or missing parameters -> 400 invalid_request
  (``redirect_uri`` is required with a code: Amazon's current docs list it,
  and the plugin always sends it);
- unknown client id or wrong secret -> 401 invalid_client;
- unknown, used or expired code, a code issued to another client, a
  redirect_uri other than the one the code was issued for -> 400 invalid_grant;
- unknown, revoked or another client's refresh token -> 400 invalid_grant
  with the description Amazon really sends;
- ``client_credentials`` (grantless) -> 400 unauthorized_client: the client
  is genuine but the emulator grants it nothing without a seller;
- any other grant type -> 400 unsupported_grant_type.
"""

from __future__ import annotations

import secrets

from .faults import Fault
from .state import ACCESS_TOKEN_TTL, App, EmulatorState, GrantError
from .web import Request, Response, json_response

TOKEN_PATH = "/auth/o2/token"

ERROR_STATUS = {
    "invalid_request": 400,
    "invalid_grant": 400,
    "invalid_scope": 400,
    "unauthorized_client": 400,
    "unsupported_grant_type": 400,
    "access_denied": 400,
    "invalid_client": 401,
    "server_error": 500,
    "temporarily_unavailable": 503,
}
# For a fault given only as a status.  LWA publishes no throttling response,
# so a 429 is reported as temporarily_unavailable.
ERROR_FOR_STATUS = {
    400: "invalid_request",
    401: "invalid_client",
    429: "temporarily_unavailable",
    503: "temporarily_unavailable",
}

REQUIRED = {
    "authorization_code": ("code", "redirect_uri", "client_id", "client_secret"),
    "refresh_token": ("refresh_token", "client_id", "client_secret"),
    "client_credentials": ("scope", "client_id", "client_secret"),
}

_NO_STORE = (("Cache-Control", "no-store"), ("Pragma", "no-cache"))


def error(status: int, code: str, description: str) -> Response:
    return json_response(status, {"error": code, "error_description": description}, _NO_STORE)


def fault_response(fault: Fault) -> Response:
    code = fault.error or ERROR_FOR_STATUS.get(fault.status, "server_error")
    status = fault.status or ERROR_STATUS.get(code, 400)
    return error(status, code, f"Injected fault: {code}")


class LoginWithAmazon:
    def __init__(self, state: EmulatorState):
        self.state = state

    def routes(self):
        return [("POST", TOKEN_PATH, self.token)]

    def count(self, request: Request) -> None:
        """Count what the client asked for, whatever the answer (faults included)."""
        if request.content_type != "application/x-www-form-urlencoded":
            return
        form = request.form()
        grant_type = form.get("grant_type")
        with self.state.lock:
            if grant_type:
                self.state.lwa_calls_by_grant[grant_type] += 1
            if grant_type == "refresh_token" and form.get("refresh_token"):
                self.state.refresh_grants[form["refresh_token"]] += 1

    def _client(self, client_id: str, client_secret: str) -> App | None:
        app = self.state.app_by_client(client_id)
        if app and secrets.compare_digest(app.client_secret.encode(), client_secret.encode()):
            return app
        return None

    def _tokens(self, authorization) -> Response:
        access = self.state.issue_access_token(authorization)
        return json_response(
            200,
            {
                "access_token": access.value,
                "refresh_token": authorization.refresh_token,
                "token_type": "bearer",
                "expires_in": ACCESS_TOKEN_TTL,
            },
            _NO_STORE,
        )

    def token(self, request: Request) -> Response:
        if request.content_type != "application/x-www-form-urlencoded":
            return error(
                400,
                "invalid_request",
                "The Content-Type must be application/x-www-form-urlencoded.",
            )
        pairs = request.form_pairs()
        form = dict(pairs)
        if len(form) != len(pairs):
            return error(400, "invalid_request", "A parameter was included more than once.")

        grant_type = form.get("grant_type")
        if not grant_type:
            return error(400, "invalid_request", "The request is missing grant_type.")
        if grant_type not in REQUIRED:
            return error(400, "unsupported_grant_type", "The grant_type is not supported.")
        missing = [name for name in REQUIRED[grant_type] if not form.get(name)]
        if missing:
            return error(
                400,
                "invalid_request",
                "The request is missing a required parameter : " + ", ".join(missing),
            )
        app = self._client(form["client_id"], form["client_secret"])
        if app is None:
            return error(401, "invalid_client", "Client authentication failed")

        try:
            if grant_type == "authorization_code":
                authorization = self.state.redeem_code(
                    form["code"], app.application_id, form["redirect_uri"]
                )
            elif grant_type == "refresh_token":
                authorization = self.state.authorization_for_refresh(
                    form["refresh_token"], app.application_id
                )
            else:
                return error(
                    400,
                    "unauthorized_client",
                    "The client is not authorized for the requested grant type.",
                )
        except GrantError as exc:
            return error(400, "invalid_grant", str(exc))
        return self._tokens(authorization)
