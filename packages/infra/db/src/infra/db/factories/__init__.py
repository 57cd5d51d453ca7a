"""Factories: one module per table, each a factory-boy factory whose model is the row schema."""

from infra.db.factories.auth_audit_events import AuthAuditEventsFactory
from infra.db.factories.auth_login_sessions import AuthLoginSessionsFactory
from infra.db.factories.domain_event_streams import DomainEventStreamsFactory
from infra.db.factories.domain_events import DomainEventsFactory
from infra.db.factories.idempotency_keys import IdempotencyKeysFactory
from infra.db.factories.invitations import InvitationsFactory
from infra.db.factories.organization_trials import OrganizationTrialsFactory
from infra.db.factories.organizations import OrganizationsFactory
from infra.db.factories.processed_events import ProcessedEventsFactory
from infra.db.factories.retention_prune_batches import RetentionPruneBatchesFactory
from infra.db.factories.system_settings import SystemSettingsFactory
from infra.db.factories.users import UsersFactory

__all__ = [
    "AuthAuditEventsFactory",
    "AuthLoginSessionsFactory",
    "DomainEventStreamsFactory",
    "DomainEventsFactory",
    "IdempotencyKeysFactory",
    "InvitationsFactory",
    "OrganizationTrialsFactory",
    "OrganizationsFactory",
    "ProcessedEventsFactory",
    "RetentionPruneBatchesFactory",
    "SystemSettingsFactory",
    "UsersFactory",
]
