"""System settings: get and upsert by key."""

from __future__ import annotations

from typing import final

from returns.io import IOResult
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from core.domains.system_settings.entities import SystemSetting
from core.domains.system_settings.ports import SystemSettingsRepository
from core.errors import NotFound, PersistenceError
from core.json import JsonValue
from infra.db.repositories._entities import EntityMapper
from infra.db.repositories._statements import ConnectionBound, fetch_one
from infra.db.row_schemas.system_settings import SystemSettingsRowSchema
from infra.db.schema import system_settings

to_setting = EntityMapper(SystemSettingsRowSchema, SystemSetting)


@final
class SqlSystemSettingsRepository(ConnectionBound, SystemSettingsRepository):
    """SystemSettingsRepository on PostgreSQL."""

    def get(self, key: str) -> IOResult[SystemSetting, PersistenceError]:
        statement = select(system_settings).where(system_settings.c.key == key)
        missing = NotFound("system_settings", key)
        return fetch_one(self._connection, statement, SystemSettingsRowSchema, missing).map(
            to_setting
        )

    def upsert(
        self, key: str, value: JsonValue, description: str | None = None
    ) -> IOResult[SystemSetting, PersistenceError]:
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
        return fetch_one(self._connection, statement, SystemSettingsRowSchema, missing).map(
            to_setting
        )
