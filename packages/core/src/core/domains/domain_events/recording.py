"""Build the event a use case appends, naming it from the registry."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from core.domains.domain_events.entities import EventPayload, NewDomainEvent
from core.domains.domain_events.registry import aggregate_type_of, event_type_of


def domain_event(
    payload: EventPayload,
    aggregate_id: UUID,
    occurred_at: datetime,
    correlation_id: UUID | None = None,
) -> NewDomainEvent:
    """The event carrying `payload`, typed and attributed to its aggregate by the registry."""
    event_type = event_type_of(payload)
    return NewDomainEvent(
        event_type=event_type,
        aggregate_type=aggregate_type_of(event_type),
        aggregate_id=aggregate_id,
        payload=payload,
        occurred_at=occurred_at,
        correlation_id=correlation_id,
    )
