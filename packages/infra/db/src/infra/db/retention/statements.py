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

from sqlalchemy import Delete, Select, Table, and_, delete, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from infra.db.schema import auth_audit_events, domain_events, invitations


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
    """Events published or failed before the cutoff; pending and processing ones never."""
    age = func.coalesce(domain_events.c.published_at, domain_events.c.failed_at)
    return _delete_oldest(domain_events, _expired_domain_events(older_than), age, batch_size)


def count_completed_domain_events(older_than: datetime) -> Select[int]:
    return _count(_expired_domain_events(older_than))


def _expired_audit_events(older_than: datetime) -> Select[UUID]:
    return select(auth_audit_events.c.id).where(auth_audit_events.c.created_at < older_than)


def _expired_invitations(older_than: datetime) -> Select[UUID]:
    # `<> 'pending'` (not an IN list of the final states) matches the partial
    # index ix_invitations_terminal_created_at, so the planner can use it.
    return select(invitations.c.id).where(
        invitations.c.status != "pending", invitations.c.created_at < older_than
    )


def _expired_domain_events(older_than: datetime) -> Select[UUID]:
    # Two branches, each matching a partial index (published_at / failed_at).
    return select(domain_events.c.id).where(
        or_(
            and_(domain_events.c.status == "published", domain_events.c.published_at < older_than),
            and_(domain_events.c.status == "failed", domain_events.c.failed_at < older_than),
        )
    )


def _delete_oldest(
    table: Table, expired: Select[UUID], age: ColumnElement[Any], batch_size: int
) -> Delete:
    batch = expired.order_by(age).limit(batch_size).with_for_update(skip_locked=True)
    return delete(table).where(table.c.id.in_(batch))


def _count(expired: Select[UUID]) -> Select[int]:
    return select(func.count()).select_from(expired.subquery())
