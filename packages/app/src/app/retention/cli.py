"""`strata retention …`: run a prune now, and manage the schedule that runs it."""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.live import Live
from temporalio.client import Client

from app import bootstrap
from app.retention.output import (
    history_as_json,
    render_latest_batches,
    render_run_history,
    render_schedule,
    render_summary,
    summary_as_json,
)
from app.retention.progress import ProgressMonitor
from app.retention.runs import (
    FinishedRun,
    ProgressListener,
    RunRequest,
    RunState,
    has_workers,
    run_retention,
    run_state,
    run_url,
)
from app.retention.schedule import (
    describe_schedule,
    ensure_schedule,
    pause_schedule,
    trigger_schedule,
    unpause_schedule,
)
from app.retention.watch import LIVE_REFRESH_PER_SECOND, RunWatcher, count_rows_to_go
from app.settings import TemporalSettings
from app.temporal_calls import with_temporal
from app.terminal import value_of
from core.retention.plan import MAX_BATCH_SIZE

T = TypeVar("T")

LATEST_BATCHES_SHOWN = 20

retention_app = typer.Typer(help="Retention pruning on Temporal.", no_args_is_help=True)
schedule_app = typer.Typer(help="The schedule that runs retention pruning.", no_args_is_help=True)
retention_app.add_typer(schedule_app, name="schedule")
console = Console()
error_console = Console(stderr=True)


def _with_client(settings: TemporalSettings, work: Callable[[Client], Awaitable[T]]) -> T:
    return with_temporal(
        settings,
        work,
        "interrupted; a run already started goes on on the Temporal server "
        "(stop it there, or let it finish)",
    )


@retention_app.command("run")
def run(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what would be deleted; delete nothing.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    batch_size: Annotated[
        int | None,
        typer.Option(
            min=1, max=MAX_BATCH_SIZE, help="Rows per delete (default RETENTION_BATCH_SIZE)."
        ),
    ] = None,
    as_of: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%dT%H:%M:%S%z"],
            help="Compute cutoffs from this instant instead of now (earlier only).",
        ),
    ] = None,
) -> None:
    """Start one retention run on the worker's task queue, wait, and print what it pruned
    (showing each table's progress while it runs, unless --json)."""
    settings = TemporalSettings()
    request = RunRequest(dry_run, batch_size or settings.prune_batch_size, as_of)
    if as_json:
        finished = _with_client(settings, lambda client: _run(client, settings, request))
    else:
        console.print(f"running retention on task queue {settings.task_queue!r} …")
        finished = _with_client(settings, lambda client: _run_watched(client, settings, request))
    url = run_url(settings, finished.workflow_id)
    if as_json:
        print(json.dumps(summary_as_json(finished, url), indent=2))
        return
    console.print(render_summary(finished.summary))
    console.print(f"workflow {finished.workflow_id}", soft_wrap=True)
    if not finished.summary.dry_run:
        key = finished.summary.run_key
        console.print(f"run key {key} (`strata retention history {key}`)", soft_wrap=True)
    if url:
        console.print(f"see it in the Temporal UI: {url}", soft_wrap=True)


async def _run(
    client: Client,
    settings: TemporalSettings,
    request: RunRequest,
    on_progress: ProgressListener | None = None,
) -> FinishedRun:
    if not await has_workers(client, settings):
        error_console.print(
            f"warning: no worker has polled task queue {settings.task_queue!r} lately; "
            "the run waits until `strata worker` runs"
        )
    return await run_retention(client, settings, request, on_progress)


async def _run_watched(
    client: Client, settings: TemporalSettings, request: RunRequest
) -> FinishedRun:
    # Transient: the live table gives way to the summary once the run has finished.
    with Live(
        "waiting for a worker to report the run's progress …",
        console=console,
        transient=True,
        refresh_per_second=LIVE_REFRESH_PER_SECOND,
    ) as live:
        title = "retention dry run in progress" if request.dry_run else "retention run in progress"
        watcher = RunWatcher(live, title, count_to_go=not request.dry_run)
        return await _run(client, settings, request, watcher)


@retention_app.command("status")
def status(
    workflow_id: Annotated[
        str | None,
        typer.Argument(
            help="A run's workflow id (`workflow_id` of `run --json`); omit for the latest run."
        ),
    ] = None,
) -> None:
    """Show each table's progress of a run, running or finished."""
    settings = TemporalSettings()
    state = _with_client(settings, lambda client: run_state(client, workflow_id))
    monitor = ProgressMonitor()
    monitor.observe(state.tables, time.monotonic())
    if state.running and state.run_key is not None:
        count_rows_to_go(monitor, state.run_key)
    console.print(monitor.render(_status_title(state)))
    if state.running and not state.tables:
        console.print("no progress yet: the run has not read its policy, or no worker answers")


def _status_title(state: RunState) -> str:
    kind = "retention dry run" if state.dry_run else "retention run"
    return f"{kind} {state.workflow_id}: {'running' if state.running else 'finished'}"


@retention_app.command("history")
def history(
    run_key: Annotated[
        str | None,
        typer.Argument(
            help="A run's key (`run_key` of `run --json`); omit for the latest batches."
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option(min=1, help="How many of the latest batches, without RUN_KEY.")
    ] = LATEST_BATCHES_SHOWN,
    as_json: Annotated[bool, typer.Option("--json", help="Print every batch as JSON.")] = False,
) -> None:
    """What retention runs deleted, from the ledger their batches wrote."""
    with bootstrap.operator_errors(), bootstrap.ports() as ports:
        ledger = ports.retention_ledger
        batches = value_of(
            ledger.batches_of(run_key) if run_key is not None else ledger.latest_batches(limit)
        )
    if as_json:
        print(json.dumps(history_as_json(run_key, batches), indent=2))
    elif run_key is None:
        console.print(render_latest_batches(batches))
    elif not batches:
        console.print(f"no batch recorded for run {run_key!r}")
    else:
        console.print(render_run_history(run_key, batches))


@schedule_app.command("ensure")
def ensure() -> None:
    """Create the schedule, or update it to match the settings (idempotent)."""
    settings = TemporalSettings()
    outcome = _with_client(settings, lambda client: ensure_schedule(client, settings))
    when = settings.schedule_cron or f"every {settings.schedule_interval}"
    console.print(f"schedule {settings.schedule_id!r} {outcome.value} ({when})")


@schedule_app.command("describe")
def describe() -> None:
    """Show the schedule: its times, state, and recent and upcoming runs."""
    settings = TemporalSettings()
    view = _with_client(settings, lambda client: describe_schedule(client, settings))
    console.print(render_schedule(view))


@schedule_app.command("pause")
def pause(
    note: Annotated[str, typer.Option(help="Why it is paused.")] = "paused from the CLI",
) -> None:
    """Stop starting scheduled runs (a run in progress finishes)."""
    _operate_schedule(lambda client, settings: pause_schedule(client, settings, note), "paused")


@schedule_app.command("unpause")
def unpause(
    note: Annotated[str, typer.Option(help="Why it is resumed.")] = "unpaused from the CLI",
) -> None:
    """Resume scheduled runs."""
    _operate_schedule(lambda client, settings: unpause_schedule(client, settings, note), "unpaused")


@schedule_app.command("trigger")
def trigger() -> None:
    """Start one scheduled run now (skipped if one is still running)."""
    _operate_schedule(trigger_schedule, "triggered")


def _operate_schedule(
    operation: Callable[[Client, TemporalSettings], Awaitable[None]], done: str
) -> None:
    """Apply one operation to the existing schedule, then say what was done to it."""
    settings = TemporalSettings()
    _with_client(settings, lambda client: operation(client, settings))
    console.print(f"schedule {settings.schedule_id!r} {done}")
