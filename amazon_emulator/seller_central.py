"""Seller Central: website authorization, log-in URI confirmation, Manage Your Apps.

The browser flow, with the page each step serves:

    GET  /apps/authorize/consent?application_id&state[&redirect_uri][&version=beta]
         validates the request (MD1000, MD5101, MD5110), keeps it in the session
    GET  /ap/signin, POST /ap/signin          email + password
    GET  /ap/mfa,    POST /ap/mfa             one-time password
    GET  /apps/authorize/review, POST         consent: "I understand..." + Next / Cancel
    GET  /apps/authorize/continue, POST       "You are almost done" + Continue
         -> the app's log-in URI (amazon_callback_uri, amazon_state, selling_partner_id)
            or, for an app without one, straight to the redirect URI (2021 flow)
    GET  /apps/authorize/confirm/<application_id>?amazon_state&state[&redirect_uri]
         -> redirect URI with state, selling_partner_id, spapi_oauth_code
    GET  /apps/manage, POST /apps/manage/reauthorize, POST /apps/manage/revoke

Where Amazon documents nothing we chose, and say so at the place:
cancelling consent, the error pages of invalid requests that have no MD
code, and the confirm step requiring the Seller Central session that
consented (``amazon_state`` is bound to it, as Amazon's own state is meant
to be; another browser coming back with it is refused and uses nothing up).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from urllib.parse import quote

from . import pages
from .faults import Fault
from .state import App, ConsentRequest, EmulatorState, Seller, Session
from .web import (
    SESSION_COOKIE,
    Halt,
    Request,
    Response,
    add_query,
    html_response,
    redirect,
    session_cookie,
)

REVIEW_PATH = "/apps/authorize/review"
CONTINUE_PATH = "/apps/authorize/continue"
MANAGE_PATH = "/apps/manage"


def _error(message: str, code: str | None = None, status: int = 400) -> Response:
    return html_response(status, pages.error_page(message, code))


def fault_response(fault: Fault) -> Response:
    return _error(
        "Seller Central is temporarily unavailable. Please try again later.",
        fault.error,
        fault.status or 500,
    )


def _with_session(handler):
    """Give a handler the browser's session, creating one (and its cookie) if needed.

    The whole handler runs under the state lock: pages do no I/O, and a
    double-submitted form must not run a step twice.
    """

    def wrapper(self: SellerCentral, request: Request, **params) -> Response:
        with self.state.lock:
            session = self.state.session(request.cookies.get(SESSION_COOKIE))
            fresh = session is None
            if fresh:
                session = self.state.new_session()
            try:
                response = handler(self, request, session, **params)
            except Halt as halt:
                response = halt.response
            if fresh:
                response.headers.append(session_cookie(session.id))
            return response

    return wrapper


class SellerCentral:
    def __init__(self, state: EmulatorState, base_url: Callable[[], str]):
        self.state = state
        self.base_url = base_url

    def routes(self):
        return [
            ("GET", "/", self.index),
            ("GET", "/apps/authorize/consent", self.consent),
            ("GET", "/ap/signin", self.signin_form),
            ("POST", "/ap/signin", self.signin),
            ("GET", "/ap/mfa", self.mfa_form),
            ("POST", "/ap/mfa", self.mfa),
            ("POST", "/ap/signout", self.signout),
            ("GET", REVIEW_PATH, self.review_form),
            ("POST", REVIEW_PATH, self.review),
            ("GET", CONTINUE_PATH, self.continue_form),
            ("POST", CONTINUE_PATH, self.continue_),
            ("GET", "/apps/authorize/confirm/(?P<application_id>[^/]+)", self.confirm),
            ("GET", MANAGE_PATH, self.manage),
            ("POST", MANAGE_PATH + "/reauthorize", self.reauthorize),
            ("POST", MANAGE_PATH + "/revoke", self.revoke),
        ]

    # -- helpers -------------------------------------------------------------

    def _app(self, application_id: str | None) -> App:
        app = self.state.apps.get(application_id or "")
        if app is None:
            # No MD code is documented for an unknown application ID.
            raise Halt(_error("The application ID in this request is not valid."))
        return app

    @staticmethod
    def _require_beta(app: App, request: Request) -> None:
        if app.draft and request.query.get("version") != "beta":
            raise Halt(
                _error(
                    "This application is in Draft state. Add version=beta to "
                    "authorize a draft application.",
                    "MD1000",
                )
            )

    @staticmethod
    def _redirect_uri(app: App, given: str | None) -> str:
        """The redirect URI to use: the given one if acceptable, else the first registered."""
        if given is None:
            return app.redirect_uris[0]
        # A fragment can never be registered, so check it first to report MD5110.
        if "#" in given:
            raise Halt(_error("The redirect URI must not contain a fragment.", "MD5110"))
        if given not in app.redirect_uris:
            raise Halt(_error("The redirect URI is not registered for this application.", "MD5101"))
        return given

    def _signed_in(self, session: Session, return_to: str) -> Seller:
        seller = self.state.sellers.get(session.selling_partner_id or "")
        if seller is None:
            session.selling_partner_id = None
            session.return_to = return_to
            raise Halt(redirect("/ap/signin"))
        return seller

    @staticmethod
    def _pending_consent(session: Session, consented: bool = False) -> ConsentRequest:
        consent = session.consent
        if consent is None or (consented and not consent.consented):
            raise Halt(_error("There is no authorization request in progress."))
        return consent

    def _to_login_uri(self, app: App, seller: Seller, redirect_uri: str, session: Session) -> Response:
        amazon_state = self.state.issue_amazon_state(
            app.application_id, seller.selling_partner_id, redirect_uri, session.id
        )
        params = {
            "amazon_callback_uri": self.base_url()
            + "/apps/authorize/confirm/"
            + quote(app.application_id, safe=""),
            "amazon_state": amazon_state,
            "selling_partner_id": seller.selling_partner_id,
        }
        if app.draft:
            params["version"] = "beta"
        return redirect(add_query(app.login_uri, params))

    def _to_redirect_uri(self, app_id: str, seller_id: str, redirect_uri: str, state: str):
        code = self.state.issue_code(app_id, seller_id, redirect_uri)
        return redirect(
            add_query(
                redirect_uri,
                {"state": state, "selling_partner_id": seller_id, "spapi_oauth_code": code},
            )
        )

    # -- pages ---------------------------------------------------------------

    def index(self, request: Request) -> Response:
        return html_response(200, pages.index_page())

    @_with_session
    def consent(self, request: Request, session: Session) -> Response:
        app = self._app(request.query.get("application_id"))
        self._require_beta(app, request)
        redirect_uri = self._redirect_uri(app, request.query.get("redirect_uri"))
        state = request.query.get("state")
        if not state:
            raise Halt(_error("The request has no state parameter."))
        session.consent = ConsentRequest(
            app.application_id, state, redirect_uri, beta=request.query.get("version") == "beta"
        )
        self._signed_in(session, return_to=REVIEW_PATH)
        return redirect(REVIEW_PATH)

    @_with_session
    def signin_form(self, request: Request, session: Session) -> Response:
        return html_response(200, pages.signin_page())

    @_with_session
    def signin(self, request: Request, session: Session) -> Response:
        form = request.form()
        email = form.get("email", "")
        seller = self.state.seller_by_email(email)
        # One message for both mistakes, as not to reveal which emails exist.
        if seller is None or not secrets.compare_digest(
            seller.password.encode(), form.get("password", "").encode()
        ):
            return html_response(
                200, pages.signin_page("Your email or password is incorrect.", email)
            )
        session.selling_partner_id = None
        session.mfa_seller = seller.selling_partner_id
        return redirect("/ap/mfa")

    @_with_session
    def mfa_form(self, request: Request, session: Session) -> Response:
        if session.mfa_seller is None:
            return redirect("/ap/signin")
        return html_response(200, pages.mfa_page())

    @_with_session
    def mfa(self, request: Request, session: Session) -> Response:
        seller = self.state.sellers.get(session.mfa_seller or "")
        if seller is None:
            return redirect("/ap/signin")
        if not secrets.compare_digest(seller.otp.encode(), request.form().get("otp", "").encode()):
            return html_response(
                200, pages.mfa_page("The code you entered is not valid. Please try again.")
            )
        session.mfa_seller = None
        session.selling_partner_id = seller.selling_partner_id
        target, session.return_to = session.return_to, MANAGE_PATH
        return redirect(target)

    @_with_session
    def signout(self, request: Request, session: Session) -> Response:
        session.selling_partner_id = session.mfa_seller = session.consent = None
        return redirect("/ap/signin")

    @_with_session
    def review_form(self, request: Request, session: Session) -> Response:
        seller = self._signed_in(session, return_to=REVIEW_PATH)
        consent = self._pending_consent(session)
        return html_response(200, pages.consent_page(self._app(consent.application_id), seller))

    @_with_session
    def review(self, request: Request, session: Session) -> Response:
        """Next or Cancel on the consent page.

        Amazon documents no cancel outcome.  We assume the OAuth 2.0 one
        (RFC 6749 section 4.1.2.1): back to the redirect URI with the app's
        ``state`` and ``error=access_denied``.
        """
        seller = self._signed_in(session, return_to=REVIEW_PATH)
        consent = self._pending_consent(session)
        app = self._app(consent.application_id)
        form = request.form()
        action = form.get("action")
        if action == "cancel":
            session.consent = None
            return redirect(
                add_query(
                    consent.redirect_uri,
                    {
                        "state": consent.state,
                        "error": "access_denied",
                        "error_description": "The seller did not authorize the application.",
                    },
                )
            )
        if action != "next":
            return _error("Choose Next or Cancel.")
        if not form.get("understand"):
            return html_response(
                200,
                pages.consent_page(
                    app, seller, "Please confirm that you understand before you continue."
                ),
            )
        consent.consented = True
        return redirect(CONTINUE_PATH)

    @_with_session
    def continue_form(self, request: Request, session: Session) -> Response:
        self._signed_in(session, return_to=REVIEW_PATH)
        consent = self._pending_consent(session, consented=True)
        return html_response(200, pages.almost_done_page(self._app(consent.application_id)))

    @_with_session
    def continue_(self, request: Request, session: Session) -> Response:
        seller = self._signed_in(session, return_to=REVIEW_PATH)
        consent = self._pending_consent(session, consented=True)
        app = self._app(consent.application_id)
        session.consent = None
        if app.login_uri:
            return self._to_login_uri(app, seller, consent.redirect_uri, session)
        # No log-in URI: the 2021 guide's flow, consent straight to the redirect URI.
        return self._to_redirect_uri(
            app.application_id, seller.selling_partner_id, consent.redirect_uri, consent.state
        )

    @_with_session
    def confirm(self, request: Request, session: Session, application_id: str) -> Response:
        """The ``amazon_callback_uri`` an app's log-in URI sends the browser back to (in the browser that
        consented: ``amazon_state`` is bound to its Seller Central session)."""
        app = self._app(application_id)
        self._require_beta(app, request)
        query = request.query
        if not query.get("amazon_state") or not query.get("state"):
            return _error("The request needs amazon_state and state parameters.")
        given_redirect_uri = query.get("redirect_uri")
        if given_redirect_uri is not None:
            self._redirect_uri(app, given_redirect_uri)
        ticket = self.state.redeem_amazon_state(query["amazon_state"], app.application_id, session.id)
        if ticket is None:
            return _error(
                "This authorization request has expired or was already used. "
                "Please start again from Seller Central."
            )
        return self._to_redirect_uri(
            app.application_id,
            ticket.selling_partner_id,
            given_redirect_uri or ticket.redirect_uri,
            query["state"],
        )

    @_with_session
    def manage(self, request: Request, session: Session) -> Response:
        seller = self._signed_in(session, return_to=MANAGE_PATH)
        apps = self.state.authorized_apps(seller.selling_partner_id)
        return html_response(200, pages.manage_page(seller, apps))

    def _authorized_app(self, request: Request, seller: Seller) -> App:
        application_id = request.form().get("application_id")
        for app, _ in self.state.authorized_apps(seller.selling_partner_id):
            if app.application_id == application_id:
                return app
        raise Halt(_error("You have not authorized this application."))

    @_with_session
    def reauthorize(self, request: Request, session: Session) -> Response:
        """Re-Authorize: the Appstore flow, straight to the app's log-in URI."""
        seller = self._signed_in(session, return_to=MANAGE_PATH)
        app = self._authorized_app(request, seller)
        if not app.login_uri:
            return _error("This application has no log-in URI, so it cannot be re-authorized.")
        return self._to_login_uri(app, seller, app.redirect_uris[0], session)

    @_with_session
    def revoke(self, request: Request, session: Session) -> Response:
        seller = self._signed_in(session, return_to=MANAGE_PATH)
        app = self._authorized_app(request, seller)
        self.state.revoke(seller.selling_partner_id, app.application_id)
        return redirect(MANAGE_PATH)
