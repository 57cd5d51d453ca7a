"""Appending a use case's event inside its unit of work."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from returns.io import IOResult

from core.domains.domain_events.entities import EventPayload, StoredDomainEvent
from core.domains.domain_events.ports import AppendError
from core.event_registry import domain_event
from core.unit_of_work import Repositories


def append_event(
    repos: Repositories,
    payload: EventPayload,
    aggregate_id: UUID,
    occurred_at: datetime,
    correlation_id: UUID | None,
) -> IOResult[StoredDomainEvent, AppendError]:
    """Append the registered event for `payload` to its aggregate's stream."""
    event = domain_event(payload, aggregate_id, occurred_at, correlation_id)
    return repos.domain_events.append(event)
