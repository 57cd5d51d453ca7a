"""The authentication audit trail: append and list. Rows are never updated."""

from __future__ import annotations

from dataclasses import asdict
from typing import Final, final
from uuid import UUID

from returns.io import IOResult
from sqlalchemy import insert, select

from core.domains.auth.entities import AuditEvent, NewAuditEvent
from core.domains.auth.ports import AuditLog
from core.errors import NotFound, PersistenceError
from infra.db.json_schema import AuditEventMetadata
from infra.db.repositories._entities import EntityDecoder, column_values
from infra.db.repositories._statements import ConnectionBound, fetch_entities, fetch_entity
from infra.db.schema import auth_audit_events


@final
class SqlAuditLog(ConnectionBound, AuditLog):
    """AuditLog on PostgreSQL."""

    def append(self, event: NewAuditEvent) -> IOResult[AuditEvent, PersistenceError]:
        metadata = AuditEventMetadata(**asdict(event.metadata))
        values = {**column_values(event), "metadata": metadata.model_dump(exclude_none=True)}
        statement = insert(auth_audit_events).values(**values).returning(*_AUDIT_EVENTS.columns)
        missing = NotFound("auth_audit_events", event.event_type)
        return fetch_entity(self._connection, statement, _AUDIT_EVENTS, missing)

    def list_for_user(self, user_id: UUID) -> IOResult[tuple[AuditEvent, ...], PersistenceError]:
        statement = (
            select(*_AUDIT_EVENTS.columns)
            .where(auth_audit_events.c.user_id == user_id)
            .order_by(auth_audit_events.c.created_at, auth_audit_events.c.id)
        )
        return fetch_entities(self._connection, statement, _AUDIT_EVENTS)


_AUDIT_EVENTS: Final = EntityDecoder(auth_audit_events, AuditEvent)
