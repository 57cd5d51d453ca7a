"""The prune and count statement of every retention target (built here, run by the repository).

A prune deletes one bounded batch, oldest first, so each batch costs the same
whatever the backlog; SKIP LOCKED lets two prunes (or a prune and a delivery
worker) run at once, each taking rows the other has not locked, so neither
waits on the other nor counts the same row. A count selects exactly the rows
the prune would delete.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Delete,
    Select,
    Subquery,
    Table,
    and_,
    delete,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.sql.elements import ColumnElement

from infra.db.schema import (
    auth_audit_events,
    domain_events,
    idempotency_keys,
    invitations,
    processed_events,
    retention_prune_batches,
)


def prune_audit_events(older_than: datetime, batch_size: int) -> Delete:
    """Audit events created before the cutoff."""
    age = auth_audit_events.c.created_at
    return _delete_oldest(auth_audit_events, _expired_audit_events(older_than), age, batch_size)


def count_audit_events(older_than: datetime) -> Select[int]:
    return _count(_expired_audit_events(older_than))


def prune_terminal_invitations(older_than: datetime, batch_size: int) -> Delete:
    """Accepted, revoked and expired invitations created before the cutoff; never pending ones."""
    age = invitations.c.created_at
    return _delete_oldest(invitations, _expired_invitations(older_than), age, batch_size)


def count_terminal_invitations(older_than: datetime) -> Select[int]:
    return _count(_expired_invitations(older_than))


def prune_completed_domain_events(older_than: datetime, batch_size: int) -> Delete:
    """Events published or failed before the cutoff; pending and processing ones never.

    Ordering the OR of both states by their completion time made PostgreSQL
    collect and sort the whole backlog for every batch (quadratic in it). Each
    state is instead read oldest first along its own partial index, at most a
    batch each, and the batch is the oldest of those: the same rows, at a cost
    that does not grow with the backlog.
    """
    published = _oldest_completed("published", domain_events.c.published_at, older_than, batch_size)
    failed = _oldest_completed("failed", domain_events.c.failed_at, older_than, batch_size)
    candidates = union_all(select(published), select(failed)).subquery("candidates")
    batch = select(candidates.c.id).order_by(candidates.c.age).limit(batch_size)
    return _delete_chosen_once(domain_events, batch)


def count_completed_domain_events(older_than: datetime) -> Select[int]:
    return _count(_expired_domain_events(older_than))


def prune_retention_ledger(older_than: datetime, batch_size: int) -> Delete:
    """Ledger entries recorded before the cutoff (the ledger is pruned like any other table)."""
    age = retention_prune_batches.c.recorded_at
    return _delete_oldest(
        retention_prune_batches, _expired_ledger_entries(older_than), age, batch_size
    )


def count_retention_ledger(older_than: datetime) -> Select[int]:
    return _count(_expired_ledger_entries(older_than))


def prune_idempotency_keys(older_than: datetime, batch_size: int) -> Delete:
    """Keys created before the cutoff: a repeat after that runs its command again."""
    age = idempotency_keys.c.created_at
    return _delete_oldest(idempotency_keys, _expired_idempotency_keys(older_than), age, batch_size)


def count_idempotency_keys(older_than: datetime) -> Select[int]:
    return _count(_expired_idempotency_keys(older_than))


def prune_processed_events(older_than: datetime, batch_size: int) -> Delete:
    """Records of events processed before the cutoff: by then no event is redelivered."""
    age = processed_events.c.processed_at
    return _delete_oldest(processed_events, _expired_processed_events(older_than), age, batch_size)


def count_processed_events(older_than: datetime) -> Select[int]:
    return _count(_expired_processed_events(older_than))


def _expired_processed_events(older_than: datetime) -> Select[UUID]:
    return select(processed_events.c.id).where(processed_events.c.processed_at < older_than)


def _expired_idempotency_keys(older_than: datetime) -> Select[UUID]:
    return select(idempotency_keys.c.id).where(idempotency_keys.c.created_at < older_than)


def _expired_audit_events(older_than: datetime) -> Select[UUID]:
    return select(auth_audit_events.c.id).where(auth_audit_events.c.created_at < older_than)


def _expired_invitations(older_than: datetime) -> Select[UUID]:
    # `<> 'pending'` (not an IN list of the final states) matches the partial
    # index ix_invitations_terminal_created_at, so the planner can use it.
    return select(invitations.c.id).where(
        invitations.c.status != "pending", invitations.c.created_at < older_than
    )


def _expired_ledger_entries(older_than: datetime) -> Select[UUID]:
    return select(retention_prune_batches.c.id).where(
        retention_prune_batches.c.recorded_at < older_than
    )


def _expired_domain_events(older_than: datetime) -> Select[UUID]:
    return select(domain_events.c.id).where(
        or_(
            _completed_before("published", domain_events.c.published_at, older_than),
            _completed_before("failed", domain_events.c.failed_at, older_than),
        )
    )


def _completed_before(
    status: str, completed_at: ColumnElement[Any], older_than: datetime
) -> ColumnElement[bool]:
    # The status is written into the SQL (a constant, never a run-time value) so that even
    # a generic prepared plan can prove the partial index's predicate and use the index.
    return and_(
        domain_events.c.status == literal(status, literal_execute=True), completed_at < older_than
    )


def _oldest_completed(
    status: str, completed_at: ColumnElement[Any], older_than: datetime, batch_size: int
) -> Subquery:
    # A locking clause is not allowed on a UNION branch, but is in a subquery of one.
    return (
        select(domain_events.c.id, completed_at.label("age"))
        .where(_completed_before(status, completed_at, older_than))
        .order_by(completed_at)
        .limit(batch_size)
        .with_for_update(skip_locked=True)
        .subquery(f"oldest_{status}")
    )


def _delete_oldest(
    table: Table, expired: Select[UUID], age: ColumnElement[Any], batch_size: int
) -> Delete:
    batch = expired.order_by(age).limit(batch_size).with_for_update(skip_locked=True)
    return _delete_chosen_once(table, batch)


def _delete_chosen_once(table: Table, batch: Select[Any]) -> Delete:
    """Delete the rows whose ids `batch` selects, choosing them exactly once.

    A MATERIALIZED CTE runs once. As a subquery of the DELETE, the planner may run it
    again for each row it scans; a rerun skips the rows this statement has already
    deleted and locks the next ones, so one batch could delete more than its size.
    """
    chosen = batch.cte("batch").prefix_with("MATERIALIZED")
    return delete(table).where(table.c.id.in_(select(chosen.c.id)))


def _count(expired: Select[UUID]) -> Select[int]:
    return select(func.count()).select_from(expired.subquery())
