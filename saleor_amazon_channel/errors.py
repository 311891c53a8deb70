"""The domain error that carries a GraphQL error code (the codes themselves: :mod:`.outcomes`)."""

from django.core.exceptions import ValidationError

from .outcomes import AmazonStoreErrorCode

__all__ = ["AmazonStoreErrorCode", "field_error"]


def field_error(field: str | None, message: str, code: AmazonStoreErrorCode) -> ValidationError:
    """A ValidationError the GraphQL layer turns into ``{field, code, message}``."""
    error = ValidationError(message, code=code.value)
    return ValidationError({field or "__all__": [error]}) if field else error
