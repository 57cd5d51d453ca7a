"""The closed set of domain-event failures beyond the persistence errors."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


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


DomainEventError = VersionConflict | LeaseLost
