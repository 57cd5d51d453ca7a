"""Row schemas: one module per table, each a frozen pydantic model and a TypedDict."""

from infra.db.row_schemas.auth_audit_events import AuthAuditEventsRowSchema, AuthAuditEventsRowShape
from infra.db.row_schemas.auth_login_sessions import (
    AuthLoginSessionsRowSchema,
    AuthLoginSessionsRowShape,
)
from infra.db.row_schemas.domain_events import DomainEventsRowSchema, DomainEventsRowShape
from infra.db.row_schemas.invitations import InvitationsRowSchema, InvitationsRowShape
from infra.db.row_schemas.organizations import OrganizationsRowSchema, OrganizationsRowShape
from infra.db.row_schemas.system_settings import SystemSettingsRowSchema, SystemSettingsRowShape
from infra.db.row_schemas.users import UsersRowSchema, UsersRowShape

__all__ = [
    "AuthAuditEventsRowSchema",
    "AuthAuditEventsRowShape",
    "AuthLoginSessionsRowSchema",
    "AuthLoginSessionsRowShape",
    "DomainEventsRowSchema",
    "DomainEventsRowShape",
    "InvitationsRowSchema",
    "InvitationsRowShape",
    "OrganizationsRowSchema",
    "OrganizationsRowShape",
    "SystemSettingsRowSchema",
    "SystemSettingsRowShape",
    "UsersRowSchema",
    "UsersRowShape",
]
