"""The closed set of persistence failures every repository may return.

Repositories return these on the failure side of a `returns` container; they
are values, not exceptions, so callers must handle each case explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NotFound:
    """No row matched: `entity` names what was looked up, `key` the lookup value."""

    entity: str
    key: str


@dataclass(frozen=True)
class Conflict:
    """A uniqueness or optimistic-concurrency rule refused the write."""

    entity: str
    constraint: str
    detail: str


@dataclass(frozen=True)
class RuleViolated:
    """A CHECK constraint, foreign key or guard trigger refused the write."""

    constraint: str
    detail: str


@dataclass(frozen=True)
class InvalidRow:
    """A row read from the database does not match its row schema."""

    table: str
    detail: str


@dataclass(frozen=True)
class DatabaseUnavailable:
    """The database could not be reached or dropped the connection; retrying may help."""

    detail: str


PersistenceError = NotFound | Conflict | RuleViolated | InvalidRow | DatabaseUnavailable
