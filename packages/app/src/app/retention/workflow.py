"""RetentionPruneWorkflow: prune every enabled table batch by batch, with cutoffs fixed per run.

Deterministic by construction: time comes from `workflow.now()`, all I/O
happens in activities, and the cutoffs chosen at the start travel with the
input across continue-as-new, so a long or restarted run never moves them.
Each activity call runs a few seconds of short batch transactions, so the
per-call cost of Temporal is paid once per many batches; the counts it
reports are the ledger's, recorded by the batches themselves under the run's key.

The `progress` query answers with the run's progress as of its last finished
activity call; it only reads, so answering it never changes the history.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    # The data converter resolves a dataclass's annotations in its module as the
    # sandbox sees it, and the sandbox only sees modules imported here by name:
    # RetentionPolicy's `settings` field needs `core.retention.policy` in it.
    import core.retention.policy  # noqa: F401
    from app.retention.contract import (
        COUNT_RETENTION_EXPIRED,
        PRUNE_RETENTION_TABLE,
        READ_RETENTION_POLICY,
        RETENTION_PROGRESS_QUERY,
        CountExpiredInput,
        PruneTableInput,
        ReadRetentionPolicyInput,
        RetentionPruneInput,
    )
    from core.retention.plan import (
        RetentionPolicy,
        RetentionProgress,
        RetentionRunSummary,
        TableProgress,
        TablePruneReport,
        after_count,
        after_prune,
        next_pending,
        plan_run,
        reference_time_for,
        summarize,
        with_table,
    )

T = TypeVar("T")

# Bounded retries: a database that stays down fails the run within about half a
# minute with the reason, and the next scheduled run starts over.
RETRY_POLICY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
    maximum_attempts=6,
)
READ_POLICY_TIMEOUT = timedelta(seconds=30)
# A call stops starting batches after a few seconds; these bound a batch stuck on a lock.
CALL_TIMEOUT = timedelta(minutes=10)
CALL_SCHEDULE_TIMEOUT = timedelta(minutes=30)
# Calls heartbeat every second or so; a worker that dies mid-call is noticed after
# this long and the call is retried elsewhere, resuming from its last heartbeat.
HEARTBEAT_TIMEOUT = timedelta(seconds=10)


@workflow.defn(name="RetentionPruneWorkflow")
class RetentionPruneWorkflow:
    def __init__(self) -> None:
        # What the `progress` query reports; None until the policy has been read.
        self._progress: RetentionProgress | None = None

    @workflow.run
    async def run(self, request: RetentionPruneInput) -> RetentionRunSummary:
        if request.batch_size < 1:
            raise ApplicationError("batch_size must be at least 1", non_retryable=True)
        progress = self._progress = request.progress or await self._start(request.as_of)
        steps = 0
        while (table := next_pending(progress)) is not None:
            # At least one step per run, so a tiny limit still makes progress.
            if steps and self._history_is_large(request):
                workflow.continue_as_new(self._continued(request, progress))
            progress = with_table(progress, await self._step(table, request, progress.run_key))
            self._progress = progress
            steps += 1
        return summarize(progress, dry_run=request.dry_run)

    @workflow.query(name=RETENTION_PROGRESS_QUERY)
    def progress(self) -> RetentionProgress | None:
        """Every table's cutoff or skip reason and its totals after the last finished call."""
        return self._progress

    async def _start(self, as_of: datetime | None) -> RetentionProgress:
        policy = await workflow.execute_activity(
            READ_RETENTION_POLICY,
            ReadRetentionPolicyInput(),
            result_type=RetentionPolicy,
            start_to_close_timeout=READ_POLICY_TIMEOUT,
            schedule_to_close_timeout=READ_POLICY_TIMEOUT * 10,
            retry_policy=RETRY_POLICY,
        )
        # The first execution's run id: the same in every continuation and workflow retry.
        run_key = workflow.info().first_execution_run_id
        return plan_run(policy, reference_time_for(workflow.now(), as_of), run_key)

    async def _step(
        self, table: TableProgress, request: RetentionPruneInput, run_key: str
    ) -> TableProgress:
        assert table.cutoff is not None, "pending tables always have a cutoff"
        if request.dry_run:
            expired = await self._call(
                COUNT_RETENTION_EXPIRED, CountExpiredInput(table.table, table.cutoff), int
            )
            return after_count(table, expired)
        prune = PruneTableInput(run_key, table.table, table.cutoff, request.batch_size)
        report = await self._call(PRUNE_RETENTION_TABLE, prune, TablePruneReport)
        return after_prune(table, report)

    async def _call(self, activity: str, argument: object, result_type: type[T]) -> T:
        result: T = await workflow.execute_activity(
            activity,
            argument,
            result_type=result_type,
            start_to_close_timeout=CALL_TIMEOUT,
            schedule_to_close_timeout=CALL_SCHEDULE_TIMEOUT,
            heartbeat_timeout=HEARTBEAT_TIMEOUT,
            retry_policy=RETRY_POLICY,
        )
        return result

    @staticmethod
    def _history_is_large(request: RetentionPruneInput) -> bool:
        info = workflow.info()
        return (
            info.is_continue_as_new_suggested()
            or info.get_current_history_length() >= request.max_history_events
        )

    @staticmethod
    def _continued(
        request: RetentionPruneInput, progress: RetentionProgress
    ) -> RetentionPruneInput:
        carried = replace(progress, continuations=progress.continuations + 1)
        return replace(request, progress=carried)
