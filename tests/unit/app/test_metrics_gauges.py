"""Strata's gauges: one database reading per refresh interval, stale rather than absent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from returns.io import IOFailure, IOResult, IOSuccess

from app.metrics.gauges import StrataGauges, StrataReadings
from core.domains.domain_events.entities import OutboxStatus
from core.errors import DatabaseUnavailable, PersistenceError

READING = StrataReadings(
    rows_awaiting_prune={"audit_events": 3, "invitations": 0},
    last_prunes={"audit_events": datetime(2026, 1, 1, tzinfo=UTC)},
    outbox=OutboxStatus(
        pending=2, processing=1, published=7, failed=4, oldest_deliverable_age=timedelta(seconds=9)
    ),
)


class Reader:
    def __init__(self, *results: IOResult[StrataReadings, PersistenceError]) -> None:
        self.results = list(results)
        self.reads = 0

    def __call__(self) -> IOResult[StrataReadings, PersistenceError]:
        self.reads += 1
        return self.results.pop(0)


class Clock:
    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


def samples(gauges: StrataGauges) -> dict[tuple[str, tuple[str, ...]], float]:
    return {
        (sample.name, tuple(sample.labels.values())): sample.value
        for family in gauges.collect()
        for sample in family.samples
    }


def test_every_gauge_shows_its_reading() -> None:
    gauges = StrataGauges(Reader(IOSuccess(READING)), timedelta(seconds=30), Clock())

    assert samples(gauges) == {
        ("strata_retention_rows_awaiting_prune", ("audit_events",)): 3,
        ("strata_retention_rows_awaiting_prune", ("invitations",)): 0,
        ("strata_retention_last_prune_timestamp_seconds", ("audit_events",)): 1767225600.0,
        ("strata_outbox_events", ("pending",)): 2,
        ("strata_outbox_events", ("processing",)): 1,
        ("strata_outbox_events", ("published",)): 7,
        ("strata_outbox_events", ("failed",)): 4,
        ("strata_outbox_dead_letters", ()): 4,
        ("strata_outbox_oldest_deliverable_age_seconds", ()): 9.0,
    }


def test_scrapes_within_the_refresh_interval_read_the_database_once() -> None:
    reader, clock = Reader(IOSuccess(READING), IOSuccess(READING)), Clock()
    gauges = StrataGauges(reader, timedelta(seconds=30), clock)

    samples(gauges)
    clock.seconds += 29
    samples(gauges)
    assert reader.reads == 1
    clock.seconds += 1
    samples(gauges)
    assert reader.reads == 2


def test_a_failed_reading_serves_the_previous_one_and_waits_an_interval_to_retry() -> None:
    unavailable = IOFailure(DatabaseUnavailable("gone"))
    reader, clock = Reader(IOSuccess(READING), unavailable, IOSuccess(READING)), Clock()
    gauges = StrataGauges(reader, timedelta(seconds=30), clock)
    first = samples(gauges)

    clock.seconds += 30
    assert samples(gauges) == first
    clock.seconds += 10
    samples(gauges)
    assert reader.reads == 2


def test_no_reading_yet_means_no_gauges_rather_than_zeros() -> None:
    gauges = StrataGauges(Reader(IOFailure(DatabaseUnavailable("gone"))), timedelta(1), Clock())

    assert samples(gauges) == {}
