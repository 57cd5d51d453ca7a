"""How retention results look on a terminal (rich) and to scripts (JSON)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rich.table import Table

from app.retention.runs import FinishedRun
from app.retention.schedule import ScheduleView
from core.retention.ledger import PrunedBatch, totals_by_target
from core.retention.plan import RetentionRunSummary, TableProgress

CUTOFF_FORMAT = "%Y-%m-%d %H:%M:%S"
UPCOMING_RUNS_SHOWN = 3


def render_summary(summary: RetentionRunSummary) -> Table:
    verb = "would delete" if summary.dry_run else "deleted"
    title = "retention dry run" if summary.dry_run else "retention run"
    table = Table(title=f"{title} as of {_utc(summary.reference_time)} (times in UTC)")
    for column in ("table", "status", "cutoff"):
        table.add_column(column)
    table.add_column(verb, justify="right")
    table.add_column("batches", justify="right")
    table.add_column("reason")
    for row in summary.tables:
        table.add_row(
            row.table,
            row.status.value,
            _utc(row.cutoff) if row.cutoff else "-",
            str(_rows(row, dry_run=summary.dry_run)),
            str(row.batches),
            row.reason or "",
        )
    return table


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(CUTOFF_FORMAT)


def _rows(row: TableProgress, *, dry_run: bool) -> int:
    return (row.would_delete or 0) if dry_run else row.deleted


def summary_as_json(finished: FinishedRun, ui_url: str | None) -> dict[str, Any]:
    summary = finished.summary
    return {
        "workflow_id": finished.workflow_id,
        "run_key": summary.run_key,
        "ui_url": ui_url,
        "dry_run": summary.dry_run,
        "reference_time": summary.reference_time.isoformat(),
        "continuations": summary.continuations,
        "total_deleted": summary.total_deleted,
        "tables": {row.table: _table_as_json(row) for row in summary.tables},
    }


def _table_as_json(row: TableProgress) -> dict[str, Any]:
    return {
        "status": row.status.value,
        "cutoff": row.cutoff.isoformat() if row.cutoff else None,
        "deleted": row.deleted,
        "would_delete": row.would_delete,
        "batches": row.batches,
        "reason": row.reason,
    }


def render_schedule(view: ScheduleView) -> Table:
    table = Table(title=f"schedule {view.schedule_id}", show_header=False)
    table.add_column("field")
    table.add_column("value")
    table.add_row("when", view.spec)
    table.add_row("state", "paused" if view.paused else "active")
    table.add_row("note", view.note or "")
    table.add_row("overlap", view.overlap)
    table.add_row("catch-up window", f"{view.catchup_window_seconds:.0f}s")
    table.add_row("task queue", view.task_queue)
    table.add_row("runs started", str(view.runs_started))
    table.add_row("recent runs", "\n".join(view.recent_runs) or "-")
    upcoming = view.next_runs[:UPCOMING_RUNS_SHOWN]
    table.add_row("next runs (UTC)", "\n".join(_utc(t) for t in upcoming) or "-")
    return table


def render_run_history(run_key: str, batches: list[PrunedBatch]) -> Table:
    """One run's ledger per target: cutoff, batches, rows, and when its batches committed."""
    table = Table(title=f"retention run {run_key}: what it deleted (times in UTC)")
    for column in ("table", "cutoff"):
        table.add_column(column)
    table.add_column("batches", justify="right")
    table.add_column("deleted", justify="right")
    table.add_column("first batch")
    table.add_column("last batch")
    totals = totals_by_target(batches)
    for target, so_far in totals.items():
        mine = [batch for batch in batches if batch.target == target]
        table.add_row(
            target,
            _utc(mine[0].cutoff),
            str(so_far.batches),
            f"{so_far.deleted:,}",
            _utc(mine[0].recorded_at),
            _utc(mine[-1].recorded_at),
        )
    return table


def render_latest_batches(batches: list[PrunedBatch]) -> Table:
    """The latest ledger entries of any run, newest first."""
    table = Table(title="latest retention batches, newest first (times in UTC)")
    for column in ("recorded", "run", "table", "cutoff"):
        table.add_column(column)
    table.add_column("deleted", justify="right")
    for batch in batches:
        table.add_row(
            _utc(batch.recorded_at),
            batch.run_key,
            batch.target,
            _utc(batch.cutoff),
            f"{batch.rows_deleted:,}",
        )
    return table


def history_as_json(run_key: str | None, batches: list[PrunedBatch]) -> dict[str, Any]:
    return {
        "run_key": run_key,
        "totals": {
            target: {"deleted": so_far.deleted, "batches": so_far.batches}
            for target, so_far in totals_by_target(batches).items()
        },
        "batches": [
            {
                "run_key": batch.run_key,
                "table": batch.target,
                "cutoff": batch.cutoff.isoformat(),
                "rows_deleted": batch.rows_deleted,
                "recorded_at": batch.recorded_at.isoformat(),
            }
            for batch in batches
        ],
    }
