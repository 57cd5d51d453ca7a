"""The retention ledger as core sees it: what one run deleted from one target, batch by batch.

Every prune transaction records its own entry, so these figures are exact even
when the worker that ran a batch died before it could report it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PrunedSoFar:
    """The ledger's total for one (run, target): rows deleted, and committed batches."""

    deleted: int = 0
    batches: int = 0


@dataclass(frozen=True)
class PrunedBatch:
    """One ledger entry: a prune transaction of a run, as an operator reads it back."""

    run_key: str
    target: str
    cutoff: datetime
    rows_deleted: int
    recorded_at: datetime


def totals_by_target(batches: Iterable[PrunedBatch]) -> dict[str, PrunedSoFar]:
    """Rows deleted and batches committed per target, in the order targets first appear."""
    totals: dict[str, PrunedSoFar] = {}
    for batch in batches:
        so_far = totals.get(batch.target, PrunedSoFar())
        totals[batch.target] = PrunedSoFar(so_far.deleted + batch.rows_deleted, so_far.batches + 1)
    return totals
