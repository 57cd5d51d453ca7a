"""Retention on PostgreSQL: the declared targets and the settings reader.

Each call runs in its own short transaction of a scope (on an engine in
production), so a prune never holds locks between batches.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import final

from returns.io import IOResult
from sqlalchemy import Engine, select

from core.errors import PersistenceError
from core.retention.policy import (
    RETENTION_SETTING_KEY,
    RetentionSettings,
    parse_retention_settings,
    parse_stored_retention_settings,
)
from core.retention.ports import RetentionSettingsReader, RetentionTarget
from infra.db.repositories._statements import affected_rows, fetch_integer, fetch_optional
from infra.db.retention.targets import (
    RETENTION_DEFAULTS,
    RETENTION_TARGETS,
    RetentionTargetDeclaration,
)
from infra.db.row_schemas.system_settings import SystemSettingsRowSchema
from infra.db.schema import system_settings
from infra.db.transactions import TransactionScope, engine_transaction, run_in_transaction


@final
class SqlRetentionTarget(RetentionTarget):
    """RetentionTarget for one declared target."""

    def __init__(self, scope: TransactionScope, declaration: RetentionTargetDeclaration) -> None:
        self._scope = scope
        self._declaration = declaration

    @property
    def name(self) -> str:
        return self._declaration.name

    def prune_batch(self, older_than: datetime, batch_size: int) -> IOResult[int, PersistenceError]:
        statement = self._declaration.prune(older_than, batch_size)
        return run_in_transaction(
            self._scope, lambda connection: affected_rows(connection, statement)
        )

    def count_expired(self, older_than: datetime) -> IOResult[int, PersistenceError]:
        statement = self._declaration.count(older_than)
        return run_in_transaction(
            self._scope, lambda connection: fetch_integer(connection, statement)
        )


@final
class SqlRetentionSettingsReader(RetentionSettingsReader):
    """RetentionSettingsReader reading the `retention` setting."""

    def __init__(self, scope: TransactionScope) -> None:
        self._scope = scope

    @classmethod
    def on_engine(cls, engine: Engine) -> SqlRetentionSettingsReader:
        return cls(engine_transaction(engine))

    def get_retention_settings(self) -> IOResult[RetentionSettings, PersistenceError]:
        """The usable rules; an absent key gives none, malformed entries are reported."""
        statement = select(system_settings).where(system_settings.c.key == RETENTION_SETTING_KEY)
        return run_in_transaction(
            self._scope,
            lambda connection: fetch_optional(connection, statement, SystemSettingsRowSchema),
        ).map(_parse_retention)


def retention_targets(engine: Engine) -> Mapping[str, RetentionTarget]:
    """Every declared target's RetentionTarget, by logical name, in declaration order."""
    scope = engine_transaction(engine)
    return {target.name: SqlRetentionTarget(scope, target) for target in RETENTION_TARGETS}


def _parse_retention(row: SystemSettingsRowSchema | None) -> RetentionSettings:
    if row is None:
        return parse_retention_settings(None, RETENTION_DEFAULTS.keys())
    return parse_stored_retention_settings(row.value, RETENTION_DEFAULTS.keys())
