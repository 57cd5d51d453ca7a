"""Domain event streams: the only writer of `domain_events`, stream reads, delivery states.

`insert_domain_event_in_transaction` numbers events per aggregate with no
duplicate and no gap under any number of concurrent writers:

1. `pg_advisory_xact_lock` keyed on (aggregate_type, aggregate_id) serializes
   the writers of one aggregate until their transactions end; writers of other
   aggregates are not blocked (a hash collision only makes two take turns).
2. A second statement inserts at the stream's version + 1. It must be a
   separate statement: under READ COMMITTED each statement sees a snapshot
   taken when it starts, so a statement that waited for the lock itself would
   still miss the event its predecessor just committed.

Run it at READ COMMITTED (the default). A REPEATABLE READ snapshot taken before
the lock would read a stale version; the unique constraint then refuses the
duplicate as a Conflict, never silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Final, final
from uuid import UUID

from returns.io import IOFailure, IOResult, IOSuccess
from returns.iterables import Fold
from returns.result import Result, Success
from sqlalchemy import (
    BigInteger,
    Connection,
    Insert,
    Text,
    Update,
    and_,
    bindparam,
    cast,
    func,
    insert,
    select,
)
from sqlalchemy.sql.elements import ColumnElement

from core.domains.domain_events.entities import NewDomainEvent, StoredDomainEvent
from core.domains.domain_events.errors import LeaseLost, VersionConflict
from core.domains.domain_events.ports import (
    AppendError,
    DeliveryError,
    DomainEventOutbox,
    DomainEventStore,
)
from core.errors import InvalidRow, NotFound, PersistenceError, RuleViolated
from infra.db.event_payloads import decode_payload, encode_payload, registered_payload_type
from infra.db.repositories import domain_event_delivery as delivery
from infra.db.repositories._statements import (
    ConnectionBound,
    affected_rows,
    execute_statement,
    fetch_all,
    fetch_by_id,
    fetch_integer,
    fetch_one,
    fetch_optional,
)
from infra.db.row_schemas.domain_events import DomainEventsRowSchema
from infra.db.schema import domain_events

APPENDED_COLUMNS: Final = (
    "event_type",
    "aggregate_type",
    "aggregate_id",
    "payload",
    "correlation_id",
    "occurred_at",
)


def insert_domain_event_in_transaction(
    tx: Connection, event: NewDomainEvent, expected_version: int | None = None
) -> IOResult[StoredDomainEvent, AppendError]:
    """Append `event` to its aggregate's stream in the caller's transaction.

    Args:
        tx: a connection inside the transaction that also holds the business write.
        event: the event; its type must be registered with its payload's class.
        expected_version: the stream's last sequence number as the caller saw it
            (0 for a new aggregate); None appends at whatever the version is.

    Returns:
        The stored event; a VersionConflict (nothing written) when the stream is
        not at `expected_version`; or a persistence error.
    """
    if not registered_payload_type(event.event_type, event.payload):
        return IOFailure(
            RuleViolated(
                "domain_events_registered_event_type",
                f"{event.event_type} is not registered for {type(event.payload).__name__}",
            )
        )
    locked: IOResult[None, AppendError] = _lock_stream(tx, event.aggregate_type, event.aggregate_id)
    return locked.bind(lambda _: _insert_next(tx, event, expected_version))


@final
class SqlDomainEventStore(ConnectionBound, DomainEventStore, DomainEventOutbox):
    """DomainEventStore and DomainEventOutbox on PostgreSQL.

    Besides the ports, it reads whole rows and claims one event out of turn:
    what the factories need.
    """

    def append(
        self, event: NewDomainEvent, expected_version: int | None = None
    ) -> IOResult[StoredDomainEvent, AppendError]:
        # The one insert path of the table (DESIGN §6), shared with writers that hold a bare
        # connection of their transaction.
        return insert_domain_event_in_transaction(self._connection, event, expected_version)

    def list_for_aggregate(
        self, aggregate_type: str, aggregate_id: UUID
    ) -> IOResult[tuple[StoredDomainEvent, ...], PersistenceError]:
        statement = (
            select(domain_events)
            .where(_stream(aggregate_type, aggregate_id))
            .order_by(domain_events.c.sequence_number)
        )
        return fetch_all(self._connection, statement, DomainEventsRowSchema).bind(
            lambda rows: IOResult.from_result(_all_stored(rows))
        )

    def get_row(self, event_id: UUID) -> IOResult[DomainEventsRowSchema, PersistenceError]:
        """One stored event as its row, for tools that need every column (factories, checks)."""
        return fetch_by_id(self._connection, domain_events, DomainEventsRowSchema, event_id)

    def claim_deliverable(
        self, limit: int, lease: timedelta
    ) -> IOResult[tuple[StoredDomainEvent, ...], PersistenceError]:
        # One statement: the rows are chosen, locked and leased together (delivery module).
        if limit < 1:
            return IOSuccess(())
        statement = delivery.claim_deliverable(limit, lease)
        return fetch_all(self._connection, statement, DomainEventsRowSchema).bind(
            lambda rows: IOResult.from_result(_all_stored(rows))
        )

    def claim_by_id(
        self, event_id: UUID, locked_until: datetime
    ) -> IOResult[StoredDomainEvent, PersistenceError]:
        """Pending -> processing for this one event, out of turn: for factories, not the outbox."""
        statement = delivery.claim_by_id(event_id, locked_until)
        return self._one(statement, NotFound("pending domain event", str(event_id)))

    def mark_published(
        self, event_id: UUID, attempt: int, published_at: datetime | None = None
    ) -> IOResult[StoredDomainEvent, DeliveryError]:
        """Processing -> published; `published_at` defaults to the database's now()."""
        values = {"status": "published", "published_at": published_at}
        return self._end_delivery(event_id, attempt, values)

    def retry_later(
        self, event_id: UUID, attempt: int, backoff: timedelta, error: str
    ) -> IOResult[StoredDomainEvent, DeliveryError]:
        values = delivery.retry_later_values(backoff, error)
        return self._end_delivery(event_id, attempt, values)

    def dead_letter(
        self, event_id: UUID, attempt: int, reason: str, failed_at: datetime | None = None
    ) -> IOResult[StoredDomainEvent, DeliveryError]:
        """Processing -> failed with `reason`; `failed_at` defaults to the database's now()."""
        values = {"status": "failed", "failure_reason": reason, "failed_at": failed_at}
        return self._end_delivery(event_id, attempt, values)

    def retry_failed(self, event_id: UUID) -> IOResult[StoredDomainEvent, PersistenceError]:
        statement = delivery.retry_failed(event_id).returning(*domain_events.c)
        return self._one(statement, NotFound("failed domain event", str(event_id)))

    def retry_all_failed(self) -> IOResult[int, PersistenceError]:
        return affected_rows(self._connection, delivery.retry_failed(None))

    def _end_delivery(
        self, event_id: UUID, attempt: int, values: Mapping[str, object]
    ) -> IOResult[StoredDomainEvent, DeliveryError]:
        statement = delivery.end_delivery(event_id, attempt, values)
        ended: IOResult[DomainEventsRowSchema | None, DeliveryError] = fetch_optional(
            self._connection, statement, DomainEventsRowSchema
        )
        return ended.bind(
            lambda row: (
                IOFailure(LeaseLost(event_id, attempt))
                if row is None
                else IOResult.from_result(to_stored_event(row))
            )
        )

    def _one(
        self, statement: Update, missing: NotFound
    ) -> IOResult[StoredDomainEvent, PersistenceError]:
        return fetch_one(self._connection, statement, DomainEventsRowSchema, missing).bind(
            lambda row: IOResult.from_result(to_stored_event(row))
        )


def _lock_stream(
    tx: Connection, aggregate_type: str, aggregate_id: UUID
) -> IOResult[None, PersistenceError]:
    parameters = {"aggregate_type": aggregate_type, "aggregate_id": aggregate_id}
    return execute_statement(tx, _LOCK_STREAM, parameters)


def _insert_next(
    tx: Connection, event: NewDomainEvent, expected_version: int | None
) -> IOResult[StoredDomainEvent, AppendError]:
    statement = _APPEND if expected_version is None else _APPEND_AT_VERSION
    parameters = {
        "event_type": event.event_type,
        "aggregate_type": event.aggregate_type,
        "aggregate_id": event.aggregate_id,
        "payload": encode_payload(event.payload),
        "correlation_id": event.correlation_id,
        "occurred_at": event.occurred_at,
        "expected_version": expected_version,
    }
    inserted: IOResult[DomainEventsRowSchema | None, AppendError] = fetch_optional(
        tx, statement, DomainEventsRowSchema, parameters
    )
    return inserted.bind(
        lambda row: (
            _conflict(tx, event, expected_version)
            if row is None
            else IOResult.from_result(to_stored_event(row))
        )
    )


def _stream_version(
    connection: Connection, aggregate_type: str, aggregate_id: UUID
) -> IOResult[int, PersistenceError]:
    statement = select(_version_of(aggregate_type, aggregate_id))
    return fetch_integer(connection, statement)


def _version_of(
    aggregate_type: str | ColumnElement[str], aggregate_id: UUID | ColumnElement[UUID]
) -> ColumnElement[int]:
    # Values or bind parameters: the prebuilt append statements bind them per call.
    return (
        select(func.coalesce(func.max(domain_events.c.sequence_number), 0))
        .where(_stream(aggregate_type, aggregate_id))
        .scalar_subquery()
    )


def _stream(
    aggregate_type: str | ColumnElement[str], aggregate_id: UUID | ColumnElement[UUID]
) -> ColumnElement[bool]:
    return and_(
        domain_events.c.aggregate_type == aggregate_type,
        domain_events.c.aggregate_id == aggregate_id,
    )


def _append_statement(*, at_expected_version: bool) -> Insert:
    # Reading the version and inserting after it in one statement makes the
    # number assigned and the version checked come from the same snapshot.
    version = _version_of(
        bindparam("aggregate_type", type_=Text), bindparam("aggregate_id", type_=_UUID)
    )
    source = select(
        *(bindparam(name, type_=domain_events.c[name].type) for name in APPENDED_COLUMNS),
        version + 1,
    )
    if at_expected_version:
        source = source.where(version == bindparam("expected_version", type_=BigInteger))
    return (
        insert(domain_events)
        .from_select([*APPENDED_COLUMNS, "sequence_number"], source)
        .returning(*domain_events.c)
    )


_UUID = domain_events.c.aggregate_id.type
# Built once: appends are the hot path, and a prebuilt statement skips both
# construction and compilation (SQLAlchemy caches the compiled form).
_APPEND: Final = _append_statement(at_expected_version=False)
_APPEND_AT_VERSION: Final = _append_statement(at_expected_version=True)
# The two-key form of the lock: 32-bit hashes of the aggregate type and id.
_LOCK_STREAM: Final = select(
    func.pg_advisory_xact_lock(
        func.hashtext(bindparam("aggregate_type", type_=Text)),
        func.hashtext(cast(bindparam("aggregate_id", type_=_UUID), Text)),
    )
)


def _conflict(
    tx: Connection, event: NewDomainEvent, expected_version: int | None
) -> IOResult[StoredDomainEvent, AppendError]:
    # Only reached when the expected version did not match: report the actual one.
    actual: IOResult[int, AppendError] = _stream_version(
        tx, event.aggregate_type, event.aggregate_id
    )
    return actual.bind(
        lambda version: IOFailure(
            VersionConflict(
                event.aggregate_type, event.aggregate_id, expected_version or 0, version
            )
        )
    )


def to_stored_event(row: DomainEventsRowSchema) -> Result[StoredDomainEvent, PersistenceError]:
    """The stored event with its payload decoded into the registered class."""
    return (
        decode_payload(row.event_type, row.payload)
        .alt(lambda reason: InvalidRow("domain_events", reason))
        .map(
            lambda payload: StoredDomainEvent(
                id=row.id,
                event_type=row.event_type,
                aggregate_type=row.aggregate_type,
                aggregate_id=row.aggregate_id,
                sequence_number=row.sequence_number,
                payload=payload,
                correlation_id=row.correlation_id,
                status=row.status,
                attempts=row.attempts,
                occurred_at=row.occurred_at,
                published_at=row.published_at,
                failed_at=row.failed_at,
                failure_reason=row.failure_reason,
                created_at=row.created_at,
                available_at=row.available_at,
                locked_until=row.locked_until,
                last_error=row.last_error,
            )
        )
    )


def _all_stored(
    rows: tuple[DomainEventsRowSchema, ...],
) -> Result[tuple[StoredDomainEvent, ...], PersistenceError]:
    return Fold.collect(map(to_stored_event, rows), Success(()))
