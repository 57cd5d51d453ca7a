"""A single-row writer beside a prune: the latency an application write sees while it runs."""

from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass, field
from types import TracebackType

from sqlalchemy import Engine

from devservers.bench.seeding import TemplateRow, copy_rows


def p99(samples: list[float]) -> float:
    """The 99th percentile; with fewer than 100 samples, the largest."""
    if len(samples) < 100:
        return max(samples)
    return statistics.quantiles(samples, n=100)[98]


def idle_latencies(engine: Engine, template: TemplateRow, samples: int) -> list[float]:
    """`samples` single-row write transactions with nothing else running, each timed."""
    return [_timed_write(engine, template) for _ in range(samples)]


@dataclass
class ConcurrentWriter:
    """Writes one row per transaction in a thread, timing each, until the block exits.

    The rows are not expired (the template sits on the kept side of the
    cutoff), so the prune under test never takes them.
    """

    engine: Engine
    template: TemplateRow
    latencies: list[float] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _error: BaseException | None = None

    def __enter__(self) -> ConcurrentWriter:
        self._thread = threading.Thread(target=self._write_until_stopped, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._error is not None and error is None:
            raise self._error

    def _write_until_stopped(self) -> None:
        try:
            while not self._stop.is_set():
                self.latencies.append(_timed_write(self.engine, self.template))
        except BaseException as error:  # noqa: BLE001 - re-raised in the measuring thread
            self._error = error


def _timed_write(engine: Engine, template: TemplateRow) -> float:
    started = time.perf_counter()
    with engine.begin() as connection:
        copy_rows(connection, template, 1)
    return time.perf_counter() - started
