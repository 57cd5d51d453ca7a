"""Strata's own gauges: retention backlog and last prune per target, and the outbox's state.

Reading them counts rows in PostgreSQL, so a reading is kept for the refresh
interval and every scrape within it is answered from memory. A failed reading
is logged and the previous one served (stale rather than absent); the next
attempt waits for the next interval, so a database outage is not hammered.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector
from returns.io import IOResult
from returns.pipeline import is_successful
from returns.unsafe import unsafe_perform_io

from app import bootstrap
from core.clock import Clock
from core.domains.domain_events.entities import OutboxStatus
from core.errors import PersistenceError
from core.retention.backlog import rows_awaiting_prune

log = logging.getLogger("strata.metrics")


@dataclass(frozen=True)
class StrataReadings:
    """One reading of everything Strata's gauges show."""

    rows_awaiting_prune: Mapping[str, int]
    last_prunes: Mapping[str, datetime]
    outbox: OutboxStatus


Reader = Callable[[], IOResult[StrataReadings, PersistenceError]]


def read_strata(ports: bootstrap.Ports, clock: Clock) -> IOResult[StrataReadings, PersistenceError]:
    """Read the retention backlog at the policy's current cutoffs, the ledger and the outbox."""
    backlog = rows_awaiting_prune(ports.retention_settings, ports.retention_targets, clock.now())
    return backlog.bind(
        lambda expired: ports.retention_ledger.last_prunes().bind(
            lambda last: ports.outbox.run(lambda outbox: outbox.status()).map(
                lambda status: StrataReadings(expired, last, status)
            )
        )
    )


class StrataGauges(Collector):
    """A prometheus-client collector of Strata's gauges, read at most once per interval."""

    def __init__(
        self,
        read: Reader,
        refresh_interval: timedelta,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._read = read
        self._interval = refresh_interval.total_seconds()
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._readings: StrataReadings | None = None
        self._read_at: float | None = None

    def collect(self) -> Iterator[Metric]:
        readings = self._current()
        if readings is not None:
            yield from families(readings)

    def _current(self) -> StrataReadings | None:
        # Scrapes are served on threads; one of them reads, the others wait for it.
        with self._lock:
            now = self._monotonic()
            if self._read_at is None or now - self._read_at >= self._interval:
                self._read_at = now
                self._refresh()
            return self._readings

    def _refresh(self) -> None:
        result = self._read()
        if is_successful(result):
            self._readings = unsafe_perform_io(result.unwrap())
        else:
            log.warning("Strata gauges not refreshed: %s", unsafe_perform_io(result.failure()))


def families(readings: StrataReadings) -> Iterator[Metric]:
    """The gauges of one reading, in Prometheus' terms."""
    backlog = GaugeMetricFamily(
        "strata_retention_rows_awaiting_prune",
        "Rows past their retention cutoff under the current policy, per enabled target.",
        labels=["target"],
    )
    for target, rows in readings.rows_awaiting_prune.items():
        backlog.add_metric([target], rows)
    yield backlog
    last_prune = GaugeMetricFamily(
        "strata_retention_last_prune_timestamp_seconds",
        "When each target last committed a prune batch (Unix time); absent if never.",
        labels=["target"],
    )
    for target, at in readings.last_prunes.items():
        last_prune.add_metric([target], at.timestamp())
    yield last_prune
    yield from outbox_families(readings.outbox)


def outbox_families(status: OutboxStatus) -> Iterator[Metric]:
    """The outbox's gauges: events per status, dead letters, the next deliverable one's wait."""
    events = GaugeMetricFamily(
        "strata_outbox_events", "Domain events per delivery status.", labels=["status"]
    )
    for name, count in (
        ("pending", status.pending),
        ("processing", status.processing),
        ("published", status.published),
        ("failed", status.failed),
    ):
        events.add_metric([name], count)
    yield events
    yield GaugeMetricFamily(
        "strata_outbox_dead_letters",
        "Failed domain events: no more automatic attempts, waiting for an operator's retry.",
        value=status.dead_letters,
    )
    age = status.oldest_deliverable_age
    yield GaugeMetricFamily(
        "strata_outbox_oldest_deliverable_age_seconds",
        "How long the domain event the next claim takes first has been due (0 when none is).",
        value=0.0 if age is None else age.total_seconds(),
    )
