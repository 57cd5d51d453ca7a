"""Domain event streams: the only writer of `domain_events`, stream reads, delivery states.

`insert_domain_event_in_transaction` appends in one statement: a data-modifying
CTE moves the aggregate's row in `domain_event_streams` to its next version,
and the INSERT of the event takes that version as its `sequence_number`.

- The stream row's lock orders the writers of one aggregate: the second waits
  until the first commits or rolls back, then moves on from the version the
  first left (INSERT ... ON CONFLICT and UPDATE act on the latest committed row,
  not on the statement's snapshot). No number is given twice, and a rolled-back
  append takes its version back with it, so none is skipped. Writers of other
  aggregates lock other rows and never wait for each other.
- The expected version is a condition of that same write: nothing moves and
  nothing is inserted on a mismatch, and only then does a second statement read
  the actual version for the VersionConflict.
- Retention deletes events, never streams, so a stream pruned to empty
  continues at its old version + 1.

At REPEATABLE READ or SERIALIZABLE a concurrent append to the same stream is a
serialization failure (a retryable DatabaseUnavailable) instead of a wait.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Final, final
from uuid import UUID

from pydantic import AwareDatetime, BaseModel
from returns.io import IOFailure, IOResult, IOSuccess
from sqlalchemy import (
    CTE,
    BigInteger,
    Connection,
    Executable,
    Insert,
    Update,
    and_,
    bindparam,
    func,
    insert,
    literal,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.sql.elements import ColumnElement

from core.domains.domain_events.entities import (
    DomainEventStatus,
    NewDomainEvent,
    OutboxStatus,
    StoredDomainEvent,
)
from core.domains.domain_events.errors import LeaseLost, VersionConflict
from core.domains.domain_events.ports import (
    AppendError,
    DeliveryError,
    DomainEventOutbox,
    DomainEventStore,
)
from core.errors import NotFound, PersistenceError, RuleViolated
from core.event_registry import EVENT_PAYLOAD_TYPES
from infra.db.event_payloads import encode_payload, registered_payload_type
from infra.db.repositories import domain_event_delivery as delivery
from infra.db.repositories._entities import EntityDecoder, TaggedJson
from infra.db.repositories._statements import (
    ConnectionBound,
    affected_rows,
    fetch_by_id,
    fetch_entities,
    fetch_entity,
    fetch_integer,
    fetch_one,
    fetch_optional,
    fetch_optional_entity,
    fetch_uuids,
)
from infra.db.repositories.commit_wakeups import DOMAIN_EVENTS_CHANNEL
from infra.db.row_schemas._config import ROW_SCHEMA_CONFIG
from infra.db.row_schemas.domain_events import DomainEventsRowSchema
from infra.db.schema import domain_event_streams, domain_events

# The event's own columns, bound per call; the stream supplies its key and sequence number.
APPENDED_COLUMNS: Final = ("event_type", "payload", "correlation_id", "occurred_at")


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
    return _insert_next(tx, event, expected_version)


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
            select(*_STORED_EVENTS.columns)
            .where(_stream(aggregate_type, aggregate_id))
            .order_by(domain_events.c.sequence_number)
        )
        return fetch_entities(self._connection, statement, _STORED_EVENTS)

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
        return fetch_entities(self._connection, statement, _STORED_EVENTS)

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

    def mark_all_published(
        self, leases: Sequence[tuple[UUID, int]]
    ) -> IOResult[frozenset[UUID], PersistenceError]:
        if not leases:
            return IOSuccess(frozenset())
        published: IOResult[tuple[UUID, ...], PersistenceError] = fetch_uuids(
            self._connection, delivery.publish_all(leases)
        )
        return published.map(frozenset)

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

    def get(self, event_id: UUID) -> IOResult[StoredDomainEvent, PersistenceError]:
        statement = select(*_STORED_EVENTS.columns).where(domain_events.c.id == event_id)
        return self._one(statement, NotFound("domain event", str(event_id)))

    def status(self) -> IOResult[OutboxStatus, PersistenceError]:
        # An aggregate over the table: always exactly one row.
        statement, one_row = delivery.outbox_status(), NotFound("outbox status", "")
        counted: IOResult[OutboxStatusRow, PersistenceError] = fetch_one(
            self._connection, statement, OutboxStatusRow, one_row
        )
        return counted.map(lambda row: OutboxStatus(**row.model_dump()))

    def _end_delivery(
        self, event_id: UUID, attempt: int, values: Mapping[str, object]
    ) -> IOResult[StoredDomainEvent, DeliveryError]:
        statement = delivery.end_delivery(event_id, attempt, values)
        ended: IOResult[StoredDomainEvent | None, DeliveryError] = fetch_optional_entity(
            self._connection, statement, _STORED_EVENTS
        )
        return ended.bind(
            lambda event: (
                IOFailure(LeaseLost(event_id, attempt)) if event is None else IOSuccess(event)
            )
        )

    def _one(
        self, statement: Executable, missing: NotFound
    ) -> IOResult[StoredDomainEvent, PersistenceError]:
        return fetch_entity(self._connection, statement, _STORED_EVENTS, missing)


def _insert_next(
    tx: Connection, event: NewDomainEvent, expected_version: int | None
) -> IOResult[StoredDomainEvent, AppendError]:
    parameters = {
        **_stream_key(event),
        "event_type": event.event_type,
        "payload": encode_payload(event.payload),
        "correlation_id": event.correlation_id,
        "occurred_at": event.occurred_at,
        "expected_version": expected_version,
    }
    inserted: IOResult[AssignedOnAppend | None, AppendError] = fetch_optional(
        tx, _append_statement_for(expected_version), AssignedOnAppend, parameters
    )
    return inserted.bind(
        lambda assigned: (
            _conflict(tx, event, expected_version)
            if assigned is None
            else IOSuccess(_appended(event, assigned))
        )
    )


class AssignedOnAppend(BaseModel):
    """What the database gives an appended event; the rest is the event as the caller gave it.

    The append returns only these columns: reading back the payload it just wrote
    would parse and validate, inside the writer's transaction (so while it holds the
    stream's lock), a value the caller already has as its typed object.
    """

    model_config = ROW_SCHEMA_CONFIG

    id: UUID
    sequence_number: int
    status: DomainEventStatus
    attempts: int
    created_at: AwareDatetime
    available_at: AwareDatetime


class OutboxStatusRow(BaseModel):
    """The one row of the outbox's status read (`OutboxStatus`, column for column)."""

    model_config = ROW_SCHEMA_CONFIG

    pending: int
    processing: int
    published: int
    failed: int
    oldest_deliverable_age: timedelta | None


def _appended(event: NewDomainEvent, assigned: AssignedOnAppend) -> StoredDomainEvent:
    return StoredDomainEvent(
        id=assigned.id,
        event_type=event.event_type,
        aggregate_type=event.aggregate_type,
        aggregate_id=event.aggregate_id,
        sequence_number=assigned.sequence_number,
        payload=event.payload,
        correlation_id=event.correlation_id,
        status=assigned.status,
        attempts=assigned.attempts,
        occurred_at=event.occurred_at,
        published_at=None,
        failed_at=None,
        failure_reason=None,
        created_at=assigned.created_at,
        available_at=assigned.available_at,
        locked_until=None,
        last_error=None,
    )


def _stream_key(event: NewDomainEvent) -> dict[str, object]:
    return {"stream_type": event.aggregate_type, "stream_id": event.aggregate_id}


def _append_statement_for(expected_version: int | None) -> Insert:
    if expected_version is None:
        return _APPEND
    return _APPEND_TO_NEW_STREAM if expected_version == 0 else _APPEND_AT_VERSION


def _stream(aggregate_type: str, aggregate_id: UUID) -> ColumnElement[bool]:
    return and_(
        domain_events.c.aggregate_type == aggregate_type,
        domain_events.c.aggregate_id == aggregate_id,
    )


# Named unlike any column: SQLAlchemy adds a parameter named after a column of the
# table an UPDATE writes to that UPDATE's SET clause.
_STREAM_KEY: Final = {
    "aggregate_type": bindparam("stream_type", type_=domain_event_streams.c.aggregate_type.type),
    "aggregate_id": bindparam("stream_id", type_=domain_event_streams.c.aggregate_id.type),
}
_IS_THE_STREAM: Final = and_(
    *(domain_event_streams.c[name] == parameter for name, parameter in _STREAM_KEY.items())
)
_NEXT_VERSION: Final = {"version": domain_event_streams.c.version + 1}
_STREAM_PRIMARY_KEY: Final = list(domain_event_streams.primary_key)


def _any_version() -> CTE:
    """Create the stream at 1, or move an existing one on by 1."""
    return _returning_stream(
        upsert(domain_event_streams)
        .values(**_STREAM_KEY, version=1)
        .on_conflict_do_update(index_elements=_STREAM_PRIMARY_KEY, set_=_NEXT_VERSION)
    )


def _new_stream() -> CTE:
    """Create the stream at 1; no row when it exists (its version is never 0)."""
    return _returning_stream(
        upsert(domain_event_streams)
        .values(**_STREAM_KEY, version=1)
        .on_conflict_do_nothing(index_elements=_STREAM_PRIMARY_KEY)
    )


def _stream_at_expected_version() -> CTE:
    """Move the stream on by 1 only from the expected version; no row when it is elsewhere."""
    expected = domain_event_streams.c.version == bindparam("expected_version", type_=BigInteger)
    return _returning_stream(
        update(domain_event_streams).where(_IS_THE_STREAM, expected).values(**_NEXT_VERSION)
    )


def _returning_stream(write: Insert | Update) -> CTE:
    stream = domain_event_streams.c
    return write.returning(stream.aggregate_type, stream.aggregate_id, stream.version).cte("stream")


# Referenced by the append's FROM, so it runs once per append (a CTE nobody reads is
# never run); the payload is empty so one transaction's wake-ups fold into one.
_WAKE_THE_RELAY: Final = select(
    func.pg_notify(DOMAIN_EVENTS_CHANNEL, literal("")).label("sent")
).cte("wake_the_relay")


def _append_statement(stream: CTE) -> Insert:
    # No stream row out of the CTE (a version mismatch) means no event: one statement
    # checks, numbers and inserts, so nothing can move in between. The wake-up is part
    # of the same statement, so it costs no round trip and commits with the event.
    source = (
        select(
            *(bindparam(name, type_=domain_events.c[name].type) for name in APPENDED_COLUMNS),
            stream.c.aggregate_type,
            stream.c.aggregate_id,
            stream.c.version,
        )
        .select_from(stream)
        .join(_WAKE_THE_RELAY, true())
    )
    columns = [*APPENDED_COLUMNS, "aggregate_type", "aggregate_id", "sequence_number"]
    assigned = (domain_events.c[name] for name in AssignedOnAppend.model_fields)
    return insert(domain_events).from_select(columns, source).returning(*assigned)


# Built once: appends are the hot path, and a prebuilt statement skips both
# construction and compilation (SQLAlchemy caches the compiled form).
_APPEND: Final = _append_statement(_any_version())
_APPEND_TO_NEW_STREAM: Final = _append_statement(_new_stream())
_APPEND_AT_VERSION: Final = _append_statement(_stream_at_expected_version())
_STREAM_VERSION: Final = select(
    func.coalesce(select(domain_event_streams.c.version).where(_IS_THE_STREAM).scalar_subquery(), 0)
)


def _conflict(
    tx: Connection, event: NewDomainEvent, expected_version: int | None
) -> IOResult[StoredDomainEvent, AppendError]:
    # Only reached when the expected version did not match: report the actual one.
    actual: IOResult[int, AppendError] = fetch_integer(tx, _STREAM_VERSION, _stream_key(event))
    return actual.bind(
        lambda version: IOFailure(
            VersionConflict(
                event.aggregate_type, event.aggregate_id, expected_version or 0, version
            )
        )
    )


# Multi-row reads decode straight into StoredDomainEvent, each payload into the class its
# event type is registered with, in one validation pass (see EntityDecoder).
_STORED_EVENTS: Final = EntityDecoder(
    domain_events,
    StoredDomainEvent,
    TaggedJson(field="payload", tag="event_type", classes=EVENT_PAYLOAD_TYPES),
)
