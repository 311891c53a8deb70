"""The plugin's configuration, as a merchant sets it on Saleor's plugin page.

Saleor hands plugins their configuration as a list of ``{"name", "value"}``
dicts; :class:`AmazonChannelConfig` is the typed view of it (the openid_connect
convention). Validation lives here so the Saleor adapter and the stand-in host
reject the same values with the same messages.
"""

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings

APPLICATION_ID = "application_id"
CLIENT_ID = "lwa_client_id"
CLIENT_SECRET = "lwa_client_secret"
DRAFT_APP = "draft_app"
# Read-only field of the plugin page saying where the client secret in use comes from.
SECRET_SOURCE = "lwa_client_secret_source"

# The LWA client secret may live outside Saleor's plugin table (a Django setting, or the
# environment, e.g. from a secrets manager); when set it wins over the plugin page's value.
CLIENT_SECRET_SETTING = "AMAZON_CHANNEL_LWA_CLIENT_SECRET"
SOURCE_SETTING = "setting"
SOURCE_ENVIRONMENT = "environment"
SOURCE_PLUGIN = "plugin"
SOURCE_LABELS = {
    SOURCE_SETTING: f"The Django setting {CLIENT_SECRET_SETTING} (it overrides the field above).",
    SOURCE_ENVIRONMENT: f"The environment variable {CLIENT_SECRET_SETTING} (it overrides the field above).",
    SOURCE_PLUGIN: "The LWA client secret field above.",
    "": f"None yet: fill in the field above, or set {CLIENT_SECRET_SETTING} in the environment.",
}

# Amazon's own formats: "amzn1.sellerapps.app.<uuid>" and "amzn1.application-oa2-client.<hex>".
APPLICATION_ID_RE = re.compile(r"^amzn1\.[a-z0-9-]+(\.[a-z0-9-]+)*\.[A-Za-z0-9-]+\Z")
CLIENT_ID_RE = re.compile(r"^amzn1\.application-oa2-client\.[A-Za-z0-9]+\Z")
MAX_VALUE_LENGTH = 512

DEFAULT_CONFIGURATION = [
    {"name": APPLICATION_ID, "value": ""},
    {"name": CLIENT_ID, "value": ""},
    {"name": CLIENT_SECRET, "value": ""},
    {"name": DRAFT_APP, "value": False},
]

# Labels and help texts as the merchant reads them; the Saleor adapter adds the field types.
FIELD_HELP = {
    APPLICATION_ID: (
        "SP-API application ID",
        "From Amazon Developer Central (Seller Central > Apps and Services > Develop Apps), "
        "for example amzn1.sellerapps.app.0b1e2c3d-....",
    ),
    CLIENT_ID: (
        "LWA client ID",
        "The Login with Amazon client identifier of the application "
        "(amzn1.application-oa2-client....).",
    ),
    CLIENT_SECRET: (
        "LWA client secret",
        "The Login with Amazon client secret. Amazon asks you to rotate it every 180 days. "
        f"Leave empty when it is set as {CLIENT_SECRET_SETTING} (environment or Django setting).",
    ),
    DRAFT_APP: (
        "Draft application",
        "Enable while the application is still a Draft in Developer Central: consent links "
        "then carry version=beta, as Amazon requires.",
    ),
}


@dataclass(frozen=True)
class AmazonChannelConfig:
    application_id: str = ""
    client_id: str = ""
    client_secret: str = ""
    draft_app: bool = False
    active: bool = True
    client_secret_source: str = ""

    @classmethod
    def from_items(cls, items: Iterable[Mapping[str, Any]] | None, active: bool = True) -> "AmazonChannelConfig":
        values = {item["name"]: item.get("value") for item in items or []}
        secret, source = external_client_secret()
        if not secret:
            raw = values.get(CLIENT_SECRET)
            secret = raw.strip() if isinstance(raw, str) else ""
            source = SOURCE_PLUGIN if secret else ""
        return cls(
            application_id=(values.get(APPLICATION_ID) or "").strip(),
            client_id=(values.get(CLIENT_ID) or "").strip(),
            client_secret=secret,
            draft_app=_as_bool(values.get(DRAFT_APP)),
            active=active,
            client_secret_source=source,
        )

    @property
    def missing(self) -> list[str]:
        """The configuration fields still empty, in GraphQL's camelCase."""
        names = {
            "applicationId": self.application_id,
            "lwaClientId": self.client_id,
            "lwaClientSecret": self.client_secret,
        }
        return [name for name, value in names.items() if not value]

    @property
    def is_complete(self) -> bool:
        return not self.missing

    def __repr__(self) -> str:
        # Never let the secret reach a log line through a repr.
        secret = "***" if self.client_secret else ""
        return (
            f"AmazonChannelConfig(application_id={self.application_id!r}, client_id={self.client_id!r}, "
            f"client_secret={secret!r}, draft_app={self.draft_app}, active={self.active})"
        )


def external_client_secret() -> tuple[str, str]:
    """(secret, source) from the Django setting or the environment; ("", "") when neither is set."""
    value = getattr(settings, CLIENT_SECRET_SETTING, None)
    if isinstance(value, str) and value.strip():
        return value.strip(), SOURCE_SETTING
    value = os.environ.get(CLIENT_SECRET_SETTING, "")
    if value.strip():
        return value.strip(), SOURCE_ENVIRONMENT
    return "", ""


def secret_source_label(config: AmazonChannelConfig) -> str:
    return SOURCE_LABELS[config.client_secret_source]


def _as_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() == "true"


def validate(values: Mapping[str, Any], active: bool) -> dict[str, str]:
    """Return ``{field: message}`` for every bad value; empty when all is well.

    An inactive plugin may be saved half-configured; an active one needs the
    application ID and both LWA credentials, well formed.
    """
    errors = {}
    for name in (APPLICATION_ID, CLIENT_ID, CLIENT_SECRET):
        value = values.get(name)
        if value is not None and not isinstance(value, str):
            errors[name] = f"{FIELD_HELP[name][0]} must be text."
        elif value and len(value) > MAX_VALUE_LENGTH:
            errors[name] = f"{FIELD_HELP[name][0]} is longer than {MAX_VALUE_LENGTH} characters."
    app_id = (values.get(APPLICATION_ID) or "").strip() if APPLICATION_ID not in errors else ""
    client_id = (values.get(CLIENT_ID) or "").strip() if CLIENT_ID not in errors else ""
    if app_id and not APPLICATION_ID_RE.match(app_id):
        errors[APPLICATION_ID] = (
            "The SP-API application ID looks wrong: expected something like amzn1.sellerapps.app.<id>."
        )
    if client_id and not CLIENT_ID_RE.match(client_id):
        errors[CLIENT_ID] = (
            "The LWA client ID looks wrong: expected amzn1.application-oa2-client.<id>."
        )
    if active:
        external_secret = external_client_secret()[0]
        for name in (APPLICATION_ID, CLIENT_ID, CLIENT_SECRET):
            if name == CLIENT_SECRET and external_secret:
                continue
            if name not in errors and not (values.get(name) or "").strip():
                errors[name] = f"{FIELD_HELP[name][0]} is required to activate the plugin."
    return errors
