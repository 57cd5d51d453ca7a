"""Many writers appending at once: every stream is exactly 1..N and no event is lost.

These transactions commit (concurrency needs separate connections), so each
test uses fresh aggregate ids and deletes its events afterwards.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from returns.io import IOResult
from returns.pipeline import is_successful
from sqlalchemy import Engine, create_engine, delete, func, select
from sqlalchemy.pool import QueuePool

from core.domains.organizations.events import OrganizationCreated
from core.event_registry import domain_event
from core.unit_of_work import Repositories
from devservers.stack import DatabaseTarget
from infra.db.provider import SqlUnitOfWork
from infra.db.schema import domain_events

WRITERS = 16
EVENTS_PER_WRITER = 1_000
MAX_ATTEMPTS = 5
# Several appends per transaction: the lock is then held across appends, as in use cases.
EVENTS_PER_TRANSACTION = 10
AT = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture
def writers_engine(database: DatabaseTarget) -> Iterator[Engine]:
    engine = create_engine(database.runtime_url, poolclass=QueuePool, pool_size=WRITERS)
    yield engine
    engine.dispose()


@pytest.fixture
def aggregates(writers_engine: Engine) -> Iterator[list[UUID]]:
    ids = [uuid4() for _ in range(100)]
    yield ids
    with writers_engine.begin() as connection:
        connection.execute(delete(domain_events).where(domain_events.c.aggregate_id.in_(ids)))


def append_all(engine: Engine, aggregate_for: Callable[[int, int], UUID]) -> list[object]:
    """Run the writers, each committing its events a few per transaction; return every failure.

    A failed transaction is retried (nothing may be lost), but the stream lock
    should make failures impossible: the tests assert there were none, so a
    missing lock cannot hide behind the unique constraint and the retries.
    `aggregate_for(writer, first_index)` picks one aggregate per transaction:
    a transaction locking several streams in no fixed order could deadlock.
    """
    failures: list[object] = []
    uow = SqlUnitOfWork.on_engine(engine)

    def append_batch(number: int, first: int) -> IOResult[None, object]:
        def work(repos: Repositories) -> IOResult[None, object]:
            outcome: IOResult[None, object] = IOResult.from_value(None)
            for _ in range(EVENTS_PER_TRANSACTION):
                aggregate_id = aggregate_for(number, first)
                payload = OrganizationCreated(aggregate_id, f"writer {number}", "w@example.test")
                event = domain_event(payload, aggregate_id, AT)
                outcome = outcome.bind(
                    lambda _, e=event: repos.domain_events.append(e).map(lambda _: None)
                )
            return outcome

        return uow.run(work)

    def commit_with_retries(number: int, first: int) -> bool:
        for _ in range(MAX_ATTEMPTS):
            outcome = append_batch(number, first)
            if is_successful(outcome):
                return True
            failures.append(outcome.failure())
        return False

    def writer(number: int) -> None:
        for first in range(0, EVENTS_PER_WRITER, EVENTS_PER_TRANSACTION):
            if not commit_with_retries(number, first):
                raise AssertionError(f"writer {number} could not commit events from {first}")

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        list(pool.map(writer, range(WRITERS)))
    elapsed = time.perf_counter() - started
    print(f"\n{WRITERS * EVENTS_PER_WRITER} appends by {WRITERS} writers in {elapsed:.1f} s")
    return failures


def sequences(engine: Engine, ids: list[UUID]) -> dict[UUID, list[int]]:
    statement = (
        select(domain_events.c.aggregate_id, func.array_agg(domain_events.c.sequence_number))
        .where(domain_events.c.aggregate_id.in_(ids))
        .group_by(domain_events.c.aggregate_id)
    )
    with engine.connect() as connection:
        return {row[0]: sorted(row[1]) for row in connection.execute(statement)}


def test_sixteen_writers_on_one_aggregate_number_every_event_once_in_order(
    writers_engine: Engine, aggregates: list[UUID]
) -> None:
    target = aggregates[0]
    failures = append_all(writers_engine, lambda _writer, _index: target)
    total = WRITERS * EVENTS_PER_WRITER
    assert sequences(writers_engine, [target]) == {target: list(range(1, total + 1))}
    assert failures == []


def test_sixteen_writers_over_a_hundred_aggregates_leave_every_stream_complete(
    writers_engine: Engine, aggregates: list[UUID]
) -> None:
    # All writers walk the aggregates in step, so each stream has 16 writers at once.
    failures = append_all(writers_engine, lambda _writer, index: aggregates[(index // 10) % 100])
    per_aggregate = WRITERS * EVENTS_PER_WRITER // 100
    expected = {aggregate_id: list(range(1, per_aggregate + 1)) for aggregate_id in aggregates}
    assert sequences(writers_engine, aggregates) == expected
    assert failures == []
