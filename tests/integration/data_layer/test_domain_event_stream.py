"""Appending domain events: sequence numbers per aggregate, optimistic concurrency, order."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

from returns.io import IOFailure
from returns.pipeline import is_successful
from returns.unsafe import unsafe_perform_io
from sqlalchemy import Connection, func, select

from core.domains.domain_events.entities import NewDomainEvent
from core.domains.domain_events.errors import VersionConflict
from core.domains.organizations.events import OrganizationCreated
from core.errors import RuleViolated
from core.event_registry import domain_event
from infra.db.repositories.domain_events import (
    SqlDomainEventStore,
    insert_domain_event_in_transaction,
)
from infra.db.schema import domain_events

AT = datetime(2026, 6, 1, tzinfo=UTC)


def created(aggregate_id: UUID) -> NewDomainEvent:
    return domain_event(OrganizationCreated(aggregate_id, "Acme", "b@acme.test"), aggregate_id, AT)


def events_of(connection: Connection, aggregate_id: UUID) -> int:
    statement = select(func.count()).where(domain_events.c.aggregate_id == aggregate_id)
    return connection.execute(statement).scalar_one()


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
