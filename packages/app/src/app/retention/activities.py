"""Retention activities: the workflow's only way to reach the database, through core ports.

Built by the worker from the ports the composition root (`app.bootstrap`)
wires: a settings reader and one `RetentionTarget` per logical table. The
methods are synchronous; the worker runs them in a thread pool. They are the
entry point that unwraps the repositories' `returns` containers: a failure
retrying can fix (the database is down) stays retryable, anything else fails
the run at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from returns.io import IOResult
from returns.pipeline import is_successful
from returns.unsafe import unsafe_perform_io
from temporalio import activity
from temporalio.exceptions import ApplicationError

from app.retention import contract
from core.errors import Conflict, DatabaseUnavailable, PersistenceError
from core.retention.plan import RetentionPolicy
from core.retention.ports import RetentionSettingsReader, RetentionTarget

T = TypeVar("T")

HEARTBEAT_EVERY_SECONDS = 1.0
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
        return [self.read_retention_policy, self.prune_batch, self.count_expired]

    @activity.defn(name=contract.READ_RETENTION_POLICY)
    def read_retention_policy(self, request: contract.ReadRetentionPolicyInput) -> RetentionPolicy:
        """Read the `retention` setting: usable rules, malformed entries, known tables."""
        settings = _unwrap(self._settings.get_retention_settings())
        return RetentionPolicy(known_tables=tuple(self._targets), settings=settings)

    @activity.defn(name=contract.PRUNE_RETENTION_BATCH)
    def prune_batch(self, request: contract.PruneBatchInput) -> int:
        """Delete one batch; safe to retry, since it deletes by cutoff, never by remembered ids."""
        if request.batch_size < 1:
            raise ApplicationError(
                f"batch size must be at least 1, got {request.batch_size}",
                type=INVALID_BATCH_SIZE,
                non_retryable=True,
            )
        target = self._target(request.table)
        return _with_heartbeats(
            lambda: _unwrap(target.prune_batch(request.older_than, request.batch_size))
        )

    @activity.defn(name=contract.COUNT_RETENTION_EXPIRED)
    def count_expired(self, request: contract.CountExpiredInput) -> int:
        """Count what a prune with this cutoff would delete (dry run)."""
        target = self._target(request.table)
        return _with_heartbeats(lambda: _unwrap(target.count_expired(request.older_than)))

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


def _with_heartbeats(work: Callable[[], T]) -> T:
    """Run `work` on a helper thread, heartbeating while it runs so a long statement is not
    mistaken for a dead worker (and a dead worker is noticed after the heartbeat timeout).

    A statement that finishes within the first interval sends no heartbeat at all:
    the worker flushes heartbeats before completing, so each would cost a round trip.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="retention-statement") as pool:
        future = pool.submit(work)
        while True:
            try:
                return future.result(timeout=HEARTBEAT_EVERY_SECONDS)
            except TimeoutError:
                activity.heartbeat()
