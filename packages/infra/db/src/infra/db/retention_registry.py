"""The retention registry: each prunable table's logical name, prune and count functions, default.

One tuple, kept in step with RETENTION_DEFAULTS and the generated desired-state
SQL by the invariant checker (RT001). The adapters at the bottom give the
Temporal activities core's RetentionTarget / RetentionSettingsReader ports, each
call in its own short transaction so a prune never holds locks between batches.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from returns.io import IOResult
from sqlalchemy import Connection, Engine

from core.errors import PersistenceError
from core.retention.policy import RetentionRule, RetentionSettings
from core.retention.ports import RetentionSettingsReader, RetentionTarget
from infra.db.provider import engine_transaction, run_in_transaction
from infra.db.repositories.auth_audit_events import count_audit_events_to_prune, prune_audit_events
from infra.db.repositories.domain_events import count_published_to_prune, prune_published
from infra.db.repositories.invitations import count_terminal_to_prune, prune_terminal
from infra.db.repositories.system_settings import get_retention_settings
from infra.db.system_settings_defaults import RETENTION_DEFAULTS

PruneFunction = Callable[[Connection, datetime, int], IOResult[int, PersistenceError]]
CountFunction = Callable[[Connection, datetime], IOResult[int, PersistenceError]]


@dataclass(frozen=True)
class RetentionRegistryEntry:
    """One prunable table: how to prune a batch, how to count, and its default rule."""

    name: str
    prune: PruneFunction
    count: CountFunction
    default: RetentionRule


RETENTION_REGISTRY: Final[tuple[RetentionRegistryEntry, ...]] = (
    RetentionRegistryEntry(
        name="audit_events",
        prune=prune_audit_events,
        count=count_audit_events_to_prune,
        default=RETENTION_DEFAULTS["audit_events"],
    ),
    RetentionRegistryEntry(
        name="invitations",
        prune=prune_terminal,
        count=count_terminal_to_prune,
        default=RETENTION_DEFAULTS["invitations"],
    ),
    RetentionRegistryEntry(
        name="domain_events",
        prune=prune_published,
        count=count_published_to_prune,
        default=RETENTION_DEFAULTS["domain_events"],
    ),
)


class EngineRetentionTarget:
    """RetentionTarget for one registry entry; every call is its own transaction."""

    def __init__(self, engine: Engine, entry: RetentionRegistryEntry) -> None:
        self._scope = engine_transaction(engine)
        self._entry = entry

    @property
    def name(self) -> str:
        return self._entry.name

    def prune_batch(self, older_than: datetime, batch_size: int) -> IOResult[int, PersistenceError]:
        return run_in_transaction(
            self._scope, lambda connection: self._entry.prune(connection, older_than, batch_size)
        )

    def count_expired(self, older_than: datetime) -> IOResult[int, PersistenceError]:
        return run_in_transaction(
            self._scope, lambda connection: self._entry.count(connection, older_than)
        )


class EngineRetentionSettingsReader:
    """RetentionSettingsReader reading the `retention` setting in a short transaction."""

    def __init__(self, engine: Engine) -> None:
        self._scope = engine_transaction(engine)

    def get_retention_settings(self) -> IOResult[RetentionSettings, PersistenceError]:
        return run_in_transaction(self._scope, get_retention_settings)


def retention_targets(engine: Engine) -> Mapping[str, RetentionTarget]:
    """Every registered table's RetentionTarget, by logical name, in registry order."""
    return {entry.name: EngineRetentionTarget(engine, entry) for entry in RETENTION_REGISTRY}


_SATISFIES_TARGET: Final[type[RetentionTarget]] = EngineRetentionTarget
_SATISFIES_READER: Final[type[RetentionSettingsReader]] = EngineRetentionSettingsReader
