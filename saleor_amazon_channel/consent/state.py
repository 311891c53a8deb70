"""The consent's signed values and browser binding, as pure functions (no database, no request).

- ``state``: what we hand Amazon and Amazon hands back to the Redirect URI:
  ``signing.dumps({"p": pending pk, "n": nonce})`` with its own salt, dated at the pending
  row's creation, valid :data:`PENDING_LIFETIME`.
- tickets: signed (dated) and encrypted values. The *start ticket* (``amazonStoreConnect`` →
  ``oauth/start``) names the pending row and its requestor, valid 2 minutes; the *Log-in
  ticket* carries Amazon's Log-in URI parameters to the Dashboard; the *confirmation
  request* carries them, with the consent they are about, through the plugin's own
  confirmation page.
- the browser binding: one HttpOnly cookie per consent (``amazon_channel_consent_<pk>``)
  holding a random secret; the row keeps its SHA-256. A cookie is only ever looked up by the
  consent a signed value names, or all of them at once (no truncation), never "the newest ten".
- the confirmation's CSRF token: an HMAC of the confirmation request under the browser's
  own cookie secret, so only the browser that holds the consent's cookie and was shown the
  page can produce it.
"""

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.core import signing

from saleor_amazon_channel.core import crypto
from saleor_amazon_channel.outcomes import Outcome

# A consent must come back within this time (the state's max_age too).
PENDING_LIFETIME = timedelta(minutes=10)
MAX_AGE = int(PENDING_LIFETIME.total_seconds())

STATE_SALT = "saleor_amazon_channel.consent.views.state"
TICKET_SALT = "saleor_amazon_channel.consent.views.ticket"
LOGIN_TICKET_SALT = "saleor_amazon_channel.consent.views.amazon_login"
CONFIRM_SALT = "saleor_amazon_channel.consent.confirm"
CSRF_CONTEXT = b"saleor_amazon_channel.consent.confirm.csrf"
# The start link is opened right after the merchant clicked: a short life limits a leaked link.
TICKET_MAX_AGE = 120
# Amazon's amazon_state is short-lived too; the merchant signs in to the Dashboard within this.
LOGIN_TICKET_MAX_AGE = 15 * 60
# One cookie per consent (``…_<pending pk>``), so two consents in two tabs do not clash.
BROWSER_COOKIE_PREFIX = "amazon_channel_consent_"
MAX_COOKIE_SECRET_LENGTH = 128
MAX_PARAMETER_LENGTH = 2048
# Amazon's merchant tokens are short upper-case alphanumerics ("A3EXAMPLE12345"); anything else is not Amazon.
SELLER_ID_RE = re.compile(r"[A-Z0-9]{1,64}")


def is_seller_id(value: object) -> bool:
    """A merchant token as Amazon spells them (``fullmatch``: no trailing newline slips through)."""
    return isinstance(value, str) and SELLER_ID_RE.fullmatch(value) is not None


class BadSignedValue(Exception):
    def __init__(self, reason: Outcome, pending_pk: int | None = None):
        self.reason = reason
        self.pending_pk = pending_pk
        super().__init__(reason.value)


# -- state -----------------------------------------------------------------------


class _PendingSigner(signing.TimestampSigner):
    """Dates the state at its pending row's creation: one consent has one state (the start route and
    the Log-in URI hand Amazon the very same value), and its 10 minutes run from the start."""

    def __init__(self, created_at: datetime, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._created = int(created_at.timestamp())

    def timestamp(self) -> str:
        return signing.b62_encode(self._created)


def make_state(pk: int, nonce: str, created_at: datetime) -> str:
    """What :func:`read_state` reads back."""
    return _PendingSigner(created_at, salt=STATE_SALT).sign_object({"p": pk, "n": nonce})


def read_state(value: object) -> tuple[int, str]:
    """``(pending pk, nonce)``; raises :class:`BadSignedValue` (an expired one still names its row)."""
    return pk_and_nonce(_loads(value, STATE_SALT, MAX_AGE))


def pk_and_nonce(data: Mapping[str, Any]) -> tuple[int, str]:
    pk = _pending_pk(data)
    nonce = data.get("n")
    if pk is None or not isinstance(nonce, str):
        raise BadSignedValue(Outcome.STATE_INVALID)
    return pk, nonce


def _loads(value: object, salt: str, max_age: int) -> dict[str, Any]:
    if not isinstance(value, str) or not value or len(value) > MAX_PARAMETER_LENGTH * 3:
        raise BadSignedValue(Outcome.STATE_INVALID)
    try:
        data = signing.loads(value, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        # Authentic but old: still names its pending row.
        raise BadSignedValue(Outcome.STATE_EXPIRED, _pending_pk(_loads_quietly(value, salt))) from None
    except (signing.BadSignature, ValueError, TypeError, UnicodeError, RecursionError):
        raise BadSignedValue(Outcome.STATE_INVALID) from None
    if not isinstance(data, dict):
        raise BadSignedValue(Outcome.STATE_INVALID)
    return data


def _loads_quietly(value: str, salt: str) -> object:
    try:
        return signing.loads(value, salt=salt)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError, RecursionError):
        return None


def _pending_pk(data: object) -> int | None:
    pk = data.get("p") if isinstance(data, dict) else None
    return pk if isinstance(pk, int) and not isinstance(pk, bool) and 0 < pk < 2**31 else None


# -- tickets -------------------------------------------------------------------------


def seal(data: Mapping[str, Any], salt: str) -> str:
    """Signed (its age is checked) and encrypted, so Amazon's ``amazon_state`` inside it is not
    readable from a URL (the Dashboard's access log, the browser's history)."""
    return crypto.encrypt(signing.dumps(dict(data), salt=salt, compress=True))


def unseal(value: object, salt: str, max_age: int) -> dict[str, Any]:
    if not isinstance(value, str) or not value or len(value) > MAX_PARAMETER_LENGTH * 4:
        raise BadSignedValue(Outcome.STATE_INVALID)
    try:
        signed = crypto.decrypt(value)
    except (crypto.DecryptionError, ValueError, TypeError, UnicodeError):
        raise BadSignedValue(Outcome.STATE_INVALID) from None
    return _loads(signed, salt, max_age)


def start_ticket(pk: int, nonce: str, user_id: int | None, app_id: int | None,
                 amazon: Mapping[str, str] | None = None) -> str:
    """The ticket of ``oauth/start``; ``amazon`` (``{"cb", "as"}``) for a consent Amazon started."""
    data: dict[str, Any] = {"p": pk, "n": nonce, "u": user_id, "a": app_id}
    if amazon:
        data["cb"], data["as"] = amazon["cb"], amazon["as"]
    return seal(data, TICKET_SALT)


def read_start_ticket(value: object) -> dict[str, Any]:
    return unseal(value, TICKET_SALT, TICKET_MAX_AGE)


def amazon_request(callback: object, amazon_state: object, seller: object) -> dict[str, str]:
    """Amazon's Log-in URI parameters, checked for shape; raises :class:`BadSignedValue`."""
    if not (isinstance(callback, str) and isinstance(amazon_state, str) and is_seller_id(seller)):
        raise BadSignedValue(Outcome.STATE_INVALID)
    assert isinstance(seller, str)
    if not callback or not amazon_state or len(callback) > MAX_PARAMETER_LENGTH \
            or len(amazon_state) > MAX_PARAMETER_LENGTH:
        raise BadSignedValue(Outcome.STATE_INVALID)
    return {"cb": callback, "as": amazon_state, "sp": seller}


def login_ticket(amazon: Mapping[str, str]) -> str:
    """Amazon's request, for the Dashboard's *Authorize from Amazon* screen."""
    return seal({"cb": amazon["cb"], "as": amazon["as"], "sp": amazon["sp"]}, LOGIN_TICKET_SALT)


def read_login_ticket(value: object) -> dict[str, str]:
    data = unseal(value, LOGIN_TICKET_SALT, LOGIN_TICKET_MAX_AGE)
    return amazon_request(data.get("cb"), data.get("as"), data.get("sp"))


def confirmation_request(pk: int, nonce: str, amazon: Mapping[str, str]) -> str:
    """What the confirmation page posts back: the consent and Amazon's request, sealed together."""
    return seal({"p": pk, "n": nonce, "cb": amazon["cb"], "as": amazon["as"], "sp": amazon["sp"]}, CONFIRM_SALT)


def read_confirmation_request(value: object) -> tuple[int, str, dict[str, str]]:
    data = unseal(value, CONFIRM_SALT, MAX_AGE)
    pk, nonce = pk_and_nonce(data)
    return pk, nonce, amazon_request(data.get("cb"), data.get("as"), data.get("sp"))


# -- the browser binding ---------------------------------------------------------------


def browser_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def cookie_name(pending_pk: int) -> str:
    return f"{BROWSER_COOKIE_PREFIX}{pending_pk}"


def cookie_secret(cookies: Mapping[str, str], pending_pk: int) -> str | None:
    """The secret this browser holds for the consent ``pending_pk`` (looked up by that consent's name)."""
    secret = cookies.get(cookie_name(pending_pk))
    if not secret or len(secret) > MAX_COOKIE_SECRET_LENGTH:
        return None
    return secret


def is_bound(cookies: Mapping[str, str], pending_pk: int, stored_hash: str) -> bool:
    """Whether the browser holds the cookie its start route set for that consent (constant time)."""
    secret = cookie_secret(cookies, pending_pk)
    if secret is None or not stored_hash:
        return False
    return hmac.compare_digest(browser_hash(secret), stored_hash)


def consent_cookie_pks(names: Iterable[str]) -> set[int]:
    """Every consent this browser names a cookie for: all of them, so junk cookies hide none."""
    pks = set()
    for name in names:
        if name.startswith(BROWSER_COOKIE_PREFIX):
            suffix = name[len(BROWSER_COOKIE_PREFIX):]
            if suffix.isascii() and suffix.isdigit() and len(suffix) < 10 and 0 < int(suffix) < 2**31:
                pks.add(int(suffix))
    return pks


def csrf_token(secret: str, request: str) -> str:
    """The confirmation form's token: only the browser holding ``secret`` (its consent cookie) has it."""
    key = hmac.new(secret.encode(), CSRF_CONTEXT, hashlib.sha256).digest()
    return hmac.new(key, request.encode(), hashlib.sha256).hexdigest()


def csrf_matches(secret: str | None, request: str, token: object) -> bool:
    if secret is None or not isinstance(token, str) or len(token) != 64:
        return False
    return hmac.compare_digest(csrf_token(secret, request), token)
