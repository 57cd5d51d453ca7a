"""Appending domain events: sequence numbers per aggregate, optimistic concurrency, order,
and a stream's version outliving its events."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from uuid import UUID, uuid4

from returns.io import IOFailure, IOResult
from returns.pipeline import is_successful
from returns.unsafe import unsafe_perform_io
from sqlalchemy import Connection, event, func, select

from core.domains.domain_events.entities import NewDomainEvent, StoredDomainEvent
from core.domains.domain_events.errors import VersionConflict
from core.domains.domain_events.ports import AppendError
from core.domains.organizations.events import OrganizationCreated
from core.errors import RuleViolated
from core.event_registry import domain_event
from infra.db.factories import DomainEventsFactory, DomainEventStreamsFactory
from infra.db.repositories.domain_events import (
    SqlDomainEventStore,
    insert_domain_event_in_transaction,
)
from infra.db.retention.targets import RETENTION_TARGETS
from infra.db.schema import domain_event_streams, domain_events

AT = datetime(2026, 6, 1, tzinfo=UTC)


def created(aggregate_id: UUID) -> NewDomainEvent:
    return domain_event(OrganizationCreated(aggregate_id, "Acme", "b@acme.test"), aggregate_id, AT)


def events_of(connection: Connection, aggregate_id: UUID) -> int:
    statement = select(func.count()).where(domain_events.c.aggregate_id == aggregate_id)
    return connection.execute(statement).scalar_one()


def version_of(connection: Connection, aggregate_id: UUID) -> int | None:
    statement = select(domain_event_streams.c.version).where(
        domain_event_streams.c.aggregate_id == aggregate_id
    )
    return connection.execute(statement).scalar_one_or_none()


def sequence_of(outcome: IOResult[StoredDomainEvent, AppendError]) -> int:
    return unsafe_perform_io(outcome.map(lambda event: event.sequence_number)).unwrap()


@contextmanager
def statements_sent(connection: Connection) -> Iterator[list[str]]:
    """The SQL of every statement the connection sends while the block runs."""
    sent: list[str] = []

    def record(*arguments: object) -> None:
        sent.append(str(arguments[2]))

    event.listen(connection, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(connection, "before_cursor_execute", record)


def prune_every_completed_event(connection: Connection) -> None:
    """Retention's own prune of domain events, with every completed event past its cutoff."""
    target = next(target for target in RETENTION_TARGETS if target.name == "domain_events")
    while connection.execute(target.prune(datetime.now(UTC), 1000)).rowcount:
        pass


def test_events_of_one_aggregate_are_numbered_from_one_without_gaps(connection: Connection) -> None:
    aggregate_id = uuid4()
    for _ in range(3):
        assert is_successful(insert_domain_event_in_transaction(connection, created(aggregate_id)))
    stream = unsafe_perform_io(
        SqlDomainEventStore(connection).list_for_aggregate("organization", aggregate_id)
    )
    numbers = [event.sequence_number for event in stream.unwrap()]
    assert numbers == [1, 2, 3]


def test_a_stored_event_reads_back_with_its_typed_payload(connection: Connection) -> None:
    aggregate_id = uuid4()
    insert_domain_event_in_transaction(connection, created(aggregate_id))
    stream = unsafe_perform_io(
        SqlDomainEventStore(connection).list_for_aggregate("organization", aggregate_id)
    )
    (event,) = stream.unwrap()
    assert event.payload == OrganizationCreated(aggregate_id, "Acme", "b@acme.test")
    assert (event.event_type, event.status, event.attempts) == (
        "organization.created",
        "pending",
        0,
    )


def test_an_appended_event_is_exactly_the_event_a_read_of_its_stream_returns(
    connection: Connection,
) -> None:
    # The append returns only what the database assigns and keeps the rest as given.
    aggregate_id = uuid4()
    appended = unsafe_perform_io(
        insert_domain_event_in_transaction(connection, created(aggregate_id)).unwrap()
    )

    stream = unsafe_perform_io(
        SqlDomainEventStore(connection).list_for_aggregate("organization", aggregate_id)
    )

    assert stream.unwrap() == (appended,)


def test_the_matching_expected_version_appends_after_it(connection: Connection) -> None:
    aggregate_id = uuid4()
    insert_domain_event_in_transaction(connection, created(aggregate_id), expected_version=0)
    appended = insert_domain_event_in_transaction(
        connection, created(aggregate_id), expected_version=1
    )
    assert unsafe_perform_io(appended.map(lambda event: event.sequence_number)).unwrap() == 2


def test_a_stale_expected_version_is_a_typed_conflict_and_writes_nothing(
    connection: Connection,
) -> None:
    aggregate_id = uuid4()
    insert_domain_event_in_transaction(connection, created(aggregate_id))
    insert_domain_event_in_transaction(connection, created(aggregate_id))
    outcome = insert_domain_event_in_transaction(
        connection, created(aggregate_id), expected_version=1
    )
    assert outcome == IOFailure(VersionConflict("organization", aggregate_id, expected=1, actual=2))
    assert events_of(connection, aggregate_id) == 2


def test_expecting_a_new_aggregate_conflicts_once_it_has_events(connection: Connection) -> None:
    aggregate_id = uuid4()
    insert_domain_event_in_transaction(connection, created(aggregate_id))
    outcome = insert_domain_event_in_transaction(
        connection, created(aggregate_id), expected_version=0
    )
    assert outcome == IOFailure(VersionConflict("organization", aggregate_id, expected=0, actual=1))


def test_an_event_type_not_registered_for_its_payload_is_refused(connection: Connection) -> None:
    aggregate_id = uuid4()
    event = NewDomainEvent(
        "organization.renamed", "organization", aggregate_id,
        OrganizationCreated(aggregate_id, "Acme", "b@acme.test"), AT,
    )  # fmt: skip
    outcome = insert_domain_event_in_transaction(connection, event)
    assert isinstance(unsafe_perform_io(outcome).failure(), RuleViolated)
    assert events_of(connection, aggregate_id) == 0


def test_each_append_moves_the_stream_to_the_event_s_sequence_number(
    connection: Connection,
) -> None:
    aggregate_id = uuid4()
    assert version_of(connection, aggregate_id) is None
    insert_domain_event_in_transaction(connection, created(aggregate_id))
    assert version_of(connection, aggregate_id) == 1
    insert_domain_event_in_transaction(connection, created(aggregate_id))
    assert version_of(connection, aggregate_id) == 2


def test_a_stream_pruned_to_empty_continues_at_its_old_version_plus_one(
    connection: Connection,
) -> None:
    aggregate_id = uuid4()
    DomainEventsFactory.create_batch(
        3, connection=connection, aggregate_id=aggregate_id, status="published"
    )
    prune_every_completed_event(connection)
    assert events_of(connection, aggregate_id) == 0

    appended = insert_domain_event_in_transaction(connection, created(aggregate_id))
    assert sequence_of(appended) == 4


def test_a_pruned_stream_is_not_new_and_keeps_its_version_for_optimistic_writers(
    connection: Connection,
) -> None:
    stream = DomainEventStreamsFactory.create(connection=connection, version=7)
    event = created(stream.aggregate_id)
    assert insert_domain_event_in_transaction(connection, event, expected_version=0) == IOFailure(
        VersionConflict("organization", stream.aggregate_id, expected=0, actual=7)
    )
    appended = insert_domain_event_in_transaction(connection, event, expected_version=7)
    assert sequence_of(appended) == 8


def test_expecting_a_version_of_an_aggregate_without_a_stream_is_a_conflict_at_zero(
    connection: Connection,
) -> None:
    aggregate_id = uuid4()
    outcome = insert_domain_event_in_transaction(
        connection, created(aggregate_id), expected_version=2
    )
    assert outcome == IOFailure(VersionConflict("organization", aggregate_id, expected=2, actual=0))
    assert (events_of(connection, aggregate_id), version_of(connection, aggregate_id)) == (0, None)


def test_expecting_a_version_ahead_of_the_stream_is_a_conflict_that_moves_nothing(
    connection: Connection,
) -> None:
    aggregate_id = uuid4()
    insert_domain_event_in_transaction(connection, created(aggregate_id))
    outcome = insert_domain_event_in_transaction(
        connection, created(aggregate_id), expected_version=5
    )
    assert outcome == IOFailure(VersionConflict("organization", aggregate_id, expected=5, actual=1))
    assert (events_of(connection, aggregate_id), version_of(connection, aggregate_id)) == (1, 1)


def test_an_append_is_one_statement_in_the_caller_s_transaction(connection: Connection) -> None:
    aggregate_id = uuid4()
    with statements_sent(connection) as sent:
        insert_domain_event_in_transaction(connection, created(aggregate_id))
        insert_domain_event_in_transaction(connection, created(aggregate_id), expected_version=1)
        insert_domain_event_in_transaction(connection, created(uuid4()), expected_version=0)
    assert len(sent) == 3
    assert connection.in_transaction()


def test_only_a_conflict_costs_a_second_statement_to_read_the_actual_version(
    connection: Connection,
) -> None:
    aggregate_id = uuid4()
    insert_domain_event_in_transaction(connection, created(aggregate_id))
    with statements_sent(connection) as sent:
        insert_domain_event_in_transaction(connection, created(aggregate_id), expected_version=0)
    assert len(sent) == 2
