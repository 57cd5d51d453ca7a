"""Row schema of `domain_events`."""

from __future__ import annotations

from uuid import UUID

from pydantic import AwareDatetime, BaseModel

from core.domains.domain_events.entities import DomainEventStatus
from infra.db.json_schema import DomainEventPayload
from infra.db.row_schemas._config import ROW_SCHEMA_CONFIG


class DomainEventsRowSchema(BaseModel):
    """One row of `domain_events`, column for column."""

    model_config = ROW_SCHEMA_CONFIG

    id: UUID
    event_type: str
    aggregate_type: str
    aggregate_id: UUID
    sequence_number: int
    payload: DomainEventPayload
    correlation_id: UUID | None
    status: DomainEventStatus
    attempts: int
    occurred_at: AwareDatetime
    published_at: AwareDatetime | None
    failed_at: AwareDatetime | None
    failure_reason: str | None
    created_at: AwareDatetime
    available_at: AwareDatetime
    locked_until: AwareDatetime | None
    last_error: str | None
