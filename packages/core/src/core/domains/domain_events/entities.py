"""Domain events: facts about an aggregate, appended to its stream in sequence order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from uuid import UUID

DomainEventStatus = Literal["pending", "processing", "published", "failed"]


@dataclass(frozen=True)
class EventPayload:
    """Base of every registered payload: a frozen dataclass of JSON-friendly fields."""


@dataclass(frozen=True)
class NewDomainEvent:
    """An event about to be appended; the store assigns its sequence number."""

    event_type: str
    aggregate_type: str
    aggregate_id: UUID
    payload: EventPayload
    occurred_at: datetime
    correlation_id: UUID | None = None


@dataclass(frozen=True)
class StoredDomainEvent:
    """An appended event with its position in the aggregate's stream and its delivery state."""

    id: UUID
    event_type: str
    aggregate_type: str
    aggregate_id: UUID
    sequence_number: int
    payload: EventPayload
    correlation_id: UUID | None
    status: DomainEventStatus
    attempts: int
    occurred_at: datetime
    published_at: datetime | None
    failed_at: datetime | None
    failure_reason: str | None
    created_at: datetime
    available_at: datetime
    locked_until: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class OutboxStatus:
    """How far delivery has got: events per status, and how long the next one has waited.

    `oldest_deliverable_age` is read on the database's clock: how long ago the
    event the next claim would take first became deliverable (its `available_at`,
    or the end of an expired lease); None when no event is deliverable.
    """

    pending: int
    processing: int
    published: int
    failed: int
    oldest_deliverable_age: timedelta | None

    @property
    def dead_letters(self) -> int:
        """Failed events: no more automatic attempts, only an operator's retry moves them."""
        return self.failed
