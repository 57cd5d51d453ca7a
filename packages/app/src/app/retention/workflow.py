"""RetentionPruneWorkflow: prune every enabled table batch by batch, with cutoffs fixed per run.

Deterministic by construction: time comes from `workflow.now()`, all I/O
happens in activities, and the cutoffs chosen at the start travel with the
input across continue-as-new, so a long or restarted run never moves them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

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
        PRUNE_RETENTION_BATCH,
        READ_RETENTION_POLICY,
        CountExpiredInput,
        PruneBatchInput,
        ReadRetentionPolicyInput,
        RetentionPruneInput,
    )
    from core.retention.plan import (
        RetentionPolicy,
        RetentionProgress,
        RetentionRunSummary,
        TableProgress,
        after_batch,
        after_count,
        next_pending,
        plan_run,
        reference_time_for,
        summarize,
        with_table,
    )

# Bounded retries: a database that stays down fails the run within about half a
# minute with the reason, and the next scheduled run starts over.
RETRY_POLICY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
    maximum_attempts=6,
)
READ_POLICY_TIMEOUT = timedelta(seconds=30)
BATCH_TIMEOUT = timedelta(minutes=10)
BATCH_SCHEDULE_TIMEOUT = timedelta(minutes=30)
# Long statements heartbeat every second or so; a worker that dies mid-batch is
# noticed after this long and the batch is retried elsewhere.
HEARTBEAT_TIMEOUT = timedelta(seconds=10)


@workflow.defn(name="RetentionPruneWorkflow")
class RetentionPruneWorkflow:
    @workflow.run
    async def run(self, request: RetentionPruneInput) -> RetentionRunSummary:
        if request.batch_size < 1:
            raise ApplicationError("batch_size must be at least 1", non_retryable=True)
        progress = request.progress or await self._start(request.as_of)
        steps = 0
        while (table := next_pending(progress)) is not None:
            # At least one step per run, so a tiny limit still makes progress.
            if steps and self._history_is_large(request):
                workflow.continue_as_new(self._continued(request, progress))
            progress = with_table(progress, await self._step(table, request))
            steps += 1
        return summarize(progress, dry_run=request.dry_run)

    async def _start(self, as_of: datetime | None) -> RetentionProgress:
        policy = await workflow.execute_activity(
            READ_RETENTION_POLICY,
            ReadRetentionPolicyInput(),
            result_type=RetentionPolicy,
            start_to_close_timeout=READ_POLICY_TIMEOUT,
            schedule_to_close_timeout=READ_POLICY_TIMEOUT * 10,
            retry_policy=RETRY_POLICY,
        )
        return plan_run(policy, reference_time_for(workflow.now(), as_of))

    async def _step(self, table: TableProgress, request: RetentionPruneInput) -> TableProgress:
        assert table.cutoff is not None, "pending tables always have a cutoff"
        if request.dry_run:
            expired = await self._call(
                COUNT_RETENTION_EXPIRED, CountExpiredInput(table.table, table.cutoff)
            )
            return after_count(table, expired)
        deleted = await self._call(
            PRUNE_RETENTION_BATCH, PruneBatchInput(table.table, table.cutoff, request.batch_size)
        )
        return after_batch(table, deleted, request.batch_size)

    async def _call(self, activity: str, argument: object) -> int:
        rows: int = await workflow.execute_activity(
            activity,
            argument,
            result_type=int,
            start_to_close_timeout=BATCH_TIMEOUT,
            schedule_to_close_timeout=BATCH_SCHEDULE_TIMEOUT,
            heartbeat_timeout=HEARTBEAT_TIMEOUT,
            retry_policy=RETRY_POLICY,
        )
        return rows

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
