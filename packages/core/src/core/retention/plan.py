"""Pure decisions of a retention run: each table's cutoff or skip reason, and when it is done.

No I/O and no clock: the workflow passes its own time in, so these functions
are deterministic and unit-tested without Temporal. Every type here is a
frozen dataclass that Temporal's JSON data converter round-trips, so the
workflow carries them as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from core.retention.policy import WHOLE_SETTING, RetentionRule, RetentionSettings

# Rows per delete statement unless the operator says otherwise.
DEFAULT_BATCH_SIZE = 1_000
# The largest batch an operator may ask for: one statement holds its locks this long.
MAX_BATCH_SIZE = 100_000

DISABLED = "disabled"
NOT_CONFIGURED = "not configured"


@dataclass(frozen=True)
class RetentionPolicy:
    """The retention setting as read at the start of a run, and every table the registry knows."""

    known_tables: tuple[str, ...]
    settings: RetentionSettings


class TableStatus(StrEnum):
    PENDING = "pending"
    PRUNED = "pruned"
    COUNTED = "counted"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class TableProgress:
    """One table of a run: its cutoff or why it is skipped, and what was done so far."""

    table: str
    status: TableStatus
    cutoff: datetime | None = None
    reason: str | None = None
    deleted: int = 0
    would_delete: int | None = None
    batches: int = 0


@dataclass(frozen=True)
class TablePruneReport:
    """What one prune activity call reports: the run's totals for the table from the ledger,
    and whether the table has nothing older than its cutoff left."""

    deleted: int
    batches: int
    done: bool


@dataclass(frozen=True)
class PruneCallProgress:
    """What one prune activity call has done so far: heartbeated, and resumed from on retry."""

    batches: int = 0
    deleted: int = 0
    done: bool = False

    def after_batch(self, deleted: int, batch_size: int) -> PruneCallProgress:
        """A short batch means nothing older than the cutoff is left."""
        return PruneCallProgress(
            batches=self.batches + 1, deleted=self.deleted + deleted, done=deleted < batch_size
        )


@dataclass(frozen=True)
class RetentionProgress:
    """Fixed when the run starts and carried across continue-as-new.

    `run_key` names the run in the ledger: the first execution's run id, so it
    stays the same across activity retries and continue-as-new.
    """

    reference_time: datetime
    tables: list[TableProgress]
    run_key: str
    continuations: int = 0


@dataclass(frozen=True)
class RetentionRunSummary:
    """What a run did, per table, in registry order (malformed unknown tables last)."""

    dry_run: bool
    reference_time: datetime
    tables: list[TableProgress]
    run_key: str
    continuations: int = 0

    @property
    def total_deleted(self) -> int:
        return sum(table.deleted for table in self.tables)


def reference_time_for(now: datetime, as_of: datetime | None) -> datetime:
    """`as_of` may move the cutoffs back in time, never forward: that would prune live rows."""
    return now if as_of is None else min(as_of, now)


def plan_run(policy: RetentionPolicy, reference_time: datetime, run_key: str) -> RetentionProgress:
    """Fix every table's cutoff (or skip reason) once, from one reference time."""
    rules = policy.settings.rules
    malformed = {entry.table: entry.reason for entry in policy.settings.malformed}
    whole_setting_problem = malformed.pop(WHOLE_SETTING, None)
    # A whole setting that is unusable skips every table, whatever its own entry says.
    tables = [
        _plan_table(table, rules.get(table), whole_setting_problem or malformed.get(table),
                    reference_time)
        for table in policy.known_tables
    ]  # fmt: skip
    # Entries naming tables the registry does not know are reported, never acted on.
    tables += [
        _skipped(table, f"malformed: {reason}")
        for table, reason in malformed.items()
        if table not in policy.known_tables
    ]
    return RetentionProgress(reference_time=reference_time, tables=tables, run_key=run_key)


def _plan_table(
    table: str,
    rule: RetentionRule | None,
    malformed_reason: str | None,
    reference_time: datetime,
) -> TableProgress:
    if malformed_reason is not None:
        return _skipped(table, f"malformed: {malformed_reason}")
    if rule is None:
        return _skipped(table, NOT_CONFIGURED)
    if not rule.enabled:
        return _skipped(table, DISABLED)
    return TableProgress(
        table=table, status=TableStatus.PENDING, cutoff=rule.cutoff(reference_time)
    )


def _skipped(table: str, reason: str) -> TableProgress:
    return TableProgress(table=table, status=TableStatus.SKIPPED, reason=reason)


def after_prune(table: TableProgress, report: TablePruneReport) -> TableProgress:
    """Take the ledger's totals as they are (never add to them: a retried call would count
    twice), and finish the table once nothing older than its cutoff is left."""
    return replace(
        table,
        deleted=report.deleted,
        batches=report.batches,
        status=TableStatus.PRUNED if report.done else TableStatus.PENDING,
    )


def after_count(table: TableProgress, expired: int) -> TableProgress:
    """Record a dry run's count: what a real run with this cutoff would delete."""
    return replace(table, would_delete=expired, status=TableStatus.COUNTED)


def with_table(progress: RetentionProgress, updated: TableProgress) -> RetentionProgress:
    tables = [updated if table.table == updated.table else table for table in progress.tables]
    return replace(progress, tables=tables)


def next_pending(progress: RetentionProgress) -> TableProgress | None:
    return next((t for t in progress.tables if t.status is TableStatus.PENDING), None)


def summarize(progress: RetentionProgress, *, dry_run: bool) -> RetentionRunSummary:
    return RetentionRunSummary(
        dry_run=dry_run,
        reference_time=progress.reference_time,
        tables=list(progress.tables),
        run_key=progress.run_key,
        continuations=progress.continuations,
    )
