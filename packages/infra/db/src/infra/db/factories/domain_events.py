"""Factory of `domain_events` rows, persisted through the one writer of the table.

`create` appends through the store (`insert_domain_event_in_transaction`), so the stream
assigns `sequence_number` (and the server `created_at`), then moves the event
along its delivery states up to the requested `status`: claimed (until
`locked_until`), then published or dead-lettered at the row's times.
`available_at` is the server's, set on append like `created_at`.
"""

from __future__ import annotations

from datetime import timedelta

import factory
from returns.io import IOResult
from returns.result import Failure
from sqlalchemy import Connection

from core.domains.domain_events.entities import NewDomainEvent, StoredDomainEvent
from core.domains.domain_events.ports import AppendError, DeliveryError
from core.errors import InvalidRow
from infra.db.event_payloads import decode_payload
from infra.db.factories._base import RowFactory, later, persisted, timestamp, uuid
from infra.db.repositories.domain_events import SqlDomainEventStore
from infra.db.row_schemas.domain_events import DomainEventsRowSchema
from infra.db.schema import domain_events

ONE_HOUR = timedelta(hours=1)
PersistError = AppendError | DeliveryError


class DomainEventsFactory(RowFactory[DomainEventsRowSchema]):
    class Meta:
        model = DomainEventsRowSchema

    _table = domain_events

    id = uuid()
    event_type = "organization.created"
    aggregate_type = "organization"
    aggregate_id = uuid()
    sequence_number = 1
    payload = factory.LazyAttribute(
        lambda row: {
            "organization_id": str(row.aggregate_id),
            "name": "Example Ltd",
            "billing_email": f"billing.{row.aggregate_id.hex[:12]}@example.test",
        }
    )
    correlation_id = None
    status = "pending"
    attempts = factory.LazyAttribute(lambda row: 0 if row.status == "pending" else 1)
    occurred_at = timestamp()
    published_at = factory.LazyAttribute(
        lambda row: row.occurred_at + ONE_HOUR if row.status == "published" else None
    )
    failed_at = factory.LazyAttribute(
        lambda row: row.occurred_at + ONE_HOUR if row.status == "failed" else None
    )
    failure_reason = factory.LazyAttribute(
        lambda row: "subscriber rejected the event" if row.status == "failed" else None
    )
    created_at = later("occurred_at", timedelta(0))
    available_at = later("created_at", timedelta(0))
    locked_until = factory.LazyAttribute(
        lambda row: row.occurred_at + ONE_HOUR if row.status == "processing" else None
    )
    last_error = None

    @classmethod
    def _persist(cls, connection: Connection, row: DomainEventsRowSchema) -> DomainEventsRowSchema:
        store = SqlDomainEventStore(connection)
        appended: IOResult[StoredDomainEvent, PersistError] = _append(store, row)
        stored = appended.bind(lambda event: _deliver(store, event, row))
        return persisted(stored.bind(lambda event: store.get_row(event.id)))


def _append(
    store: SqlDomainEventStore, row: DomainEventsRowSchema
) -> IOResult[StoredDomainEvent, AppendError]:
    decoded = decode_payload(row.event_type, row.payload)
    if isinstance(decoded, Failure):
        return IOResult.from_failure(InvalidRow("domain_events", decoded.failure()))
    event = NewDomainEvent(
        event_type=row.event_type,
        aggregate_type=row.aggregate_type,
        aggregate_id=row.aggregate_id,
        payload=decoded.unwrap(),
        occurred_at=row.occurred_at,
        correlation_id=row.correlation_id,
    )
    return store.append(event)


def _deliver(
    store: SqlDomainEventStore, event: StoredDomainEvent, row: DomainEventsRowSchema
) -> IOResult[StoredDomainEvent, PersistError]:
    if row.status == "pending":
        return IOResult.from_value(event)
    # Claimed by id, out of turn: the row asked for is placed, whatever else is waiting.
    claimed: IOResult[StoredDomainEvent, PersistError] = store.claim_by_id(
        event.id, row.locked_until or row.occurred_at + ONE_HOUR
    )
    if row.status == "processing":
        return claimed
    if row.status == "published":
        at = row.published_at
        return claimed.bind(lambda lease: store.mark_published(lease.id, lease.attempts, at))
    at, reason = row.failed_at, row.failure_reason or "failed"
    return claimed.bind(lambda lease: store.dead_letter(lease.id, lease.attempts, reason, at))
