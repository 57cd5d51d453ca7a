"""The outbox's side of `domain_events`: claims, leases, per-aggregate order, backoff, retries.

Claims take whatever is deliverable in the whole table and concurrent claimers
need their own committed transactions, so these tests run on a scratch
database of this module's own, emptied before each test.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import TypeVar
from uuid import UUID, uuid4

import pytest
from returns.io import IOResult
from returns.unsafe import unsafe_perform_io
from sqlalchemy import Connection, Engine, text, update
from sqlalchemy.exc import DBAPIError

from core.domains.domain_events.entities import StoredDomainEvent
from core.domains.domain_events.errors import LeaseLost
from core.errors import NotFound
from infra.db.factories import DomainEventsFactory
from infra.db.repositories.domain_events import SqlDomainEventStore
from infra.db.schema import domain_events

LEASE = timedelta(minutes=1)
SHORT = timedelta(milliseconds=50)
PAST_SHORT = 0.3  # seconds: comfortably longer than SHORT

ValueT = TypeVar("ValueT")
pytestmark = pytest.mark.usefixtures("empty_outbox")


def in_transaction(
    outbox_engine: Engine, work: Callable[[SqlDomainEventStore], IOResult[ValueT, object]]
) -> ValueT:
    """Run one store operation in its own committed transaction; its success value."""
    with outbox_engine.begin() as connection:
        outcome = work(SqlDomainEventStore(connection))
    return unsafe_perform_io(outcome.unwrap())


def failure_of(
    outbox_engine: Engine, work: Callable[[SqlDomainEventStore], IOResult[object, object]]
) -> object:
    with outbox_engine.begin() as connection:
        outcome = work(SqlDomainEventStore(connection))
    return unsafe_perform_io(outcome.failure())


def append(outbox_engine: Engine, aggregate_id: UUID | None = None, count: int = 1) -> list[UUID]:
    """`count` committed pending events of one aggregate (a new one by default), in order."""
    aggregate = aggregate_id or uuid4()
    with outbox_engine.begin() as connection:
        return [
            DomainEventsFactory.create(connection=connection, aggregate_id=aggregate).id
            for _ in range(count)
        ]


def claim(
    outbox_engine: Engine, limit: int = 10, lease: timedelta = LEASE
) -> list[StoredDomainEvent]:
    return list(in_transaction(outbox_engine, lambda store: store.claim_deliverable(limit, lease)))


def ids(events: list[StoredDomainEvent]) -> set[UUID]:
    return {event.id for event in events}


def publish(outbox_engine: Engine, event: StoredDomainEvent) -> StoredDomainEvent:
    return in_transaction(
        outbox_engine, lambda store: store.mark_published(event.id, event.attempts)
    )


def give_up(outbox_engine: Engine, event: StoredDomainEvent) -> StoredDomainEvent:
    return in_transaction(
        outbox_engine, lambda store: store.dead_letter(event.id, event.attempts, "poison")
    )


def test_a_claim_leases_deliverable_events_as_processing_with_one_more_attempt(
    outbox_engine: Engine,
) -> None:
    appended = {append(outbox_engine)[0] for _ in range(3)}
    before = datetime.now(UTC)
    claimed = claim(outbox_engine, lease=LEASE)
    assert ids(claimed) == appended
    assert {(event.status, event.attempts) for event in claimed} == {("processing", 1)}
    for event in claimed:
        assert event.locked_until is not None
        assert before + LEASE - timedelta(seconds=5) < event.locked_until
        assert event.locked_until < datetime.now(UTC) + LEASE + timedelta(seconds=5)


def test_a_claim_hands_out_no_more_than_its_limit(outbox_engine: Engine) -> None:
    appended = {append(outbox_engine)[0] for _ in range(5)}
    first = claim(outbox_engine, limit=2)
    rest = claim(outbox_engine, limit=10)
    assert (len(first), ids(first) | ids(rest)) == (2, appended)
    assert claim(outbox_engine) == []


def test_a_claim_skips_events_an_open_claim_holds_without_waiting(outbox_engine: Engine) -> None:
    appended = {append(outbox_engine)[0] for _ in range(6)}
    with outbox_engine.begin() as holding, outbox_engine.begin() as other:
        held = unsafe_perform_io(SqlDomainEventStore(holding).claim_deliverable(3, LEASE).unwrap())
        # Waiting for the held rows would hit the timeout and fail the claim.
        other.execute(text("SET LOCAL lock_timeout = '2s'"))
        rest = unsafe_perform_io(SqlDomainEventStore(other).claim_deliverable(10, LEASE).unwrap())
    held_ids, rest_ids = ids(list(held)), ids(list(rest))
    assert held_ids.isdisjoint(rest_ids)
    assert held_ids | rest_ids == appended


def test_two_concurrent_claimers_never_get_the_same_event(outbox_engine: Engine) -> None:
    appended = {append(outbox_engine)[0] for _ in range(200)}
    start = threading.Barrier(2)

    def claimer(_: int) -> list[UUID]:
        start.wait()
        mine: list[UUID] = []
        while batch := claim(outbox_engine, limit=7):
            mine.extend(event.id for event in batch)
        return mine

    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(claimer, range(2))
    assert set(first).isdisjoint(second)
    assert (len(first) + len(second), set(first) | set(second)) == (200, appended)


def test_a_later_event_waits_while_an_earlier_one_of_its_aggregate_is_undelivered(
    outbox_engine: Engine,
) -> None:
    first, second, _third = append(outbox_engine, count=3)
    (claimed,) = claim(outbox_engine)
    assert claimed.id == first
    assert claim(outbox_engine) == []  # the first is processing
    publish(outbox_engine, claimed)
    assert ids(claim(outbox_engine)) == {second}


def test_an_event_waits_for_an_earlier_one_held_back_by_its_backoff(outbox_engine: Engine) -> None:
    first, _second = append(outbox_engine, count=2)
    (claimed,) = claim(outbox_engine)
    in_transaction(
        outbox_engine,
        lambda store: store.retry_later(first, claimed.attempts, timedelta(hours=1), "busy"),
    )
    assert claim(outbox_engine) == []


def test_a_dead_letter_does_not_block_the_events_after_it(outbox_engine: Engine) -> None:
    first, second = append(outbox_engine, count=2)
    dead_letter(outbox_engine, first)
    assert ids(claim(outbox_engine)) == {second}


def test_two_claimers_publishing_as_they_go_deliver_each_aggregate_in_sequence_order(
    outbox_engine: Engine,
) -> None:
    aggregates = [uuid4() for _ in range(20)]
    for aggregate_id in aggregates:
        append(outbox_engine, aggregate_id, count=8)
    handled: list[tuple[UUID, int]] = []
    log = threading.Lock()

    def relay(_: int) -> None:
        while batch := claim(outbox_engine, limit=5):
            with log:
                handled.extend((event.aggregate_id, event.sequence_number) for event in batch)
            for event in batch:
                publish(outbox_engine, event)

    def drain() -> None:
        # A claimer may find nothing while the other still holds the heads; go again.
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(relay, range(2)))

    while len(handled) < 160:
        before = len(handled)
        drain()
        assert len(handled) > before, "no progress: an aggregate is blocked"
    for aggregate_id in aggregates:
        order = [number for aggregate, number in handled if aggregate == aggregate_id]
        assert order == list(range(1, 9))


def test_an_expired_lease_is_reclaimed_with_one_more_attempt(outbox_engine: Engine) -> None:
    (appended,) = append(outbox_engine)
    claim(outbox_engine, lease=SHORT)
    time.sleep(PAST_SHORT)
    (reclaimed,) = claim(outbox_engine)
    assert (reclaimed.id, reclaimed.status, reclaimed.attempts) == (appended, "processing", 2)


def test_a_lease_that_has_not_run_out_is_not_reclaimed(outbox_engine: Engine) -> None:
    append(outbox_engine)
    claim(outbox_engine, lease=LEASE)
    time.sleep(PAST_SHORT)
    assert claim(outbox_engine) == []


def test_a_claimer_whose_lease_was_taken_over_cannot_end_the_delivery(
    outbox_engine: Engine,
) -> None:
    (appended,) = append(outbox_engine)
    (stale,) = claim(outbox_engine, lease=SHORT)
    time.sleep(PAST_SHORT)
    (current,) = claim(outbox_engine)
    refused = failure_of(
        outbox_engine, lambda store: store.mark_published(appended, stale.attempts)
    )
    assert refused == LeaseLost(appended, stale.attempts)
    assert publish(outbox_engine, current).status == "published"


def test_backoff_keeps_an_event_back_until_its_available_at(outbox_engine: Engine) -> None:
    (appended,) = append(outbox_engine)
    (claimed,) = claim(outbox_engine)
    retried = in_transaction(
        outbox_engine, lambda store: store.retry_later(appended, claimed.attempts, SHORT, "timeout")
    )
    assert (retried.status, retried.locked_until, retried.last_error) == (
        "pending",
        None,
        "timeout",
    )
    assert claim(outbox_engine) == []
    time.sleep(PAST_SHORT)
    (again,) = claim(outbox_engine)
    assert (again.id, again.attempts, again.last_error) == (appended, 2, "timeout")


def test_a_published_event_is_never_claimed_again(outbox_engine: Engine) -> None:
    append(outbox_engine)
    (claimed,) = claim(outbox_engine)
    published = publish(outbox_engine, claimed)
    assert (published.status, published.locked_until) == ("published", None)
    assert published.published_at is not None
    assert claim(outbox_engine) == []


def test_an_operator_retry_makes_a_dead_letter_deliverable_again(outbox_engine: Engine) -> None:
    (appended,) = append(outbox_engine)
    dead_letter(outbox_engine, appended)
    assert claim(outbox_engine) == []
    retried = in_transaction(outbox_engine, lambda store: store.retry_failed(appended))
    assert (retried.status, retried.failure_reason, retried.last_error) == (
        "pending",
        None,
        "poison",
    )
    (again,) = claim(outbox_engine)
    assert (again.id, again.attempts) == (appended, 2)


def test_retrying_all_failed_events_retries_every_dead_letter_and_nothing_else(
    outbox_engine: Engine,
) -> None:
    appended = {append(outbox_engine)[0] for _ in range(4)}
    claimed = claim(outbox_engine)
    for event in claimed[:3]:
        give_up(outbox_engine, event)
    assert in_transaction(outbox_engine, lambda store: store.retry_all_failed()) == 3
    # The fourth is still processing under its lease.
    assert ids(claim(outbox_engine)) == {event.id for event in claimed[:3]}
    assert len(appended) == len(claimed) == 4


def test_retrying_an_event_that_is_not_failed_is_not_found(outbox_engine: Engine) -> None:
    (appended,) = append(outbox_engine)
    refused = failure_of(outbox_engine, lambda store: store.retry_failed(appended))
    assert refused == NotFound("failed domain event", str(appended))


def dead_letter(outbox_engine: Engine, event_id: UUID) -> None:
    """Claim the one deliverable event, `event_id`, and give up on it."""
    (claimed,) = claim(outbox_engine)
    assert claimed.id == event_id
    give_up(outbox_engine, claimed)


def requeue(connection: Connection, event_id: UUID) -> None:
    """failed -> pending by an ordinary UPDATE, as a careless script would try."""
    connection.execute(
        update(domain_events).where(domain_events.c.id == event_id).values(status="pending")
    )


def refused_constraint(error: DBAPIError) -> str | None:
    return getattr(getattr(error.orig, "diag", None), "constraint_name", None)


def test_an_ordinary_update_cannot_move_a_dead_letter_back_to_pending(
    outbox_engine: Engine,
) -> None:
    (appended,) = append(outbox_engine)
    dead_letter(outbox_engine, appended)
    with pytest.raises(DBAPIError) as refused, outbox_engine.begin() as connection:
        requeue(connection, appended)
    assert refused_constraint(refused.value) == "domain_events_status_transition"


def test_the_operator_retry_setting_ends_with_its_transaction(outbox_engine: Engine) -> None:
    (appended,) = append(outbox_engine)
    dead_letter(outbox_engine, appended)
    with outbox_engine.connect() as connection:
        with connection.begin():
            store = SqlDomainEventStore(connection)
            retried = unsafe_perform_io(store.retry_failed(appended).unwrap())
            (claimed,) = unsafe_perform_io(store.claim_deliverable(1, LEASE).unwrap())
            store.dead_letter(appended, claimed.attempts, "poison again")
        assert retried.status == "pending"
        with pytest.raises(DBAPIError) as refused, connection.begin():
            requeue(connection, appended)
    assert refused_constraint(refused.value) == "domain_events_status_transition"


def test_a_claim_of_nothing_asks_nothing(outbox_engine: Engine) -> None:
    append(outbox_engine)
    assert claim(outbox_engine, limit=0) == []
    assert len(claim(outbox_engine, limit=1)) == 1


def test_ending_a_delivery_of_an_event_that_is_not_processing_is_a_lost_lease(
    outbox_engine: Engine,
) -> None:
    (appended,) = append(outbox_engine)
    refused = failure_of(
        outbox_engine, lambda store: store.dead_letter(appended, 0, "never claimed")
    )
    assert refused == LeaseLost(appended, 0)


def test_publishing_a_batch_publishes_only_the_events_whose_lease_is_still_held(
    outbox_engine: Engine,
) -> None:
    append(outbox_engine), append(outbox_engine), append(outbox_engine)
    (expired,) = claim(outbox_engine, limit=1, lease=SHORT)
    held, wrong_attempt = claim(outbox_engine, limit=2)
    time.sleep(PAST_SHORT)
    (taken_over,) = claim(outbox_engine)

    published = in_transaction(
        outbox_engine,
        lambda store: store.mark_all_published(
            [(expired.id, expired.attempts), (held.id, held.attempts), (wrong_attempt.id, 99)]
        ),
    )

    assert published == {held.id}
    assert taken_over.id == expired.id
    assert in_transaction(outbox_engine, lambda store: store.get(expired.id)).status == "processing"
    assert in_transaction(outbox_engine, lambda store: store.get(wrong_attempt.id)).status == (
        "processing"
    )
