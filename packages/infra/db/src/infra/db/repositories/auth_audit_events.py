"""The authentication audit trail: append, list, and prune by age. Rows are never updated."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Final
from uuid import UUID

from returns.io import IOResult
from sqlalchemy import Connection, Select, delete, func, insert, select

from core.domains.auth.entities import AuditEvent, AuditMetadata, NewAuditEvent
from core.domains.auth.ports import AuditLog
from core.errors import NotFound, PersistenceError
from infra.db.json_schema import AuditEventMetadata
from infra.db.repositories._statements import affected_rows, fetch_all, fetch_integer, fetch_one
from infra.db.row_schemas.auth_audit_events import AuthAuditEventsRowSchema
from infra.db.schema import auth_audit_events


def append_audit_event(
    connection: Connection, event: NewAuditEvent
) -> IOResult[AuditEvent, PersistenceError]:
    metadata = AuditEventMetadata(**asdict(event.metadata))
    statement = (
        insert(auth_audit_events)
        .values(
            user_id=event.user_id,
            session_id=event.session_id,
            event_type=event.event_type,
            ip=event.ip,
            metadata=metadata.model_dump(exclude_none=True),
            created_at=event.created_at,
        )
        .returning(*auth_audit_events.c)
    )
    missing = NotFound("auth_audit_events", event.event_type)
    return fetch_one(connection, statement, AuthAuditEventsRowSchema, missing).map(to_audit_event)


def list_audit_events_for_user(
    connection: Connection, user_id: UUID
) -> IOResult[tuple[AuditEvent, ...], PersistenceError]:
    statement = (
        select(auth_audit_events)
        .where(auth_audit_events.c.user_id == user_id)
        .order_by(auth_audit_events.c.created_at, auth_audit_events.c.id)
    )
    return fetch_all(connection, statement, AuthAuditEventsRowSchema).map(
        lambda rows: tuple(map(to_audit_event, rows))
    )


def prune_audit_events(
    connection: Connection, older_than: datetime, batch_size: int
) -> IOResult[int, PersistenceError]:
    """Delete up to `batch_size` audit events created before the cutoff, oldest first.

    SKIP LOCKED lets two prunes run at once: each takes rows the other has not
    locked, so neither waits on the other nor counts the same row.
    """
    batch = (
        _older_than(older_than)
        .order_by(auth_audit_events.c.created_at)
        .limit(batch_size)
        .with_for_update(skip_locked=True)
    )
    statement = delete(auth_audit_events).where(auth_audit_events.c.id.in_(batch))
    return affected_rows(connection, statement, AuthAuditEventsRowSchema)


def count_audit_events_to_prune(
    connection: Connection, older_than: datetime
) -> IOResult[int, PersistenceError]:
    """How many audit events `prune_audit_events` would delete with this cutoff."""
    statement = select(func.count()).select_from(_older_than(older_than).subquery())
    return fetch_integer(connection, statement, AuthAuditEventsRowSchema)


def _older_than(older_than: datetime) -> Select[tuple[UUID]]:
    return select(auth_audit_events.c.id).where(auth_audit_events.c.created_at < older_than)


def to_audit_event(row: AuthAuditEventsRowSchema) -> AuditEvent:
    return AuditEvent(
        id=row.id,
        user_id=row.user_id,
        session_id=row.session_id,
        event_type=row.event_type,
        ip=row.ip,
        metadata=AuditMetadata(**row.metadata.model_dump()),
        created_at=row.created_at,
    )


class SqlAuditLog:
    """AuditLog bound to one connection (and so to its transaction)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def append(self, event: NewAuditEvent) -> IOResult[AuditEvent, PersistenceError]:
        return append_audit_event(self._connection, event)

    def list_for_user(self, user_id: UUID) -> IOResult[tuple[AuditEvent, ...], PersistenceError]:
        return list_audit_events_for_user(self._connection, user_id)


_SATISFIES_PORT: Final[type[AuditLog]] = SqlAuditLog
