"""The outbox rows: the real relay's throughput, its commit-to-handler latency, its idle queries.

The relay runs as users run it (`relay_fleet`: `strata worker` processes, the
default OUTBOX_* settings and lanes). The events are `invitation.accepted`,
which the handler registry marks NOT_DELIVERED: each is claimed, looked up,
handed to nothing and published, the whole path with a no-op handler. Both
ends of every time are the database's clock: a commit is stamped with
`clock_timestamp()` right after it returns, an event's delivery by its
`published_at` (the publish statement's start, after its handler returned, so
it bounds the handler's start from above).
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg
from returns.unsafe import unsafe_perform_io
from sqlalchemy import Connection, DateTime, Engine, func, select, text

from core.domains.domain_events.entities import NewDomainEvent
from core.domains.invitations.events import InvitationAccepted
from core.event_registry import domain_event
from devservers.bench.context import BenchContext
from devservers.bench.latency import p99
from devservers.bench.seeding import reset_table
from devservers.bench.table import Direction, Figure, Goal
from devservers.stack import libpq_url
from infra.db.repositories.domain_events import insert_domain_event_in_transaction
from infra.db.schema import domain_event_streams, domain_events

THROUGHPUT_NAME = "outbox relay throughput (no-op handler)"
THROUGHPUT_GOAL = Goal(Direction.AT_LEAST, 1_000)  # events/s with 2 workers
LATENCY_NAME = "outbox commit-to-handler latency"
LATENCY_GOAL = Goal(Direction.AT_MOST, 150)  # p50, ms
IDLE_NAME = "outbox idle queries per second"
IDLE_GOAL = Goal(Direction.AT_MOST, 1)

# Each aggregate gets a few events, so the claim's per-aggregate order is part of the work.
EVENTS_PER_AGGREGATE = 4
# Far apart enough that each commit finds the relay idle again.
LATENCY_SPACING_SECONDS = 0.04
DELIVERED_POLL_SECONDS = 0.05
DELIVERY_TIMEOUT_SECONDS = 120.0
UNDELIVERED = ("pending", "processing")
ORGANIZATION = uuid.UUID(int=1)

# Every transaction any backend of this database committed or rolled back, as the statistics
# system has been told; a backend reports when it goes idle (at most once a second, else
# within ten), so a window misses a report at its start about as often as it gains one at its end.
TRANSACTIONS_SO_FAR = text("""
    SELECT xact_commit + xact_rollback, pg_stat_force_next_flush()
    FROM pg_stat_database WHERE datname = current_database()
""")
FLUSH_OWN_STATISTICS = text("SELECT pg_stat_force_next_flush()")


def throughput_figure(context: BenchContext) -> Figure:
    """Events/s from the commit of a backlog to its last publish, 2 workers then 1."""
    events = context.sizes.outbox_events
    two_workers_lanes = context.relay.serve(2)
    two_workers = _delivered_per_second(context, events)
    context.relay.serve(1)
    one_worker = _delivered_per_second(context, events)
    measured = (
        f"{events:,} events ({EVENTS_PER_AGGREGATE} per aggregate): "
        f"2 workers {two_workers:,.0f} ev/s (lanes on {two_workers_lanes}), "
        f"1 worker {one_worker:,.0f} ev/s"
    )
    return Figure(THROUGHPUT_NAME, measured, two_workers, THROUGHPUT_GOAL)


def latency_figure(context: BenchContext) -> Figure:
    """p50 (the goal) and p99 of commit → published, one event at a time, the relay idle."""
    context.relay.serve(1)
    _reset(context)
    committed: dict[uuid.UUID, datetime] = {}
    for _ in range(context.sizes.outbox_latency_samples):
        event = no_op_event(uuid.uuid4())
        committed[event.aggregate_id] = _append_committed(context.runtime, [event])
        time.sleep(LATENCY_SPACING_SECONDS)
    _wait_until_delivered(context.owner)
    with context.owner.connect() as connection:
        published = _published_at(connection)
    latencies = commit_to_publish_ms(committed, published)
    median, slowest = p50(latencies), p99(latencies)
    measured = (
        f"{len(latencies)} events {LATENCY_SPACING_SECONDS * 1000:.0f} ms apart, 1 worker: "
        f"p50 {median:.1f} ms, p99 {slowest:.1f} ms"
    )
    return Figure(LATENCY_NAME, measured, median, LATENCY_GOAL)


def idle_figure(context: BenchContext) -> Figure:
    """Transactions/s the database saw over the window, the relay idle on 2 workers.

    Every transaction counts, from any backend of the bench's database: each
    idle poll of a lane is two (the pool's pre-ping, then the claim). PostgreSQL
    reports a busy backend's statistics up to ten seconds late, so the window
    opens only after the settle time, the row runs before the other outbox
    rows, and the bench's own pooled connections are closed first (a backend
    reports as it exits).
    """
    context.relay.serve(2)
    _reset(context)
    context.runtime.dispose()
    time.sleep(context.sizes.outbox_idle_settle_seconds)
    seconds = context.sizes.outbox_idle_seconds
    with psycopg.connect(libpq_url(context.owner_url), autocommit=True) as connection:
        # This connection's own start-up transaction is reported now, not inside the window.
        connection.execute(FLUSH_OWN_STATISTICS.text)
        before, started = _transactions(connection), time.monotonic()
        time.sleep(seconds)
        after, elapsed = _transactions(connection), time.monotonic() - started
    # The window holds one transaction of ours: the first reading.
    relay = after - before - 1
    rate = per_second(relay, elapsed)
    measured = f"{elapsed:.1f} s idle, 2 workers: {relay} transactions ({rate:.2f}/s)"
    return Figure(IDLE_NAME, measured, rate, IDLE_GOAL)


def p50(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def per_second(count: int, seconds: float) -> float:
    return count / seconds


def commit_to_publish_ms(
    committed: dict[uuid.UUID, datetime], published: dict[uuid.UUID, datetime]
) -> list[float]:
    """Milliseconds from each aggregate's commit to its event's publish, in commit order.

    Raises:
        ValueError: an event committed but never published (the relay lost it).
    """
    missing = committed.keys() - published.keys()
    if missing:
        raise ValueError(f"{len(missing)} committed event(s) were never published")
    return [
        (published[aggregate] - at).total_seconds() * 1000 for aggregate, at in committed.items()
    ]


def aggregate_plan(events: int, per_aggregate: int) -> list[uuid.UUID]:
    """The aggregate of each event in append order: every aggregate's first event, then
    every aggregate's second, and so on, as many aggregates' writes interleave."""
    aggregates = [uuid.uuid4() for _ in range(max(1, -(-events // per_aggregate)))]
    return [aggregates[index % len(aggregates)] for index in range(events)]


def _delivered_per_second(context: BenchContext, events: int) -> float:
    _reset(context)
    backlog = [no_op_event(aggregate) for aggregate in aggregate_plan(events, EVENTS_PER_AGGREGATE)]
    # One transaction: the whole backlog becomes visible, and wakes the relay, at one instant.
    committed_at = _append_committed(context.runtime, backlog)
    _wait_until_delivered(context.owner)
    published = func.count().filter(domain_events.c.status == "published")
    with context.owner.connect() as connection:
        count, last = connection.execute(
            select(published, func.max(domain_events.c.published_at))
        ).one()
    if count != events:
        raise RuntimeError(f"{events - count} of {events} events were not published")
    return per_second(events, (last - committed_at).total_seconds())


def no_op_event(aggregate: uuid.UUID) -> NewDomainEvent:
    """An `invitation.accepted` event, a type the handler registry marks NOT_DELIVERED."""
    payload = InvitationAccepted(
        invitation_id=aggregate, organization_id=ORGANIZATION, email="bench@example.test"
    )
    return domain_event(payload, aggregate, datetime.now(UTC))


def _append_committed(engine: Engine, events: Sequence[NewDomainEvent]) -> datetime:
    """Append `events` through the store in one transaction; the database's clock once the
    commit has returned."""
    with engine.connect() as connection:
        with connection.begin():
            for event in events:
                unsafe_perform_io(insert_domain_event_in_transaction(connection, event).unwrap())
        clock = func.clock_timestamp(type_=DateTime(timezone=True))
        stamped: datetime = connection.execute(select(clock)).scalar_one()
        return stamped


def _wait_until_delivered(engine: Engine) -> None:
    undelivered = (
        select(func.count())
        .select_from(domain_events)
        .where(domain_events.c.status.in_(UNDELIVERED))
    )
    deadline = time.monotonic() + DELIVERY_TIMEOUT_SECONDS
    with engine.connect() as connection:
        while connection.execute(undelivered).scalar_one() > 0:
            connection.rollback()
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"the relay left events undelivered after {DELIVERY_TIMEOUT_SECONDS:g} s"
                )
            time.sleep(DELIVERED_POLL_SECONDS)


def _published_at(connection: Connection) -> dict[uuid.UUID, datetime]:
    """When each aggregate's (one) event was published."""
    rows = connection.execute(
        select(domain_events.c.aggregate_id, func.max(domain_events.c.published_at))
        .where(domain_events.c.status == "published")
        .group_by(domain_events.c.aggregate_id)
    )
    return {aggregate: at for aggregate, at in rows}


def _transactions(connection: psycopg.Connection[Any]) -> int:
    row = connection.execute(TRANSACTIONS_SO_FAR.text).fetchone()
    assert row is not None, "pg_stat_database has a row for every database"
    return int(row[0])


def _reset(context: BenchContext) -> None:
    for table in (domain_events, domain_event_streams):
        reset_table(context.owner_url, table)
