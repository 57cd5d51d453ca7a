"""Row schemas: one module per table, each a frozen pydantic model."""

from infra.db.row_schemas.auth_audit_events import AuthAuditEventsRowSchema
from infra.db.row_schemas.auth_login_sessions import AuthLoginSessionsRowSchema
from infra.db.row_schemas.domain_event_streams import DomainEventStreamsRowSchema
from infra.db.row_schemas.domain_events import DomainEventsRowSchema
from infra.db.row_schemas.idempotency_keys import IdempotencyKeysRowSchema
from infra.db.row_schemas.invitations import InvitationsRowSchema
from infra.db.row_schemas.organization_trials import OrganizationTrialsRowSchema
from infra.db.row_schemas.organizations import OrganizationsRowSchema
from infra.db.row_schemas.processed_events import ProcessedEventsRowSchema
from infra.db.row_schemas.retention_prune_batches import RetentionPruneBatchesRowSchema
from infra.db.row_schemas.system_settings import SystemSettingsRowSchema
from infra.db.row_schemas.users import UsersRowSchema

__all__ = [
    "AuthAuditEventsRowSchema",
    "AuthLoginSessionsRowSchema",
    "DomainEventStreamsRowSchema",
    "DomainEventsRowSchema",
    "IdempotencyKeysRowSchema",
    "InvitationsRowSchema",
    "OrganizationTrialsRowSchema",
    "OrganizationsRowSchema",
    "ProcessedEventsRowSchema",
    "RetentionPruneBatchesRowSchema",
    "SystemSettingsRowSchema",
    "UsersRowSchema",
]
