"""Watching a retention run from the CLI: its reports on a live table, and the rows to go.

The rows to go are counted once per table, the first time the run reports it
being pruned: what the ledger says the run already deleted plus what is still
older than the cutoff. Counting needs the database (DATABASE_URL); without it,
or when it cannot be reached, the rows to go are simply not shown.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from pydantic import ValidationError
from returns.pipeline import is_successful
from returns.unsafe import unsafe_perform_io
from rich.live import Live

from app import bootstrap
from app.errors import OperatorError
from app.retention.progress import ProgressMonitor
from core.retention.plan import RetentionProgress

# Redraws per second; new figures arrive once per activity call anyway.
LIVE_REFRESH_PER_SECOND = 2


def count_rows_to_go(monitor: ProgressMonitor, run_key: str) -> bool:
    """Count the rows to go of every table not counted yet; False when the database
    cannot be used at all (not configured), so the caller stops asking."""
    uncounted = monitor.uncounted()
    if not uncounted:
        return True
    try:
        with bootstrap.operator_errors(), bootstrap.ports() as ports:
            for table in uncounted:
                target = ports.retention_targets.get(table.table)
                if target is None or table.cutoff is None:
                    continue
                so_far = target.pruned_in_run(run_key)
                expired = target.count_expired(table.cutoff)
                if is_successful(so_far) and is_successful(expired):
                    monitor.expect(
                        table.table,
                        unsafe_perform_io(so_far.unwrap()).deleted,
                        unsafe_perform_io(expired.unwrap()),
                    )
    except (ValidationError, OperatorError):
        return False
    return True


class RunWatcher:
    """Receives a running run's reports and redraws them on a rich Live display."""

    def __init__(
        self,
        live: Live,
        title: str,
        *,
        count_to_go: bool,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.monitor = ProgressMonitor()
        self._live = live
        self._title = title
        self._count_to_go = count_to_go
        self._clock = clock

    async def __call__(self, progress: RetentionProgress) -> None:
        self.monitor.observe(progress.tables, self._clock())
        if self._count_to_go:
            # A count is a query on the database: keep it off the event loop.
            self._count_to_go = await asyncio.to_thread(
                count_rows_to_go, self.monitor, progress.run_key
            )
        self._live.update(self.monitor.render(self._title), refresh=True)
