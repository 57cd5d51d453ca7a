"""Ports of retention: the settings reader and one prunable target per logical table."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from returns.io import IOResult

from core.errors import PersistenceError
from core.retention.policy import RetentionSettings


class RetentionTarget(Protocol):
    """One prunable table: deletes or counts its expired rows in bounded batches."""

    def prune_batch(self, older_than: datetime, batch_size: int) -> IOResult[int, PersistenceError]:
        """Delete at most `batch_size` expired rows; return how many were deleted."""
        ...

    def count_expired(self, older_than: datetime) -> IOResult[int, PersistenceError]:
        """Count the rows a prune with this cutoff would delete."""
        ...


class RetentionSettingsReader(Protocol):
    """Reads the retention policy at run time."""

    def get_retention_settings(self) -> IOResult[RetentionSettings, PersistenceError]:
        """The usable rules and the malformed entries; an absent setting gives no rules."""
        ...
