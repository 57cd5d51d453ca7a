"""Ports of retention: the settings reader, one prunable target per logical table, the ledger."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from returns.io import IOResult

from core.errors import PersistenceError
from core.retention.ledger import PrunedBatch, PrunedSoFar
from core.retention.policy import RetentionSettings


class RetentionTarget(Protocol):
    """One prunable table: deletes or counts its expired rows in bounded batches."""

    def prune_batch(
        self, older_than: datetime, batch_size: int, run_key: str
    ) -> IOResult[int, PersistenceError]:
        """Delete at most `batch_size` expired rows and record them under `run_key` in the
        ledger, in one transaction; return how many were deleted."""
        ...

    def pruned_in_run(self, run_key: str) -> IOResult[PrunedSoFar, PersistenceError]:
        """What the ledger holds for this target under `run_key`."""
        ...

    def count_expired(self, older_than: datetime) -> IOResult[int, PersistenceError]:
        """Count the rows a prune with this cutoff would delete."""
        ...


class RetentionLedger(Protocol):
    """Reads back what retention runs deleted (the audit trail)."""

    def batches_of(self, run_key: str) -> IOResult[list[PrunedBatch], PersistenceError]:
        """Every entry of one run, oldest first."""
        ...

    def latest_batches(self, limit: int) -> IOResult[list[PrunedBatch], PersistenceError]:
        """The `limit` most recent entries of any run, newest first."""
        ...

    def last_prunes(self) -> IOResult[Mapping[str, datetime], PersistenceError]:
        """When each target last committed a prune batch; targets never pruned are absent."""
        ...


class RetentionSettingsReader(Protocol):
    """Reads the retention policy at run time."""

    def get_retention_settings(self) -> IOResult[RetentionSettings, PersistenceError]:
        """The usable rules and the malformed entries; an absent setting gives no rules."""
        ...
