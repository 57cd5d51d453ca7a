"""A run reports its progress through a Temporal query while it runs, and `status` reads it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from datetime import datetime, timedelta

import pytest
from returns.io import IOResult

from app.retention import activities
from app.retention.runs import RunState, current_progress, run_state
from core.errors import PersistenceError
from core.retention.ledger import PrunedSoFar
from core.retention.plan import RetentionProgress, RetentionRunSummary, TableStatus
from core.retention.ports import RetentionTarget
from devservers.worker_process import StrataWorker
from tests.workflows.harness import RetentionStack
from tests.workflows.test_retention_operations import strata
from tests.workflows.test_retention_workflow import ALL_ENABLED, DAYS, reference_time, seed

BATCH = 1
PER_SIDE = 15
# Each batch takes this long and each call stops starting batches after CALL_BUDGET,
# so every table takes a few calls and the run a few seconds.
BATCH_PAUSE_SECONDS = 0.05
CALL_BUDGET = timedelta(seconds=0.3)
POLL_SECONDS = 0.05


class SlowBatches:
    """A target whose every batch takes a little while, as a large backlog's would."""

    def __init__(self, target: RetentionTarget) -> None:
        self._target = target

    def prune_batch(
        self, older_than: datetime, batch_size: int, run_key: str
    ) -> IOResult[int, PersistenceError]:
        time.sleep(BATCH_PAUSE_SECONDS)
        return self._target.prune_batch(older_than, batch_size, run_key)

    def pruned_in_run(self, run_key: str) -> IOResult[PrunedSoFar, PersistenceError]:
        return self._target.pruned_in_run(run_key)

    def count_expired(self, older_than: datetime) -> IOResult[int, PersistenceError]:
        return self._target.count_expired(older_than)


def slow(targets: Mapping[str, RetentionTarget]) -> Mapping[str, RetentionTarget]:
    return {name: SlowBatches(target) for name, target in targets.items()}


def test_the_progress_query_reports_totals_that_advance_while_the_run_goes_on(
    stack: RetentionStack, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(activities, "PRUNE_CALL_BUDGET", CALL_BUDGET)
    as_of = reference_time()
    seeded = seed(stack, as_of, per_side=PER_SIDE)
    stack.set_retention(ALL_ENABLED)

    async def watch_a_run() -> tuple[list[int], RetentionRunSummary, RetentionProgress | None]:
        client = await stack.client()
        async with stack.worker(client, slow):
            handle = await stack.start(client, as_of=as_of, batch_size=BATCH)
            result = asyncio.ensure_future(handle.result())
            totals: list[int] = []
            while not result.done():
                progress = await current_progress(client, handle.id)
                if progress is not None:
                    totals.append(sum(table.deleted for table in progress.tables))
                await asyncio.sleep(POLL_SECONDS)
            summary = await result
            final = await current_progress(client, handle.id)
        return totals, summary, final

    totals, summary, final = asyncio.run(watch_a_run())

    expired = sum(len(seeded.expired[name]) for name in DAYS)
    assert summary.total_deleted == expired
    assert totals == sorted(totals), "the totals never go back"
    partial = {total for total in totals if 0 < total < expired}
    assert len(partial) >= 2, f"seen advancing mid-run: {totals}"
    assert final is not None
    assert final.tables == summary.tables


def test_status_reads_a_running_run_from_its_query_and_a_finished_one_from_its_result(
    stack: RetentionStack, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(activities, "PRUNE_CALL_BUDGET", CALL_BUDGET)
    as_of = reference_time()
    seed(stack, as_of, per_side=PER_SIDE)
    stack.set_retention(ALL_ENABLED)

    async def read_a_run_twice() -> tuple[RunState, RunState]:
        client = await stack.client()
        async with stack.worker(client, slow):
            handle = await stack.start(client, as_of=as_of, batch_size=BATCH)
            running = await run_state(client, handle.id)
            while not running.tables:  # until the run has read its policy
                await asyncio.sleep(POLL_SECONDS)
                running = await run_state(client, handle.id)
            await handle.result()
        return running, await run_state(client, handle.id)

    running, finished = asyncio.run(read_a_run_twice())

    assert running.running
    assert set(DAYS) <= {table.table for table in running.tables}
    assert not finished.running
    assert finished.dry_run is False
    statuses = {table.table: table.status for table in finished.tables}
    assert {name: statuses[name] for name in DAYS} == dict.fromkeys(DAYS, TableStatus.PRUNED)


def test_strata_retention_run_without_json_ends_with_the_summary_and_status_reads_it_back(
    stack: RetentionStack,
):
    as_of = reference_time()
    seeded = seed(stack, as_of, per_side=3)
    stack.set_retention(ALL_ENABLED)
    with StrataWorker(stack.environment):
        ran = strata(stack, "retention", "run", "--as-of", as_of.isoformat())
    assert ran.returncode == 0, ran.stderr
    workflow_id = next(
        line.split()[1] for line in ran.stdout.splitlines() if line.startswith("workflow ")
    )
    status = strata(stack, "retention", "status", workflow_id, COLUMNS="200")
    assert status.returncode == 0, status.stderr
    assert f"retention run {workflow_id}: finished" in " ".join(status.stdout.split())
    for name in DAYS:
        row = next(line for line in status.stdout.splitlines() if f" {name} " in line)
        assert "pruned" in row
        assert f" {len(seeded.expired[name])} " in row
