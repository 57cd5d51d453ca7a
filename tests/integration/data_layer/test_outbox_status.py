"""The outbox's operator reads: `status` (counts and the next deliverable event's age), `get`,
and `retry_dead_letter`, which tells an unknown event from one that is not a dead letter.

On a scratch database of this module's own, emptied before each test: the status
reads the whole table.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar
from uuid import UUID, uuid4

import pytest
from returns.io import IOResult
from returns.unsafe import unsafe_perform_io
from sqlalchemy import Engine

from core.domains.domain_events.dead_letters import retry_dead_letter
from core.domains.domain_events.entities import OutboxStatus
from core.domains.domain_events.errors import NotDeadLettered
from core.errors import NotFound
from infra.db.factories import DomainEventsFactory
from infra.db.repositories.domain_events import SqlDomainEventStore

LEASE = timedelta(minutes=1)

ValueT = TypeVar("ValueT")
pytestmark = pytest.mark.usefixtures("empty_outbox")


def outcome(
    outbox_engine: Engine, work: Callable[[SqlDomainEventStore], IOResult[ValueT, object]]
) -> IOResult[ValueT, object]:
    with outbox_engine.begin() as connection:
        return work(SqlDomainEventStore(connection))


def value(
    outbox_engine: Engine, work: Callable[[SqlDomainEventStore], IOResult[ValueT, object]]
) -> ValueT:
    return unsafe_perform_io(outcome(outbox_engine, work).unwrap())


def failure(
    outbox_engine: Engine, work: Callable[[SqlDomainEventStore], IOResult[object, object]]
) -> object:
    return unsafe_perform_io(outcome(outbox_engine, work).failure())


def status(outbox_engine: Engine) -> OutboxStatus:
    return value(outbox_engine, lambda store: store.status())


def seed(outbox_engine: Engine, event_status: str, aggregate_id: UUID | None = None) -> UUID:
    with outbox_engine.begin() as connection:
        overrides = {} if aggregate_id is None else {"aggregate_id": aggregate_id}
        return DomainEventsFactory.create(
            connection=connection, status=event_status, **overrides
        ).id


def test_an_empty_outbox_has_no_events_and_nothing_deliverable(outbox_engine: Engine) -> None:
    assert status(outbox_engine) == OutboxStatus(0, 0, 0, 0, oldest_deliverable_age=None)


def test_the_status_counts_each_delivery_state(outbox_engine: Engine) -> None:
    for event_status, count in (("pending", 2), ("processing", 1), ("published", 3), ("failed", 4)):
        for _ in range(count):
            seed(outbox_engine, event_status)

    current = status(outbox_engine)

    assert (current.pending, current.processing, current.published, current.failed) == (2, 1, 3, 4)
    assert current.dead_letters == 4


def test_an_event_in_backoff_and_the_events_waiting_behind_it_are_not_deliverable(
    outbox_engine: Engine,
) -> None:
    aggregate = uuid4()
    first = seed(outbox_engine, "pending", aggregate)
    seed(outbox_engine, "pending", aggregate)
    (claimed,) = value(outbox_engine, lambda store: store.claim_deliverable(1, LEASE))
    assert claimed.id == first
    value(outbox_engine, lambda store: store.retry_later(first, 1, timedelta(hours=1), "try later"))

    assert status(outbox_engine).oldest_deliverable_age is None

    seed(outbox_engine, "pending")
    age = status(outbox_engine).oldest_deliverable_age
    assert age is not None
    assert timedelta(0) <= age < timedelta(seconds=30)


def test_an_expired_lease_is_deliverable_since_the_lease_ran_out(outbox_engine: Engine) -> None:
    seed(outbox_engine, "pending")
    value(outbox_engine, lambda store: store.claim_deliverable(1, timedelta(milliseconds=50)))
    time.sleep(0.5)

    age = status(outbox_engine).oldest_deliverable_age

    assert age is not None
    assert timedelta(seconds=0.4) < age < timedelta(seconds=30)


def test_get_reads_one_event_with_its_delivery_state_or_not_found(outbox_engine: Engine) -> None:
    dead = seed(outbox_engine, "failed")
    unknown = uuid4()

    event = value(outbox_engine, lambda store: store.get(dead))

    assert (event.id, event.status, event.failure_reason) == (
        dead, "failed", "subscriber rejected the event",
    )  # fmt: skip
    assert failure(outbox_engine, lambda store: store.get(unknown)) == NotFound(
        "domain event", str(unknown)
    )


def test_retrying_a_dead_letter_makes_it_pending(outbox_engine: Engine) -> None:
    dead = seed(outbox_engine, "failed")

    retried = value(outbox_engine, lambda store: retry_dead_letter(store, dead))

    assert (retried.id, retried.status) == (dead, "pending")


def test_retrying_an_event_that_is_not_a_dead_letter_says_what_it_is(outbox_engine: Engine) -> None:
    published = seed(outbox_engine, "published")

    refused = failure(outbox_engine, lambda store: retry_dead_letter(store, published))

    assert refused == NotDeadLettered(published, "published")


def test_retrying_an_unknown_event_is_not_found(outbox_engine: Engine) -> None:
    unknown = uuid4()

    refused = failure(outbox_engine, lambda store: retry_dead_letter(store, unknown))

    assert refused == NotFound("domain event", str(unknown))
