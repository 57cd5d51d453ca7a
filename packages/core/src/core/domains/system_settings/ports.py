"""Ports of the system settings domain."""

from __future__ import annotations

from typing import Protocol

from returns.io import IOResult

from core.domains.system_settings.entities import SystemSetting
from core.errors import PersistenceError
from core.json import JsonValue


class SystemSettingsRepository(Protocol):
    """Reads and writes settings by key."""

    def get(self, key: str) -> IOResult[SystemSetting, PersistenceError]:
        """The setting under this key, or NotFound."""
        ...

    def upsert(
        self, key: str, value: JsonValue, description: str | None = None
    ) -> IOResult[SystemSetting, PersistenceError]:
        """Create or replace the setting; a None description keeps the stored one."""
        ...
