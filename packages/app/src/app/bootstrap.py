"""The composition root: the one place that wires infra.db into the application."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.errors import OperatorError
from infra.db import maintenance
from infra.db.connectivity import DatabaseUnavailableError
from infra.db.env import DatabaseSettings, MissingOwnerUrlError

INFRASTRUCTURE_FAILURES = (DatabaseUnavailableError, MissingOwnerUrlError)


@contextmanager
def operator_errors() -> Iterator[None]:
    """Re-raise infrastructure failures as OperatorError, keeping their one-line message."""
    try:
        yield
    except INFRASTRUCTURE_FAILURES as error:
        raise OperatorError(str(error)) from error


def migrate_database() -> None:
    with operator_errors():
        maintenance.migrate(DatabaseSettings())


def apply_desired_state() -> list[Path]:
    with operator_errors():
        return maintenance.apply_schemas(DatabaseSettings())
