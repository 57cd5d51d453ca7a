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


DomainEventError = VersionConflict
