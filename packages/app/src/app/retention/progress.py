"""A retention run's progress as an operator watches it: rows so far, rate, rows to go.

The workflow reports its tables after each finished activity call (a few
seconds of batches); the rate is worked out here from successive reports, and
the rows to go from a count of what is still older than each table's cutoff.
Pure: the caller supplies the reports, the counts and the clock readings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.progress_bar import ProgressBar
from rich.table import Table

from core.retention.plan import TableProgress, TableStatus

BAR_WIDTH = 24


@dataclass(frozen=True)
class _Reading:
    """Rows done in a table at one clock reading (seconds)."""

    at: float
    rows: int


class ProgressMonitor:
    """Follows the reports of one run: what each table has done, how fast, what is left."""

    def __init__(self) -> None:
        self.tables: list[TableProgress] = []
        self._first: dict[str, _Reading] = {}
        self._last_change: dict[str, _Reading] = {}
        self._expected: dict[str, int] = {}

    def observe(self, tables: Sequence[TableProgress], at: float) -> None:
        """Take a report of the run's tables, read at clock reading `at` (seconds)."""
        for table in tables:
            reading = _Reading(at, rows_done(table))
            first = self._first.setdefault(table.table, reading)
            if reading.rows != self._last_change.get(table.table, first).rows:
                self._last_change[table.table] = reading
        self.tables = list(tables)

    def uncounted(self) -> list[TableProgress]:
        """Tables still being pruned whose rows to go have not been counted yet."""
        return [
            table
            for table in self.tables
            if table.status is TableStatus.PENDING
            and table.cutoff is not None
            and table.table not in self._expected
        ]

    def expect(self, table: str, already_deleted: int, still_expired: int) -> None:
        """Record a count: the run had deleted `already_deleted` rows of `table` when
        `still_expired` rows were left older than its cutoff."""
        self._expected[table] = already_deleted + still_expired

    def rate(self, table: str) -> float | None:
        """Rows per second between the first report and the last one that moved."""
        first, last = self._first.get(table), self._last_change.get(table)
        if first is None or last is None or last.at <= first.at:
            return None
        return (last.rows - first.rows) / (last.at - first.at)

    def to_go(self, table: TableProgress) -> int | None:
        """Rows left to delete, when known: none once the table is finished."""
        if table.status is not TableStatus.PENDING:
            return 0 if table.status is TableStatus.PRUNED else None
        expected = self._expected.get(table.table)
        return None if expected is None else max(expected - table.deleted, 0)

    def render(self, title: str) -> Table:
        """Every table of the run, one row each."""
        view = Table(title=title)
        view.add_column("table")
        view.add_column("status")
        for column in ("rows", "rows/s", "to go"):
            view.add_column(column, justify="right")
        view.add_column("progress")
        view.add_column("reason")
        for table in self.tables:
            rate, to_go = self.rate(table.table), self.to_go(table)
            view.add_row(
                table.table,
                table.status.value,
                f"{rows_done(table):,}",
                "-" if rate is None else f"{rate:,.0f}",
                "-" if to_go is None else f"{to_go:,}",
                _bar(table.deleted, to_go),
                table.reason or "",
            )
        return view


def rows_done(table: TableProgress) -> int:
    """Rows deleted, or for a dry run's counted table the rows it would delete."""
    if table.status is TableStatus.COUNTED:
        return table.would_delete or 0
    return table.deleted


def _bar(deleted: int, to_go: int | None) -> ProgressBar | str:
    if to_go is None or deleted + to_go == 0:
        return ""
    return ProgressBar(total=deleted + to_go, completed=deleted, width=BAR_WIDTH)
