"""System settings: get, upsert, and the retention policy read from its setting."""

from __future__ import annotations

from typing import Final

from returns.io import IOResult
from sqlalchemy import Connection, func, select
from sqlalchemy.dialects.postgresql import insert

from core.domains.system_settings.entities import SystemSetting
from core.domains.system_settings.ports import SystemSettingsRepository
from core.errors import NotFound, PersistenceError
from core.json import JsonValue
from core.retention.policy import (
    RETENTION_SETTING_KEY,
    RetentionSettings,
    parse_retention_settings,
    parse_stored_retention_settings,
)
from infra.db.repositories._statements import fetch_one, fetch_optional
from infra.db.row_schemas.system_settings import SystemSettingsRowSchema
from infra.db.schema import system_settings
from infra.db.system_settings_defaults import RETENTION_DEFAULTS


def get(connection: Connection, key: str) -> IOResult[SystemSetting, PersistenceError]:
    """The setting under `key`, or NotFound."""
    statement = select(system_settings).where(system_settings.c.key == key)
    missing = NotFound("system_settings", key)
    return fetch_one(connection, statement, SystemSettingsRowSchema, missing).map(to_setting)


def upsert(
    connection: Connection, key: str, value: JsonValue, description: str | None = None
) -> IOResult[SystemSetting, PersistenceError]:
    """Insert or replace the value under `key`; a None description keeps the stored one."""
    proposed = insert(system_settings).values(key=key, value=value, description=description)
    statement = proposed.on_conflict_do_update(
        index_elements=[system_settings.c.key],
        set_={
            "value": proposed.excluded.value,
            "description": func.coalesce(
                proposed.excluded.description, system_settings.c.description
            ),
        },
    ).returning(*system_settings.c)
    missing = NotFound("system_settings", key)
    return fetch_one(connection, statement, SystemSettingsRowSchema, missing).map(to_setting)


def get_retention_settings(connection: Connection) -> IOResult[RetentionSettings, PersistenceError]:
    """The usable retention rules; an absent key gives none, malformed entries are reported."""
    statement = select(system_settings).where(system_settings.c.key == RETENTION_SETTING_KEY)
    return fetch_optional(connection, statement, SystemSettingsRowSchema).map(_parse_retention)


def _parse_retention(row: SystemSettingsRowSchema | None) -> RetentionSettings:
    if row is None:
        return parse_retention_settings(None, RETENTION_DEFAULTS.keys())
    return parse_stored_retention_settings(row.value, RETENTION_DEFAULTS.keys())


def to_setting(row: SystemSettingsRowSchema) -> SystemSetting:
    return SystemSetting(
        key=row.key, value=row.value, description=row.description, updated_at=row.updated_at
    )


class SqlSystemSettingsRepository:
    """SystemSettingsRepository bound to one connection (and so to its transaction)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, key: str) -> IOResult[SystemSetting, PersistenceError]:
        return get(self._connection, key)

    def upsert(
        self, key: str, value: JsonValue, description: str | None = None
    ) -> IOResult[SystemSetting, PersistenceError]:
        return upsert(self._connection, key, value, description)

    def get_retention_settings(self) -> IOResult[RetentionSettings, PersistenceError]:
        return get_retention_settings(self._connection)


_SATISFIES_PORT: Final[type[SystemSettingsRepository]] = SqlSystemSettingsRepository
