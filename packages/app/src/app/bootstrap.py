"""The composition root: the one place that wires infra.db into the application."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from temporalio.client import Client

from app.activities import RetentionActivities
from app.errors import OperatorError
from app.settings import TemporalSettings
from core.retention.ports import RetentionSettingsReader, RetentionTarget
from infra.db import maintenance
from infra.db.connectivity import DatabaseUnavailableError
from infra.db.engine import runtime_engine
from infra.db.env import DatabaseSettings, MissingOwnerUrlError
from infra.db.repositories import retention as retention_repository
from infra.db.retention import reconcile_sql

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


def generate_desired_state() -> tuple[Path, bool]:
    """Regenerate the desired-state SQL derived from code; return the file and if it changed."""
    changed = reconcile_sql.write_reconcile_retention_settings_sql()
    return reconcile_sql.RECONCILE_RETENTION_SETTINGS_SQL, changed


@contextmanager
def _retention_ports(
    database: DatabaseSettings | None,
) -> Iterator[tuple[RetentionSettingsReader, Mapping[str, RetentionTarget]]]:
    """The retention ports on one runtime-role engine, disposed on exit."""
    engine = runtime_engine(database or DatabaseSettings())
    try:
        yield (
            retention_repository.SqlRetentionSettingsReader.on_engine(engine),
            retention_repository.retention_targets(engine),
        )
    finally:
        engine.dispose()


@contextmanager
def retention_targets(
    database: DatabaseSettings | None = None,
) -> Iterator[Mapping[str, RetentionTarget]]:
    """Every registered table's RetentionTarget on a runtime-role engine, disposed on exit."""
    with _retention_ports(database) as (_, targets):
        yield targets


@contextmanager
def retention_activities(database: DatabaseSettings | None = None) -> Iterator[RetentionActivities]:
    """The retention activities bound to the runtime role's engine, disposed on exit."""
    with _retention_ports(database) as (settings, targets):
        yield RetentionActivities(settings, targets)


async def connect_temporal(settings: TemporalSettings) -> Client:
    """Connect to the Temporal frontend; an unreachable server is one clear line."""
    try:
        return await Client.connect(settings.address, namespace=settings.namespace)
    except RuntimeError as error:
        raise OperatorError(
            f"cannot connect to Temporal at {settings.address}: {_connect_reason(error)}"
        ) from error


def _connect_reason(error: RuntimeError) -> str:
    # The SDK reports the transport error as a Rust debug string; keep the OS message.
    found = re.search(r'message: "([^"]+)"', str(error))
    return found.group(1) if found else str(error).splitlines()[0]
