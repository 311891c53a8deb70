"""What text a merchant may type: NFC-normalised, no control or invisible characters.

Look-alike store names ("Baseline\u200b Store" beside "Baseline Store") and NUL bytes
(which PostgreSQL refuses in text) are stopped here, before any query sees them.
"""

import unicodedata

# Cc controls, Cf format characters (zero-width space and joiners, bidi overrides, BOM),
# Cs lone surrogates (not encodable in UTF-8).
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})


def normalise(value: str) -> str:
    """NFC with runs of whitespace (any Unicode space, tab, line break) collapsed to one space."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def has_refused_characters(value: str) -> bool:
    return any(unicodedata.category(character) in REFUSED_CATEGORIES for character in value)


def clean(value: str) -> str | None:
    """The normalised text, or None when it holds a refused character."""
    try:
        text = normalise(value)
    except (TypeError, ValueError):
        return None
    return None if has_refused_characters(text) else text


# Line breaks and tabs are whitespace a form may send; every other control character is refused.
_WHITESPACE_CONTROLS = frozenset("\t\n\r")


def is_refused_text(value: str) -> bool:
    """Whether any text argument of the API must refuse ``value``: a NUL or another control character
    (tabs and line breaks aside), a format character (zero-width, bidi overrides, BOM) or a lone surrogate."""
    return any(
        unicodedata.category(character) in REFUSED_CATEGORIES and character not in _WHITESPACE_CONTROLS
        for character in value
    )
