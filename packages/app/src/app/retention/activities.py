"""Retention activities: the workflow's only way to reach the database, through core ports.

Built by the worker from the ports the composition root (`app.bootstrap`)
wires: a settings reader and one `RetentionTarget` per logical table. The
methods are synchronous; the worker runs them in a thread pool. They are the
entry point that unwraps the repositories' `returns` containers: a failure
retrying can fix (the database is down) stays retryable, anything else fails
the run at once.

A prune call runs batch after batch, each its own short transaction, until the
table is done or PRUNE_CALL_BUDGET is spent, heartbeating its progress; a retry
resumes from the last heartbeat. What it reports comes from the ledger the
batches wrote, so a batch committed by an attempt that died is still counted.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any, TypeVar

from returns.io import IOResult
from returns.pipeline import is_successful
from returns.unsafe import unsafe_perform_io
from temporalio import activity
from temporalio.exceptions import ApplicationError

from app.heartbeats import run_heartbeating
from app.retention import contract
from core.errors import Conflict, DatabaseUnavailable, PersistenceError
from core.retention.plan import PruneCallProgress, RetentionPolicy, TablePruneReport
from core.retention.ports import RetentionSettingsReader, RetentionTarget

T = TypeVar("T")

# Long enough that Temporal's per-call cost is small beside the batches, short enough
# that a cancellation or a continue-as-new check is never far away.
PRUNE_CALL_BUDGET = timedelta(seconds=5)
# A prune deletes by cutoff, so repeating it after a dropped connection or a
# lost race with a concurrent run is always safe; other failures will not heal.
RETRYABLE_FAILURES = (DatabaseUnavailable, Conflict)
UNKNOWN_TABLE = "UnknownRetentionTable"
INVALID_BATCH_SIZE = "InvalidBatchSize"


class RetentionActivities:
    """The activities of `RetentionPruneWorkflow`, bound to their ports."""

    def __init__(
        self, settings: RetentionSettingsReader, targets: Mapping[str, RetentionTarget]
    ) -> None:
        self._settings = settings
        self._targets = dict(targets)

    @property
    def all(self) -> list[Callable[..., object]]:
        """Every activity, as the worker registers them."""
        return [self.read_retention_policy, self.prune_table, self.count_expired]

    @activity.defn(name=contract.READ_RETENTION_POLICY)
    def read_retention_policy(self, request: contract.ReadRetentionPolicyInput) -> RetentionPolicy:
        """Read the retention setting: usable rules, malformed entries, known tables."""
        settings = _unwrap(self._settings.get_retention_settings())
        return RetentionPolicy(known_tables=tuple(self._targets), settings=settings)

    @activity.defn(name=contract.PRUNE_RETENTION_TABLE)
    def prune_table(self, request: contract.PruneTableInput) -> TablePruneReport:
        """Delete batches for a few seconds; safe to retry, since each deletes by cutoff."""
        if request.batch_size < 1:
            raise ApplicationError(
                f"batch size must be at least 1, got {request.batch_size}",
                type=INVALID_BATCH_SIZE,
                non_retryable=True,
            )
        call = _PruneCall(
            self._target(request.table), request, resumed(activity.info().heartbeat_details)
        )
        return run_heartbeating(call.run, lambda: dataclasses.asdict(call.progress))

    @activity.defn(name=contract.COUNT_RETENTION_EXPIRED)
    def count_expired(self, request: contract.CountExpiredInput) -> int:
        """Count what a prune with this cutoff would delete (dry run)."""
        target = self._target(request.table)
        return run_heartbeating(lambda _: _unwrap(target.count_expired(request.older_than)))

    def _target(self, table: str) -> RetentionTarget:
        target = self._targets.get(table)
        if target is None:
            known = ", ".join(sorted(self._targets))
            raise ApplicationError(
                f"no retention target named {table!r} (known: {known})",
                type=UNKNOWN_TABLE,
                non_retryable=True,
            )
        return target


class _PruneCall:
    """One prune call: batches until the table is done, the budget is spent, or it must stop."""

    def __init__(
        self,
        target: RetentionTarget,
        request: contract.PruneTableInput,
        progress: PruneCallProgress,
    ) -> None:
        self._target = target
        self._request = request
        self.progress = progress

    def run(self, stop: threading.Event) -> TablePruneReport:
        request = self._request
        deadline = time.monotonic() + PRUNE_CALL_BUDGET.total_seconds()
        while not self.progress.done and not stop.is_set() and time.monotonic() < deadline:
            deleted = _unwrap(
                self._target.prune_batch(request.older_than, request.batch_size, request.run_key)
            )
            self.progress = self.progress.after_batch(deleted, request.batch_size)
        so_far = _unwrap(self._target.pruned_in_run(request.run_key))
        return TablePruneReport(
            deleted=so_far.deleted, batches=so_far.batches, done=self.progress.done
        )


def resumed(heartbeat_details: Sequence[Any]) -> PruneCallProgress:
    """The progress a failed attempt last heartbeated, or a fresh start when there is none."""
    if not heartbeat_details or not isinstance(heartbeat_details[0], dict):
        return PruneCallProgress()
    try:
        return PruneCallProgress(**heartbeat_details[0])
    except TypeError:  # details of another shape (an older worker): start afresh
        return PruneCallProgress()


def _unwrap(result: IOResult[T, PersistenceError]) -> T:
    """Return the value, or raise the failure as an activity error (retryable only if transient)."""
    if is_successful(result):
        return unsafe_perform_io(result.unwrap())
    raise _activity_error(unsafe_perform_io(result.failure()))


def _activity_error(error: PersistenceError) -> ApplicationError:
    return ApplicationError(
        _describe(error),
        type=type(error).__name__,
        non_retryable=not isinstance(error, RETRYABLE_FAILURES),
    )


def _describe(error: PersistenceError) -> str:
    # The error's type travels as the ApplicationError type, which str() puts in front.
    return ", ".join(map(str, vars(error).values()))
