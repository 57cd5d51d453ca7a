"""Row schema of `processed_events`."""

from __future__ import annotations

from uuid import UUID

from pydantic import AwareDatetime, BaseModel

from infra.db.row_schemas._config import ROW_SCHEMA_CONFIG


class ProcessedEventsRowSchema(BaseModel):
    """One row of `processed_events`, column for column."""

    model_config = ROW_SCHEMA_CONFIG

    consumer: str
    event_id: UUID
    id: UUID
    processed_at: AwareDatetime
