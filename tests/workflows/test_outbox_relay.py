"""OutboxRelayWorkflow on a real Temporal dev server against a real PostgreSQL.

The handlers here are the tests' own (recording, or failing on purpose) so that
what the relay does can be asserted exactly; the real handlers (email, the
onboarding child workflow) have tests of their own.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import pairwise
from uuid import UUID, uuid4

import pytest
from returns.io import IOResult
from returns.unsafe import unsafe_perform_io
from sqlalchemy import Engine, select

from app.outbox.handlers import Deliver, EventHandler, HandlerFailure, HandlerPorts
from app.outbox.relay import ensure_relay, relay_is_running
from core.domains.domain_events.entities import StoredDomainEvent
from core.event_registry import EVENT_PAYLOAD_TYPES
from infra.db.engine import runtime_engine
from infra.db.factories import DomainEventsFactory
from infra.db.repositories.domain_events import SqlDomainEventStore
from infra.db.schema import domain_events
from tests.workflows.harness import RetentionStack
from tests.workflows.test_retention_operations import strata

WRITERS = 16
EVENTS_PER_WRITER = 30
AGGREGATES = 12


@dataclasses.dataclass
class Recorder:
    """Every delivery a handler saw, in the order it saw them; fails the `poisoned` aggregate."""

    poisoned: set[UUID] = dataclasses.field(default_factory=set)
    seen: list[StoredDomainEvent] = dataclasses.field(default_factory=list)
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)

    def handle(
        self, event: StoredDomainEvent, ports: HandlerPorts
    ) -> IOResult[None, HandlerFailure]:
        with self.lock:
            self.seen.append(event)
        if event.aggregate_id in self.poisoned:
            return IOResult.from_failure(HandlerFailure("poisoned on purpose"))
        return IOResult.from_value(None)

    @property
    def handlers(self) -> dict[str, EventHandler]:
        return {event_type: Deliver(self.handle) for event_type in EVENT_PAYLOAD_TYPES}


@pytest.fixture
def relay_stack(stack: RetentionStack) -> RetentionStack:
    return stack.with_relay(
        OUTBOX_RETRY_BASE="0.2",
        OUTBOX_RETRY_FACTOR="2",
        OUTBOX_RETRY_CAP="5",
        OUTBOX_MAX_ATTEMPTS="4",
    )


@contextmanager
def runtime(stack: RetentionStack) -> Iterator[Engine]:
    engine = runtime_engine(stack.database_settings)
    try:
        yield engine
    finally:
        engine.dispose()


def run_relay(stack: RetentionStack, recorder: Recorder, until: Callable[[], bool]) -> None:
    """Start the relay on an in-process worker with the recorder's handlers; stop once `until`."""

    async def relaying() -> None:
        client = await stack.client()
        async with stack.worker(client, handlers=recorder.handlers):
            assert await ensure_relay(client, stack.temporal_settings, stack.outbox_settings)
            deadline = time.monotonic() + 60
            while not until():
                assert time.monotonic() < deadline, "the relay did not finish in time"
                await asyncio.sleep(0.2)
            await client.get_workflow_handle(stack.outbox_settings.workflow_id).terminate()

    asyncio.run(relaying())


def statuses(stack: RetentionStack) -> dict[str, int]:
    with stack.owner.connect() as connection:
        rows = connection.execute(select(domain_events.c.status)).scalars().all()
    return {status: rows.count(status) for status in set(rows)}


def stored(stack: RetentionStack) -> list[tuple[UUID, UUID, int, str]]:
    columns = domain_events.c
    statement = select(columns.id, columns.aggregate_id, columns.sequence_number, columns.status)
    with stack.owner.connect() as connection:
        return [tuple(row) for row in connection.execute(statement)]  # type: ignore[misc]


def nothing_left(stack: RetentionStack) -> Callable[[], bool]:
    return lambda: set(statuses(stack)) <= {"published", "failed"}


def test_sixteen_writers_appending_while_the_relay_runs_get_every_event_handled_once_in_order(
    relay_stack: RetentionStack,
) -> None:
    recorder = Recorder()
    aggregates = [uuid4() for _ in range(AGGREGATES)]
    writers_done = threading.Event()

    def write(writer: int, engine: Engine) -> None:
        chance = random.Random(writer)
        for number in range(EVENTS_PER_WRITER):
            with engine.connect() as connection, connection.begin() as transaction:
                DomainEventsFactory.create(
                    connection=connection, aggregate_id=chance.choice(aggregates)
                )
                # Every fifth transaction rolls back: its event must never be delivered.
                if number % 5 == 4:
                    transaction.rollback()

    with runtime(relay_stack) as engine:

        def all_written_and_delivered() -> bool:
            return writers_done.is_set() and nothing_left(relay_stack)()

        def writing() -> None:
            threads = [
                threading.Thread(target=write, args=(writer, engine)) for writer in range(WRITERS)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            writers_done.set()

        writers = threading.Thread(target=writing)
        writers.start()
        run_relay(relay_stack, recorder, all_written_and_delivered)
        writers.join()

    committed = stored(relay_stack)
    assert len(committed) == WRITERS * EVENTS_PER_WRITER * 4 // 5
    assert {status for *_, status in committed} == {"published"}
    handled = [event.id for event in recorder.seen]
    assert sorted(handled) == sorted(event_id for event_id, *_ in committed), "each exactly once"
    for aggregate in aggregates:
        order = [
            event.sequence_number for event in recorder.seen if event.aggregate_id == aggregate
        ]
        assert order == sorted(order), f"aggregate {aggregate} was handled out of order"


def test_a_handler_that_always_fails_is_retried_with_growing_delays_then_dead_lettered(
    relay_stack: RetentionStack,
) -> None:
    poisoned, healthy = uuid4(), uuid4()
    recorder = Recorder(poisoned={poisoned})
    with relay_stack.owner.begin() as connection:
        poison = DomainEventsFactory.create(connection=connection, aggregate_id=poisoned)
        behind_the_poison = DomainEventsFactory.create(connection=connection, aggregate_id=poisoned)
        others = [
            DomainEventsFactory.create(connection=connection, aggregate_id=healthy)
            for _ in range(3)
        ]

    run_relay(relay_stack, recorder, nothing_left(relay_stack))

    attempts = [event for event in recorder.seen if event.id == poison.id]
    assert [event.attempts for event in attempts] == [1, 2, 3, 4]
    # Each attempt was claimed (its lease began) and failed at once; the next was due after
    # the backoff: 0.2 s, then twice as long each time.
    lease = relay_stack.outbox_settings.lease
    delays = [
        (retried.available_at - (failed.locked_until - lease)).total_seconds()
        for failed, retried in pairwise(attempts)
        if failed.locked_until is not None
    ]
    for delay, expected in zip(delays, [0.2, 0.4, 0.8], strict=True):
        assert expected <= delay < expected + 0.5, f"delays {delays} do not double from 0.2 s"
    with relay_stack.owner.connect() as connection:
        store = SqlDomainEventStore(connection)
        dead = unsafe_perform_io(store.get(poison.id).unwrap())
        assert dead.status == "failed"
        assert "poisoned on purpose" in (dead.failure_reason or "")
        # The dead letter no longer holds up its aggregate (the next event got its own
        # attempts), and the other aggregate flowed while the poison was still retried.
        assert unsafe_perform_io(store.get(behind_the_poison.id).unwrap()).status == "failed"
        for other in others:
            delivered = unsafe_perform_io(store.get(other.id).unwrap())
            assert delivered.status == "published"
            assert delivered.published_at is not None
            assert dead.failed_at is not None
            assert delivered.published_at < dead.failed_at


def test_an_operator_retry_brings_a_dead_letter_back_to_be_delivered(
    relay_stack: RetentionStack,
) -> None:
    aggregate = uuid4()
    with relay_stack.owner.begin() as connection:
        dead = DomainEventsFactory.create(
            connection=connection, aggregate_id=aggregate, status="failed"
        )
    with runtime(relay_stack) as engine, engine.begin() as connection:
        unsafe_perform_io(SqlDomainEventStore(connection).retry_failed(dead.id).unwrap())
    recorder = Recorder()

    run_relay(relay_stack, recorder, nothing_left(relay_stack))

    assert [event.id for event in recorder.seen] == [dead.id]
    assert statuses(relay_stack) == {"published": 1}


def test_ensuring_the_relay_twice_starts_it_once(relay_stack: RetentionStack) -> None:
    async def ensure_twice() -> tuple[bool, bool, bool]:
        client = await relay_stack.client()
        settings, outbox = relay_stack.temporal_settings, relay_stack.outbox_settings
        first = await ensure_relay(client, settings, outbox)
        second = await ensure_relay(client, settings, outbox)
        running = await relay_is_running(client, outbox)
        await client.get_workflow_handle(outbox.workflow_id).terminate()
        return first, second, running

    assert asyncio.run(ensure_twice()) == (True, False, True)


def test_outbox_ensure_on_the_command_line_starts_the_relay_then_reports_it_running(
    relay_stack: RetentionStack,
) -> None:
    first = strata(relay_stack, "outbox", "ensure", "--json")
    second = strata(relay_stack, "outbox", "ensure")

    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {
        "workflow_id": relay_stack.outbox_settings.workflow_id,
        "started": True,
        "task_queue": relay_stack.task_queue,
    }
    assert second.returncode == 0, second.stderr
    assert "already running" in second.stdout

    async def stop() -> None:
        client = await relay_stack.client()
        await client.get_workflow_handle(relay_stack.outbox_settings.workflow_id).terminate()

    asyncio.run(stop())
