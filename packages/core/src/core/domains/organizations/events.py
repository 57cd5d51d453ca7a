"""Payloads of the organization events."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from core.domains.domain_events.entities import EventPayload


@dataclass(frozen=True)
class OrganizationCreated(EventPayload):
    """`organization.created`: a new organization started its trial."""

    organization_id: UUID
    name: str
    billing_email: str
