"""The one place database errors become persistence errors: by SQLSTATE and constraint name.

Message text is never inspected for meaning (it changes with the server's
version and locale); it only travels along as `detail` for people to read.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from core.errors import Conflict, DatabaseUnavailable, PersistenceError, RuleViolated

UNIQUE_VIOLATION: Final = "23505"
EXCLUSION_VIOLATION: Final = "23P01"
RULE_VIOLATIONS: Final = frozenset(
    {
        "23502",  # not_null_violation
        "23503",  # foreign_key_violation
        "23514",  # check_violation, also raised by the guard triggers
        "22001",  # string_data_right_truncation
        "22P02",  # invalid_text_representation (an enum value the type does not have)
    }
)
# Transient: the transaction may succeed when run again.
RETRYABLE: Final = frozenset({"40001", "40P01", "55P03"})
# Connection exception, insufficient resources, operator intervention (shutdown, cancel).
UNAVAILABLE_CLASSES: Final = frozenset({"08", "53", "57"})


def translate_database_error(error: DBAPIError) -> PersistenceError | None:
    """The named error for an expected failure; None for a bug the caller should raise."""
    original = error.orig
    sqlstate: str | None = getattr(original, "sqlstate", None)
    diag = getattr(original, "diag", None)
    constraint = getattr(diag, "constraint_name", None) or ""
    table = getattr(diag, "table_name", None) or ""
    detail = _first_line(original if original is not None else error)
    if error.connection_invalidated or (
        sqlstate is None and isinstance(error, OperationalError | InterfaceError)
    ):
        return DatabaseUnavailable(detail)
    if sqlstate is None:
        return None
    if sqlstate in {UNIQUE_VIOLATION, EXCLUSION_VIOLATION}:
        return Conflict(entity=table, constraint=constraint, detail=detail)
    if sqlstate in RULE_VIOLATIONS:
        return RuleViolated(constraint=constraint, detail=detail)
    if sqlstate in RETRYABLE or sqlstate[:2] in UNAVAILABLE_CLASSES:
        return DatabaseUnavailable(f"{sqlstate}: {detail}")
    return None


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
