"""Row schema of `domain_event_streams`."""

from __future__ import annotations

from uuid import UUID

from pydantic import AwareDatetime, BaseModel

from infra.db.row_schemas._config import ROW_SCHEMA_CONFIG


class DomainEventStreamsRowSchema(BaseModel):
    """One row of `domain_event_streams`, column for column."""

    model_config = ROW_SCHEMA_CONFIG

    aggregate_type: str
    aggregate_id: UUID
    version: int
    created_at: AwareDatetime
    updated_at: AwareDatetime
