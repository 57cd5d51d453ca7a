"""The outbox's operator reads: `status` (counts and the next deliverable event's age), `get`,
and `retry_dead_letter`, which tells an unknown event from one that is not a dead letter.

On a scratch database of this module's own, emptied before each test: the status
reads the whole table.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import TypeVar
from uuid import UUID, uuid4

import pytest
from returns.io import IOResult
from returns.unsafe import unsafe_perform_io
from sqlalchemy import Engine, create_engine, delete

from core.domains.domain_events.dead_letters import retry_dead_letter
from core.domains.domain_events.entities import OutboxStatus
from core.domains.domain_events.errors import NotDeadLettered
from core.errors import NotFound
from devservers.stack import DatabaseTarget
from infra.db.factories import DomainEventsFactory
from infra.db.repositories.domain_events import SqlDomainEventStore
from infra.db.schema import domain_events
from tests.conftest import migrated_scratch_database

SCRATCH_DATABASE = "strata_outbox_status_test"
LEASE = timedelta(minutes=1)

ValueT = TypeVar("ValueT")


@pytest.fixture(scope="module")
def outbox_database(database: DatabaseTarget) -> Iterator[dict[str, str]]:
    yield from migrated_scratch_database(database, SCRATCH_DATABASE)


@pytest.fixture(scope="module")
def engine(outbox_database: dict[str, str]) -> Iterator[Engine]:
    engine = create_engine(outbox_database["DATABASE_URL"], pool_size=2)
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def empty_outbox(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(delete(domain_events))


def outcome(
    engine: Engine, work: Callable[[SqlDomainEventStore], IOResult[ValueT, object]]
) -> IOResult[ValueT, object]:
    with engine.begin() as connection:
        return work(SqlDomainEventStore(connection))


def value(
    engine: Engine, work: Callable[[SqlDomainEventStore], IOResult[ValueT, object]]
) -> ValueT:
    return unsafe_perform_io(outcome(engine, work).unwrap())


def failure(
    engine: Engine, work: Callable[[SqlDomainEventStore], IOResult[object, object]]
) -> object:
    return unsafe_perform_io(outcome(engine, work).failure())


def status(engine: Engine) -> OutboxStatus:
    return value(engine, lambda store: store.status())


def seed(engine: Engine, event_status: str, aggregate_id: UUID | None = None) -> UUID:
    with engine.begin() as connection:
        overrides = {} if aggregate_id is None else {"aggregate_id": aggregate_id}
        return DomainEventsFactory.create(
            connection=connection, status=event_status, **overrides
        ).id


def test_an_empty_outbox_has_no_events_and_nothing_deliverable(engine: Engine) -> None:
    assert status(engine) == OutboxStatus(0, 0, 0, 0, oldest_deliverable_age=None)


def test_the_status_counts_each_delivery_state(engine: Engine) -> None:
    for event_status, count in (("pending", 2), ("processing", 1), ("published", 3), ("failed", 4)):
        for _ in range(count):
            seed(engine, event_status)

    current = status(engine)

    assert (current.pending, current.processing, current.published, current.failed) == (2, 1, 3, 4)
    assert current.dead_letters == 4


def test_an_event_in_backoff_and_the_events_waiting_behind_it_are_not_deliverable(
    engine: Engine,
) -> None:
    aggregate = uuid4()
    first = seed(engine, "pending", aggregate)
    seed(engine, "pending", aggregate)
    (claimed,) = value(engine, lambda store: store.claim_deliverable(1, LEASE))
    assert claimed.id == first
    value(engine, lambda store: store.retry_later(first, 1, timedelta(hours=1), "try later"))

    assert status(engine).oldest_deliverable_age is None

    seed(engine, "pending")
    age = status(engine).oldest_deliverable_age
    assert age is not None
    assert timedelta(0) <= age < timedelta(seconds=30)


def test_an_expired_lease_is_deliverable_since_the_lease_ran_out(engine: Engine) -> None:
    seed(engine, "pending")
    value(engine, lambda store: store.claim_deliverable(1, timedelta(milliseconds=50)))
    time.sleep(0.5)

    age = status(engine).oldest_deliverable_age

    assert age is not None
    assert timedelta(seconds=0.4) < age < timedelta(seconds=30)


def test_get_reads_one_event_with_its_delivery_state_or_not_found(engine: Engine) -> None:
    dead = seed(engine, "failed")
    unknown = uuid4()

    event = value(engine, lambda store: store.get(dead))

    assert (event.id, event.status, event.failure_reason) == (
        dead, "failed", "subscriber rejected the event",
    )  # fmt: skip
    assert failure(engine, lambda store: store.get(unknown)) == NotFound(
        "domain event", str(unknown)
    )


def test_retrying_a_dead_letter_makes_it_pending(engine: Engine) -> None:
    dead = seed(engine, "failed")

    retried = value(engine, lambda store: retry_dead_letter(store, dead))

    assert (retried.id, retried.status) == (dead, "pending")


def test_retrying_an_event_that_is_not_a_dead_letter_says_what_it_is(engine: Engine) -> None:
    published = seed(engine, "published")

    refused = failure(engine, lambda store: retry_dead_letter(store, published))

    assert refused == NotDeadLettered(published, "published")


def test_retrying_an_unknown_event_is_not_found(engine: Engine) -> None:
    unknown = uuid4()

    refused = failure(engine, lambda store: retry_dead_letter(store, unknown))

    assert refused == NotFound("domain event", str(unknown))
