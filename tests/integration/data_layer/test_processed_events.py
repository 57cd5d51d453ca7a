"""Processed events on PostgreSQL: a consumer records an event once, even from two connections.

The concurrent test commits (two transactions need two connections), so it
uses fresh event ids and deletes its records afterwards.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from uuid import UUID, uuid4

import pytest
from returns.unsafe import unsafe_perform_io
from sqlalchemy import Connection, Engine, delete, func, select, text

from infra.db.repositories.processed_events import SqlProcessedEvents
from infra.db.schema import processed_events

CONSUMER = "test-consumer"
WAIT = 10.0
WAITING_ON_A_TRANSACTION = text(
    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
    "AND wait_event = 'transactionid' AND datname = current_database()"
)


def recorded(connection: Connection, consumer: str, event_id: UUID) -> bool:
    return unsafe_perform_io(SqlProcessedEvents(connection).record(consumer, event_id)).unwrap()


def test_recording_an_event_twice_is_new_the_first_time_only(connection: Connection) -> None:
    event_id = uuid4()
    assert [recorded(connection, CONSUMER, event_id) for _ in range(2)] == [True, False]
    stored = select(func.count()).where(processed_events.c.event_id == event_id)
    assert connection.execute(stored).scalar_one() == 1


def test_each_consumer_records_the_same_event_for_itself(connection: Connection) -> None:
    event_id = uuid4()
    assert recorded(connection, CONSUMER, event_id)
    assert recorded(connection, "another-consumer", event_id)


@pytest.fixture
def event_id(runtime_engine: Engine) -> Iterator[UUID]:
    fresh = uuid4()
    yield fresh
    with runtime_engine.begin() as connection:
        connection.execute(delete(processed_events).where(processed_events.c.event_id == fresh))


def wait_for_a_blocked_insert(engine: Engine) -> bool:
    deadline = time.monotonic() + WAIT
    with engine.connect() as connection:
        while time.monotonic() < deadline:
            waiting = connection.execute(WAITING_ON_A_TRANSACTION).scalar_one()
            # The activity view is a snapshot per transaction: a new one per look.
            connection.rollback()
            if waiting > 0:
                return True
            time.sleep(0.01)
    return False


@pytest.mark.parametrize(("first_commits", "second_is_new"), [(True, False), (False, True)])
def test_a_concurrent_record_waits_for_the_first_and_is_new_only_if_that_one_rolled_back(
    runtime_engine: Engine, event_id: UUID, first_commits: bool, second_is_new: bool
) -> None:
    first_recorded, first_may_end = threading.Event(), threading.Event()

    def first() -> bool:
        with runtime_engine.connect() as connection:
            transaction = connection.begin()
            new = recorded(connection, CONSUMER, event_id)
            first_recorded.set()
            first_may_end.wait(WAIT)
            transaction.commit() if first_commits else transaction.rollback()
            return new

    def second() -> bool:
        first_recorded.wait(WAIT)
        with runtime_engine.connect() as connection, connection.begin():
            return recorded(connection, CONSUMER, event_id)

    with ThreadPoolExecutor(2) as pool:
        outcomes = pool.submit(first), pool.submit(second)
        blocked = wait_for_a_blocked_insert(runtime_engine)
        first_may_end.set()
        assert blocked, "the second record never waited on the first one's uncommitted key"
        assert (outcomes[0].result(WAIT), outcomes[1].result(WAIT)) == (True, second_is_new)
    stored = select(func.count()).where(processed_events.c.event_id == event_id)
    with runtime_engine.connect() as connection:
        assert connection.execute(stored).scalar_one() == 1


def test_two_connections_recording_one_event_at_once_see_exactly_one_new_record(
    runtime_engine: Engine, event_id: UUID
) -> None:
    together = threading.Barrier(2, timeout=WAIT)

    def record_and_commit(_: int) -> bool:
        with runtime_engine.connect() as connection, connection.begin():
            together.wait()
            return recorded(connection, CONSUMER, event_id)

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(record_and_commit, range(2)))
    assert outcomes == [False, True]
