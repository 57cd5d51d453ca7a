"""The retention workflow's contract: its input, and the activities it calls by name.

Activities are called by name so the workflow never imports their
implementation (which reaches the database); `app.retention.activities`
implements these names with these inputs. What the activities return and what
the workflow reports are core's own types (`core.retention.plan`), which
Temporal's JSON data converter round-trips as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.retention.plan import DEFAULT_BATCH_SIZE, RetentionProgress

READ_RETENTION_POLICY = "read_retention_policy"
PRUNE_RETENTION_TABLE = "prune_retention_table"
COUNT_RETENTION_EXPIRED = "count_retention_expired"
# The workflow's query for its progress so far (a RetentionProgress, or None before it starts).
RETENTION_PROGRESS_QUERY = "retention_progress"

# Each activity call (many batches, a few seconds' worth) adds about six events
# (activity scheduled/started/completed and a workflow task); this keeps a run
# far below Temporal's history limits.
DEFAULT_MAX_HISTORY_EVENTS = 5_000


@dataclass(frozen=True)
class ReadRetentionPolicyInput:
    """Read the retention setting; no parameters, a dataclass so it can grow compatibly."""


@dataclass(frozen=True)
class PruneTableInput:
    """Delete rows of `table` older than `older_than`, at most `batch_size` per transaction,
    for a few seconds at most; each batch is recorded under `run_key` in the ledger."""

    run_key: str
    table: str
    older_than: datetime
    batch_size: int


@dataclass(frozen=True)
class CountExpiredInput:
    """Count the rows of `table` older than `older_than`."""

    table: str
    older_than: datetime


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
