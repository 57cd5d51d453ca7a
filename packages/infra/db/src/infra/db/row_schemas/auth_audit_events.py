"""Row schema of `auth_audit_events`."""

from __future__ import annotations

from uuid import UUID

from pydantic import AwareDatetime, BaseModel

from core.domains.auth.entities import AuthEventType, IpAddress
from infra.db.json_schema import AuditEventMetadata
from infra.db.row_schemas._config import ROW_SCHEMA_CONFIG


class AuthAuditEventsRowSchema(BaseModel):
    """One row of `auth_audit_events`, column for column."""

    model_config = ROW_SCHEMA_CONFIG

    id: UUID
    user_id: UUID | None
    session_id: UUID | None
    event_type: AuthEventType
    # psycopg returns `inet` as ipaddress objects; the exact classes (not pydantic's
    # IPvAnyAddress, which parses its input again) keep validation an isinstance check.
    ip: IpAddress | None
    metadata: AuditEventMetadata
    created_at: AwareDatetime
