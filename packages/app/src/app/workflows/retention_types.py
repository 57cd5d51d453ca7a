"""The retention workflow's contract: its input and summary, and the activities it calls.

Activities are called by name so the workflow never imports their
implementation (which reaches the database); `app.activities` implements these
names with these input and output types. Every type here is a plain dataclass
that Temporal's JSON converter round-trips.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

READ_RETENTION_POLICY = "read_retention_policy"
PRUNE_RETENTION_BATCH = "prune_retention_batch"
COUNT_RETENTION_EXPIRED = "count_retention_expired"

DEFAULT_BATCH_SIZE = 1_000
# Each batch adds about six events (activity scheduled/started/completed and a
# workflow task); this keeps a run far below Temporal's history limits.
DEFAULT_MAX_HISTORY_EVENTS = 5_000


@dataclass(frozen=True)
class ReadRetentionPolicyInput:
    """Read the `retention` setting; no parameters, a dataclass so it can grow compatibly."""


@dataclass(frozen=True)
class TableRule:
    table: str
    enabled: bool
    retention_days: int


@dataclass(frozen=True)
class MalformedTableEntry:
    """An entry left out of the policy; `table` is `*` when the whole setting is unusable."""

    table: str
    reason: str


@dataclass(frozen=True)
class RetentionPolicy:
    """The policy as read at the start of a run, plus the tables the registry knows."""

    known_tables: list[str]
    rules: list[TableRule] = field(default_factory=list)
    malformed: list[MalformedTableEntry] = field(default_factory=list)


@dataclass(frozen=True)
class PruneBatchInput:
    """Delete at most `batch_size` rows of `table` older than `older_than`."""

    table: str
    older_than: datetime
    batch_size: int


@dataclass(frozen=True)
class CountExpiredInput:
    """Count the rows of `table` older than `older_than`."""

    table: str
    older_than: datetime


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
class RetentionProgress:
    """Fixed when the run starts and carried across continue-as-new."""

    reference_time: datetime
    tables: list[TableProgress]
    continuations: int = 0


@dataclass(frozen=True)
class RetentionPruneInput:
    """How to run: `as_of` may only move the cutoffs back in time, never forward.

    `progress` is set by the workflow itself when it continues as new, so the
    continued run keeps the same cutoffs and totals.
    """

    dry_run: bool = False
    batch_size: int = DEFAULT_BATCH_SIZE
    as_of: datetime | None = None
    max_history_events: int = DEFAULT_MAX_HISTORY_EVENTS
    progress: RetentionProgress | None = None


@dataclass(frozen=True)
class RetentionRunSummary:
    """What a run did, per table, in registry order (malformed unknown tables last)."""

    dry_run: bool
    reference_time: datetime
    tables: list[TableProgress]
    continuations: int = 0

    @property
    def total_deleted(self) -> int:
        return sum(table.deleted for table in self.tables)
