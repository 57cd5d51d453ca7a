"""Row schema of `organization_trials`."""

from __future__ import annotations

from uuid import UUID

from pydantic import AwareDatetime, BaseModel

from infra.db.row_schemas._config import ROW_SCHEMA_CONFIG


class OrganizationTrialsRowSchema(BaseModel):
    """One row of `organization_trials`, column for column."""

    model_config = ROW_SCHEMA_CONFIG

    organization_id: UUID
    started_at: AwareDatetime
    ends_at: AwareDatetime
    created_at: AwareDatetime
