"""The retention ledger's statements: the entry a batch records, and reading the record back.

A batch runs its DELETE and then inserts its entry in the same transaction,
so the entry commits or rolls back with the rows it describes and the ledger
never disagrees with the table. (One data-modifying CTE would save a round
trip, but the DELETE would no longer be the statement operators and lock
probes see in pg_stat_activity; the INSERT costs a fraction of a batch.)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Insert, Select, and_, func, select
from sqlalchemy.sql.elements import ColumnElement

from infra.db.schema import retention_prune_batches

ledger = retention_prune_batches.c


def ledger_entry(run_key: str, target: str, older_than: datetime, rows_deleted: int) -> Insert:
    """The entry a batch adds in its own transaction, right after its DELETE."""
    return retention_prune_batches.insert().values(
        run_key=run_key, target=target, cutoff=older_than, rows_deleted=rows_deleted
    )


def rows_deleted_in_run(run_key: str, target: str) -> Select[int]:
    return select(func.coalesce(func.sum(ledger.rows_deleted), 0)).where(_of_run(run_key, target))


def batches_in_run(run_key: str, target: str) -> Select[int]:
    return select(func.count()).where(_of_run(run_key, target))


def entries_of_run(run_key: str) -> Select[Any]:
    return (
        select(retention_prune_batches)
        .where(ledger.run_key == run_key)
        .order_by(ledger.recorded_at, ledger.id)
    )


def latest_entries(limit: int) -> Select[Any]:
    return (
        select(retention_prune_batches)
        .order_by(ledger.recorded_at.desc(), ledger.id.desc())
        .limit(limit)
    )


def last_prune_per_target() -> Select[Any]:
    """(target, recorded_at): when each target's latest batch was recorded."""
    return select(ledger.target, func.max(ledger.recorded_at).label("recorded_at")).group_by(
        ledger.target
    )


def _of_run(run_key: str, target: str) -> ColumnElement[bool]:
    return and_(ledger.run_key == run_key, ledger.target == target)
