"""Row schema of `auth_login_sessions`."""

from __future__ import annotations

from uuid import UUID

from pydantic import AwareDatetime, BaseModel

from core.domains.auth.entities import IpAddress
from infra.db.row_schemas._config import ROW_SCHEMA_CONFIG


class AuthLoginSessionsRowSchema(BaseModel):
    """One row of `auth_login_sessions`, column for column."""

    model_config = ROW_SCHEMA_CONFIG

    id: UUID
    user_id: UUID
    created_at: AwareDatetime
    expires_at: AwareDatetime
    revoked_at: AwareDatetime | None
    # psycopg returns `inet` as ipaddress objects; the exact classes (not pydantic's
    # IPvAnyAddress, which parses its input again) keep validation an isinstance check.
    ip: IpAddress | None
    user_agent: str | None
