"""The outbox rows' pure parts: the no-op event, the backlog's aggregates, latencies, p50."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from app.outbox.handlers import NOT_DELIVERED
from app.outbox.registry import EVENT_HANDLERS
from devservers.bench.outbox import (
    aggregate_plan,
    commit_to_publish_ms,
    no_op_event,
    p50,
    per_second,
)
from devservers.bench.rows import selected_rows

COMMITTED = datetime(2026, 1, 1, tzinfo=UTC)


def test_the_no_op_event_is_of_a_type_the_relay_delivers_to_nobody() -> None:
    event = no_op_event(uuid.uuid4())

    assert EVENT_HANDLERS[event.event_type] is NOT_DELIVERED


def test_the_backlog_gives_every_aggregate_its_share_of_events_interleaved() -> None:
    plan = aggregate_plan(10, per_aggregate=4)

    assert sorted(Counter(plan).values()) == [3, 3, 4]
    # Every aggregate's first event comes before any aggregate's second.
    assert len(set(plan[:3])) == 3
    assert plan[3:6] == plan[:3]


def test_a_backlog_smaller_than_one_share_still_has_an_aggregate() -> None:
    assert len(set(aggregate_plan(1, per_aggregate=4))) == 1


def test_latencies_run_from_each_commit_to_its_events_publish_in_milliseconds() -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    committed = {first: COMMITTED, second: COMMITTED + timedelta(seconds=1)}
    published = {
        second: COMMITTED + timedelta(seconds=1, milliseconds=40),
        first: COMMITTED + timedelta(milliseconds=25),
    }

    assert commit_to_publish_ms(committed, published) == pytest.approx([25.0, 40.0])


def test_an_event_committed_but_never_published_is_refused_not_skipped() -> None:
    lost = uuid.uuid4()

    with pytest.raises(ValueError, match="1 committed event"):
        commit_to_publish_ms({lost: COMMITTED}, {})


def test_the_p50_of_an_even_count_lies_between_the_middle_two() -> None:
    assert p50([40.0, 10.0, 30.0, 20.0]) == 25.0


def test_a_rate_is_the_count_over_the_seconds() -> None:
    assert per_second(5_000, 2.5) == 2_000


def test_the_outbox_rows_are_selected_together_idle_first() -> None:
    names = [row.name for row in selected_rows(("outbox",))]

    assert names == [
        "outbox idle queries per second",
        "outbox relay throughput (no-op handler)",
        "outbox commit-to-handler latency",
    ]
