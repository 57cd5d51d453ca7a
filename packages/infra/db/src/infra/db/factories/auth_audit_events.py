"""Factory of `auth_audit_events` rows (no foreign keys: audit rows outlive what they name)."""

from __future__ import annotations

import factory

from infra.db.factories._base import RowFactory, ipv4, timestamp, uuid
from infra.db.json_schema import AuditEventMetadata
from infra.db.row_schemas.auth_audit_events import AuthAuditEventsRowSchema
from infra.db.schema import auth_audit_events


class AuditEventMetadataFactory(factory.Factory[AuditEventMetadata]):
    class Meta:
        model = AuditEventMetadata

    user_agent = factory.Faker("user_agent")


class AuthAuditEventsFactory(RowFactory[AuthAuditEventsRowSchema]):
    class Meta:
        model = AuthAuditEventsRowSchema

    _table = auth_audit_events

    id = uuid()
    user_id = uuid()
    session_id = uuid()
    event_type = "login_succeeded"
    ip = ipv4()
    metadata = factory.SubFactory(AuditEventMetadataFactory)
    created_at = timestamp()
