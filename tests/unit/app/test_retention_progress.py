"""What `strata retention run` and `status` show of a run's progress, without a terminal."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime

from rich.console import Console
from rich.live import Live

from app.retention.progress import ProgressMonitor
from app.retention.watch import RunWatcher
from core.retention.plan import RetentionProgress, TableProgress, TableStatus

CUTOFF = datetime(2026, 1, 1, tzinfo=UTC)


def pending(table: str, deleted: int) -> TableProgress:
    return TableProgress(table, TableStatus.PENDING, cutoff=CUTOFF, deleted=deleted)


def pruned(table: str, deleted: int) -> TableProgress:
    return TableProgress(table, TableStatus.PRUNED, cutoff=CUTOFF, deleted=deleted)


def plain_console(buffer: io.StringIO) -> Console:
    """A console that is not a terminal, as in a pipe or a CI log."""
    return Console(file=buffer, width=140, force_terminal=False, color_system=None)


def shown(monitor: ProgressMonitor) -> str:
    buffer = io.StringIO()
    plain_console(buffer).print(monitor.render("retention run in progress"))
    return buffer.getvalue()


def row_of(output: str, table: str) -> list[str]:
    line = next(line for line in output.splitlines() if f" {table} " in line)
    return [cell.strip() for cell in line.split("│")[1:-1]]


def test_the_rate_is_the_rows_deleted_between_the_first_report_and_the_last_that_moved() -> None:
    monitor = ProgressMonitor()
    monitor.observe([pending("audit_events", 0)], at=10.0)
    monitor.observe([pending("audit_events", 5_000)], at=12.0)
    monitor.observe([pending("audit_events", 20_000)], at=15.0)
    monitor.observe([pruned("audit_events", 20_000)], at=30.0)
    assert monitor.rate("audit_events") == 4_000.0


def test_a_table_seen_once_has_no_rate_yet() -> None:
    monitor = ProgressMonitor()
    monitor.observe([pending("audit_events", 700)], at=1.0)
    assert monitor.rate("audit_events") is None
    assert row_of(shown(monitor), "audit_events")[3] == "-"


def test_the_rows_to_go_are_the_counted_total_less_what_the_run_has_deleted_since() -> None:
    monitor = ProgressMonitor()
    monitor.observe([pending("audit_events", 1_000), pending("invitations", 0)], at=0.0)
    assert [table.table for table in monitor.uncounted()] == ["audit_events", "invitations"]
    monitor.expect("audit_events", already_deleted=1_200, still_expired=8_800)
    monitor.observe([pending("audit_events", 4_000), pending("invitations", 0)], at=1.0)
    assert [table.table for table in monitor.uncounted()] == ["invitations"]
    assert monitor.to_go(monitor.tables[0]) == 6_000
    assert monitor.to_go(monitor.tables[1]) is None


def test_a_finished_table_has_nothing_to_go_and_a_skipped_one_shows_its_reason() -> None:
    monitor = ProgressMonitor()
    skipped = TableProgress("invitations", TableStatus.SKIPPED, reason="disabled")
    monitor.observe([pruned("audit_events", 12_345), skipped], at=0.0)
    output = shown(monitor)
    assert row_of(output, "audit_events")[:5] == ["audit_events", "pruned", "12,345", "-", "0"]
    assert row_of(output, "invitations")[:5] == ["invitations", "skipped", "0", "-", "-"]
    assert "disabled" in row_of(output, "invitations")[6]


def test_a_dry_runs_counted_table_shows_the_rows_it_would_delete() -> None:
    monitor = ProgressMonitor()
    counted = TableProgress("audit_events", TableStatus.COUNTED, cutoff=CUTOFF, would_delete=42)
    monitor.observe([counted], at=0.0)
    assert row_of(shown(monitor), "audit_events")[2] == "42"


def test_the_watcher_redraws_the_live_table_with_each_report() -> None:
    buffer = io.StringIO()
    clock = iter([0.0, 2.0])
    with Live(console=plain_console(buffer), transient=False) as live:
        watcher = RunWatcher(live, "retention run in progress", count_to_go=False,
                             clock=lambda: next(clock))  # fmt: skip
        for deleted in (0, 3_000):
            report = RetentionProgress(CUTOFF, [pending("audit_events", deleted)], "run-1")
            asyncio.run(watcher(report))
    # Off a terminal, Live prints its last table once, when it stops.
    assert row_of(buffer.getvalue(), "audit_events")[:4] == [
        "audit_events", "pending", "3,000", "1,500",
    ]  # fmt: skip
