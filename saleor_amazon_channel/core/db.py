"""What the database says about a failed write, read from the error rather than its wording."""

import re

from django.db import IntegrityError

# SQLite names the index of an expression constraint in its message; it has no diagnostics.
_SQLITE_INDEX = re.compile(r"UNIQUE constraint failed: index '([^']+)'\Z")


def violated_constraint(error: IntegrityError) -> str | None:
    """The name of the constraint ``error`` violated, when the database names it."""
    diag = getattr(error.__cause__, "diag", None)  # psycopg 3 and psycopg2
    name = getattr(diag, "constraint_name", None)
    if isinstance(name, str) and name:
        return name
    match = _SQLITE_INDEX.fullmatch(str(error))
    return match.group(1) if match else None
