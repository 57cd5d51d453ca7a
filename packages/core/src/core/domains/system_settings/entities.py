"""System settings: operator-editable JSON values under a dotted key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.json import JsonValue


@dataclass(frozen=True)
class SystemSetting:
    """A stored setting."""

    key: str
    value: JsonValue
    description: str | None
    updated_at: datetime
