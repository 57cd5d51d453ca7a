"""Ports of the domain event stream and of its delivery (the outbox)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Protocol, TypeVar
from uuid import UUID

from returns.io import IOResult

from core.domains.domain_events.entities import NewDomainEvent, OutboxStatus, StoredDomainEvent
from core.domains.domain_events.errors import LeaseLost, VersionConflict
from core.errors import PersistenceError

AppendError = PersistenceError | VersionConflict
DeliveryError = PersistenceError | LeaseLost
Value = TypeVar("Value")
Failure = TypeVar("Failure")


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


class DomainEventOutbox(Protocol):
    """Hands deliverable events out under a lease and records how each delivery ended.

    `attempt` is the claimed event's `attempts`: it names the lease, so a claimer
    whose lease was taken over cannot end the new claimer's delivery.
    """

    def claim_deliverable(
        self, limit: int, lease: timedelta
    ) -> IOResult[tuple[StoredDomainEvent, ...], PersistenceError]:
        """Up to `limit` deliverable events, moved to processing for `lease`, one attempt more."""
        ...

    def mark_published(
        self, event_id: UUID, attempt: int
    ) -> IOResult[StoredDomainEvent, DeliveryError]:
        """Processing -> published: the handler succeeded."""
        ...

    def mark_all_published(
        self, leases: Sequence[tuple[UUID, int]]
    ) -> IOResult[frozenset[UUID], PersistenceError]:
        """Processing -> published for each (event id, attempt) still leased, in one write;
        the ids published (an event whose lease was lost is left to its new claimer)."""
        ...

    def retry_later(
        self, event_id: UUID, attempt: int, backoff: timedelta, error: str
    ) -> IOResult[StoredDomainEvent, DeliveryError]:
        """Processing -> pending, deliverable again after `backoff`; `error` is kept."""
        ...

    def dead_letter(
        self, event_id: UUID, attempt: int, reason: str
    ) -> IOResult[StoredDomainEvent, DeliveryError]:
        """Processing -> failed with `reason`: no more automatic attempts."""
        ...

    def retry_failed(self, event_id: UUID) -> IOResult[StoredDomainEvent, PersistenceError]:
        """An operator's retry: failed -> pending, deliverable now; NotFound unless failed."""
        ...

    def retry_all_failed(self) -> IOResult[int, PersistenceError]:
        """An operator's retry of every failed event; how many were retried."""
        ...

    def get(self, event_id: UUID) -> IOResult[StoredDomainEvent, PersistenceError]:
        """One event with its delivery state; NotFound when there is none."""
        ...

    def status(self) -> IOResult[OutboxStatus, PersistenceError]:
        """Events per status and the age of the oldest deliverable one, in one read."""
        ...


class OutboxTransactions(Protocol):
    """The outbox bound per transaction: `run(work)` commits what `work` did if it succeeded."""

    def run(
        self, work: Callable[[DomainEventOutbox], IOResult[Value, Failure]]
    ) -> IOResult[Value, Failure | PersistenceError]:
        """Run `work` on the outbox in one transaction of its own."""
        ...


class CommitWakeups(Protocol):
    """Tells a waiting relay that domain events were committed, without polling the table."""

    def wait(self, timeout: timedelta) -> IOResult[bool, PersistenceError]:
        """Block until an event commits (True) or `timeout` passes (False).

        A commit since the previous call counts: nothing committed after the
        listening began is missed, only several commits may be told as one.
        """
        ...
