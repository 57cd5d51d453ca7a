"""Row schema of `invitations`."""

from __future__ import annotations

from uuid import UUID

from pydantic import AwareDatetime, BaseModel

from core.domains.invitations.status import InvitationStatus
from core.domains.users.entities import UserRole
from infra.db.row_schemas._config import ROW_SCHEMA_CONFIG


class InvitationsRowSchema(BaseModel):
    """One row of `invitations`, column for column."""

    model_config = ROW_SCHEMA_CONFIG

    id: UUID
    organization_id: UUID
    email: str
    role: UserRole
    status: InvitationStatus
    token_hash: str
    invited_by: UUID | None
    expires_at: AwareDatetime
    accepted_at: AwareDatetime | None
    revoked_at: AwareDatetime | None
    created_at: AwareDatetime
    updated_at: AwareDatetime
