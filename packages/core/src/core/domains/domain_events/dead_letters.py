"""An operator's retry of one dead letter, refused with the reason when it cannot be one.

The outbox's `retry_failed` only says that no failed event has the id; an operator
needs to know whether the id is unknown or the event is simply not failed.
"""

from __future__ import annotations

from uuid import UUID

from returns.io import IOFailure, IOResult

from core.domains.domain_events.entities import StoredDomainEvent
from core.domains.domain_events.errors import NotDeadLettered
from core.domains.domain_events.ports import DomainEventOutbox
from core.errors import NotFound, PersistenceError

RetryDeadLetterError = PersistenceError | NotDeadLettered


def retry_dead_letter(
    outbox: DomainEventOutbox, event_id: UUID
) -> IOResult[StoredDomainEvent, RetryDeadLetterError]:
    """Failed -> pending, deliverable now; NotDeadLettered when the event is in another
    state, NotFound when there is no such event."""
    retried: IOResult[StoredDomainEvent, RetryDeadLetterError] = outbox.retry_failed(event_id)
    return retried.lash(
        lambda error: (
            _why_not(outbox, event_id) if isinstance(error, NotFound) else IOFailure(error)
        )
    )


def _why_not(
    outbox: DomainEventOutbox, event_id: UUID
) -> IOResult[StoredDomainEvent, RetryDeadLetterError]:
    found: IOResult[StoredDomainEvent, RetryDeadLetterError] = outbox.get(event_id)
    return found.bind(lambda event: IOFailure(NotDeadLettered(event.id, event.status)))
