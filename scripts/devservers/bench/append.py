"""The append rows: events/s through the store's one insert path ÷ a raw INSERT, 8 writers.

Both sides have the same transaction shape (BEGIN, one statement, COMMIT
through SQLAlchemy on the runtime role's pooled engine), so the ratio is what
the store's own work costs: moving the stream row to its next version (whose
lock the writers of one aggregate wait on until the holder commits), encoding
the payload and decoding the stored row. The raw side is handed its sequence
numbers, which the store must find itself, and writes no stream row.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from sqlalchemy import Connection, text

from core.domains.domain_events.entities import NewDomainEvent
from core.domains.organizations.events import OrganizationCreated
from core.event_registry import aggregate_type_of, event_type_of
from devservers.bench.context import BenchContext
from devservers.bench.seeding import reset_table
from devservers.bench.sizes import WRITERS
from devservers.bench.table import Direction, Figure, Goal
from infra.db.event_payloads import encode_payload
from infra.db.repositories.domain_events import insert_domain_event_in_transaction
from infra.db.schema import domain_event_streams, domain_events

GOAL = Goal(Direction.AT_LEAST, 0.8)
PAYLOAD = OrganizationCreated(
    organization_id=uuid.UUID(int=1), name="Bench", billing_email="bench@example.test"
)
EVENT_TYPE = event_type_of(PAYLOAD)
AGGREGATE_TYPE = aggregate_type_of(EVENT_TYPE)
# Encoded once, as the store encodes it: the raw side pays no encoding, as a floor should.
ENCODED_PAYLOAD = json.dumps(encode_payload(PAYLOAD))

# strata: ignore[DE001] the baseline the store is measured against: a raw insert handed its sequence
RAW_INSERT = text("""
    INSERT INTO domain_events (event_type, aggregate_type, aggregate_id, sequence_number,
                               payload, occurred_at)
    VALUES (:event_type, :aggregate_type, :aggregate_id, :sequence_number,
            CAST(:payload AS jsonb), :occurred_at)
""")

Append = Callable[[Connection, uuid.UUID], None]


def row_name(aggregates: int) -> str:
    noun = "aggregate" if aggregates == 1 else "aggregates"
    return f"append {WRITERS} writers / {aggregates} {noun}"


def append_figure(context: BenchContext, aggregates: int) -> Figure:
    """Best events/s of each side over the rounds, the sides alternating."""
    ids = [uuid.uuid4() for _ in range(aggregates)]
    store_rates: list[float] = []
    raw_rates: list[float] = []
    for round_number in range(context.sizes.rounds):
        sides = [("store", store_rates), ("raw", raw_rates)]
        for side, rates in sides[:: 1 if round_number % 2 == 0 else -1]:
            append = _through_store if side == "store" else _raw_inserter()
            rates.append(_events_per_second(context, ids, append))
    store, raw = max(store_rates), max(raw_rates)
    measured = f"store {store:,.0f} ev/s ÷ raw INSERT {raw:,.0f} ev/s"
    return Figure(row_name(aggregates), measured, store / raw, GOAL)


def _events_per_second(context: BenchContext, ids: list[uuid.UUID], append: Append) -> float:
    for table in (domain_events, domain_event_streams):
        reset_table(context.owner_url, table)
    per_writer = context.sizes.append_events_per_writer
    # Writers take the aggregates in turn, so with one aggregate all eight contend for it.
    plans = [
        [ids[(writer * per_writer + index) % len(ids)] for index in range(per_writer)]
        for writer in range(WRITERS)
    ]

    def write(plan: list[uuid.UUID]) -> None:
        for aggregate_id in plan:
            with context.runtime.begin() as connection:
                append(connection, aggregate_id)

    started = time.perf_counter()
    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(write, plans))
    return WRITERS * per_writer / (time.perf_counter() - started)


def _through_store(connection: Connection, aggregate_id: uuid.UUID) -> None:
    event = NewDomainEvent(EVENT_TYPE, AGGREGATE_TYPE, aggregate_id, PAYLOAD, datetime.now(UTC))
    insert_domain_event_in_transaction(connection, event).unwrap()


def _raw_inserter() -> Append:
    """A raw insert with sequence numbers precomputed per aggregate, shared by every writer."""
    counters: dict[uuid.UUID, itertools.count[int]] = {}
    lock = threading.Lock()

    def insert(connection: Connection, aggregate_id: uuid.UUID) -> None:
        with lock:
            sequence = next(counters.setdefault(aggregate_id, itertools.count(1)))
        values = {
            "event_type": EVENT_TYPE,
            "aggregate_type": AGGREGATE_TYPE,
            "aggregate_id": aggregate_id,
            "sequence_number": sequence,
            "payload": ENCODED_PAYLOAD,
            "occurred_at": datetime.now(UTC),
        }
        connection.execute(RAW_INSERT, values)

    return insert
