"""Retention on PostgreSQL: the declared targets, the ledger and the settings reader.

Each call runs in its own short transaction of a scope (on an engine in
production), so a prune never holds locks between batches; a batch and its
ledger entry share that transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, final

from pydantic import AwareDatetime, BaseModel
from returns.io import IOResult
from sqlalchemy import Connection, Engine, Select, select

from core.errors import PersistenceError
from core.retention.ledger import PrunedBatch, PrunedSoFar
from core.retention.policy import (
    RETENTION_SETTING_KEY,
    RetentionSettings,
    parse_retention_settings,
    parse_stored_retention_settings,
)
from core.retention.ports import RetentionLedger, RetentionSettingsReader, RetentionTarget
from infra.db.repositories._statements import (
    affected_rows,
    fetch_all,
    fetch_integer,
    fetch_optional,
)
from infra.db.retention.ledger import (
    batches_in_run,
    entries_of_run,
    last_prune_per_target,
    latest_entries,
    ledger_entry,
    rows_deleted_in_run,
)
from infra.db.retention.targets import (
    RETENTION_DEFAULTS,
    RETENTION_TARGETS,
    RetentionTargetDeclaration,
)
from infra.db.row_schemas._config import ROW_SCHEMA_CONFIG
from infra.db.row_schemas.retention_prune_batches import RetentionPruneBatchesRowSchema
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

    def prune_batch(
        self, older_than: datetime, batch_size: int, run_key: str
    ) -> IOResult[int, PersistenceError]:
        prune = self._declaration.prune(older_than, batch_size)

        def recorded(connection: Connection) -> IOResult[int, PersistenceError]:
            return affected_rows(connection, prune).bind(
                lambda deleted: affected_rows(
                    connection, ledger_entry(run_key, self.name, older_than, deleted)
                ).map(lambda _: deleted)
            )

        return run_in_transaction(self._scope, recorded)

    def pruned_in_run(self, run_key: str) -> IOResult[PrunedSoFar, PersistenceError]:
        deleted = rows_deleted_in_run(run_key, self.name)
        batches = batches_in_run(run_key, self.name)
        return run_in_transaction(
            self._scope,
            lambda connection: fetch_integer(connection, deleted).bind(
                lambda rows: fetch_integer(connection, batches).map(
                    lambda count: PrunedSoFar(deleted=rows, batches=count)
                )
            ),
        )

    def count_expired(self, older_than: datetime) -> IOResult[int, PersistenceError]:
        statement = self._declaration.count(older_than)
        return run_in_transaction(
            self._scope, lambda connection: fetch_integer(connection, statement)
        )


@final
class SqlRetentionSettingsReader(RetentionSettingsReader):
    """RetentionSettingsReader reading the retention setting (RETENTION_SETTING_KEY)."""

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


@final
class SqlRetentionLedger(RetentionLedger):
    """RetentionLedger reading `retention_prune_batches`."""

    def __init__(self, scope: TransactionScope) -> None:
        self._scope = scope

    @classmethod
    def on_engine(cls, engine: Engine) -> SqlRetentionLedger:
        return cls(engine_transaction(engine))

    def batches_of(self, run_key: str) -> IOResult[list[PrunedBatch], PersistenceError]:
        return self._entries(entries_of_run(run_key))

    def latest_batches(self, limit: int) -> IOResult[list[PrunedBatch], PersistenceError]:
        return self._entries(latest_entries(limit))

    def last_prunes(self) -> IOResult[Mapping[str, datetime], PersistenceError]:
        return run_in_transaction(
            self._scope,
            lambda connection: fetch_all(connection, last_prune_per_target(), LastPrune),
        ).map(lambda rows: {row.target: row.recorded_at for row in rows})

    def _entries(self, statement: Select[Any]) -> IOResult[list[PrunedBatch], PersistenceError]:
        return run_in_transaction(
            self._scope,
            lambda connection: fetch_all(connection, statement, RetentionPruneBatchesRowSchema),
        ).map(lambda rows: [_to_pruned_batch(row) for row in rows])


class LastPrune(BaseModel):
    """A row of `last_prune_per_target`."""

    model_config = ROW_SCHEMA_CONFIG

    target: str
    recorded_at: AwareDatetime


def retention_targets(engine: Engine) -> Mapping[str, RetentionTarget]:
    """Every declared target's RetentionTarget, by logical name, in declaration order."""
    scope = engine_transaction(engine)
    return {target.name: SqlRetentionTarget(scope, target) for target in RETENTION_TARGETS}


def _to_pruned_batch(row: RetentionPruneBatchesRowSchema) -> PrunedBatch:
    return PrunedBatch(
        run_key=row.run_key,
        target=row.target,
        cutoff=row.cutoff,
        rows_deleted=row.rows_deleted,
        recorded_at=row.recorded_at,
    )


def _parse_retention(row: SystemSettingsRowSchema | None) -> RetentionSettings:
    if row is None:
        return parse_retention_settings(None, RETENTION_DEFAULTS.keys())
    return parse_stored_retention_settings(row.value, RETENTION_DEFAULTS.keys())
