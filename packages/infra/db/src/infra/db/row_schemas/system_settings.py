"""Row schema of `system_settings`."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel

from infra.db.json_schema import SystemSettingValue
from infra.db.row_schemas._config import ROW_SCHEMA_CONFIG


class SystemSettingsRowSchema(BaseModel):
    """One row of `system_settings`, column for column."""

    model_config = ROW_SCHEMA_CONFIG

    key: str
    value: SystemSettingValue
    description: str | None
    updated_at: AwareDatetime
