"""The closed set of domain-event failures beyond the persistence errors."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from core.domains.domain_events.entities import DomainEventStatus


@dataclass(frozen=True)
class VersionConflict:
    """The aggregate moved on: its stream is at `actual`, the writer expected `expected`."""

    aggregate_type: str
    aggregate_id: UUID
    expected: int
    actual: int


@dataclass(frozen=True)
class LeaseLost:
    """The event is no longer processing under the lease of this attempt.

    Its lease ran out and another claim took it over (so the other claimer now
    decides how its delivery ends), or it is not processing at all.
    """

    event_id: UUID
    attempt: int


@dataclass(frozen=True)
class NotDeadLettered:
    """An operator's retry was asked for an event that is not a dead letter (not failed)."""

    event_id: UUID
    status: DomainEventStatus


DomainEventError = VersionConflict | LeaseLost | NotDeadLettered
