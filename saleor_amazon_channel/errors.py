"""Error codes the GraphQL API returns, and the domain error that carries one."""

from enum import Enum

from django.core.exceptions import ValidationError


class AmazonStoreErrorCode(Enum):
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    UNIQUE = "unique"
    IMMUTABLE = "immutable"
    PLUGIN_NOT_CONFIGURED = "plugin_not_configured"
    NOT_CONNECTED = "not_connected"
    ALREADY_CONNECTED = "already_connected"
    SELLER_MISMATCH = "seller_mismatch"
    AMAZON_UNAVAILABLE = "amazon_unavailable"
    AUTHORIZATION_REVOKED = "authorization_revoked"
    MARKETPLACE_NOT_PARTICIPATING = "marketplace_not_participating"


def field_error(field: str | None, message: str, code: AmazonStoreErrorCode) -> ValidationError:
    """A ValidationError the GraphQL layer turns into ``{field, code, message}``."""
    error = ValidationError(message, code=code.value)
    return ValidationError({field or "__all__": [error]}) if field else error
