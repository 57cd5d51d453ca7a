"""Row schema of `organizations`."""

from __future__ import annotations

from uuid import UUID

from pydantic import AwareDatetime, BaseModel

from core.domains.organizations.entities import SubscriptionStatus
from infra.db.row_schemas._config import ROW_SCHEMA_CONFIG


class OrganizationsRowSchema(BaseModel):
    """One row of `organizations`, column for column."""

    model_config = ROW_SCHEMA_CONFIG

    id: UUID
    name: str
    billing_email: str
    is_subscribed: bool
    subscription_status: SubscriptionStatus
    created_at: AwareDatetime
    updated_at: AwareDatetime
