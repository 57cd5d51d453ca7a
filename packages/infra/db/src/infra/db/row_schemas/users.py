"""Row schema of `users`."""

from __future__ import annotations

from uuid import UUID

from pydantic import AwareDatetime, BaseModel

from core.domains.users.entities import UserRole
from infra.db.row_schemas._config import ROW_SCHEMA_CONFIG


class UsersRowSchema(BaseModel):
    """One row of `users`, column for column."""

    model_config = ROW_SCHEMA_CONFIG

    id: UUID
    organization_id: UUID
    email: str
    display_name: str
    role: UserRole
    created_at: AwareDatetime
    updated_at: AwareDatetime
