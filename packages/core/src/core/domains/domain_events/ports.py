"""Ports of the domain event stream."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from returns.io import IOResult

from core.domains.domain_events.entities import NewDomainEvent, StoredDomainEvent
from core.domains.domain_events.errors import VersionConflict
from core.errors import PersistenceError

AppendError = PersistenceError | VersionConflict


class DomainEventStore(Protocol):
    """Appends events to their aggregate's stream and reads streams back in order."""

    def append(
        self, event: NewDomainEvent, expected_version: int | None = None
    ) -> IOResult[StoredDomainEvent, AppendError]:
        """Append with the next sequence number; refuse when the stream is not at the version."""
        ...

    def list_for_aggregate(
        self, aggregate_type: str, aggregate_id: UUID
    ) -> IOResult[tuple[StoredDomainEvent, ...], PersistenceError]:
        """Every event of one aggregate, by sequence number."""
        ...
