"""Payloads of the invitation events; the token never appears in them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from core.domains.domain_events.entities import EventPayload
from core.domains.users.entities import UserRole


@dataclass(frozen=True)
class InvitationSent(EventPayload):
    """`invitation.sent`: someone was invited to join an organization."""

    invitation_id: UUID
    organization_id: UUID
    email: str
    role: UserRole
    invited_by: UUID | None
    expires_at: datetime


@dataclass(frozen=True)
class InvitationAccepted(EventPayload):
    """`invitation.accepted`: the invitee redeemed the token."""

    invitation_id: UUID
    organization_id: UUID
    email: str


@dataclass(frozen=True)
class InvitationRevoked(EventPayload):
    """`invitation.revoked`: the invitation was withdrawn before it was accepted."""

    invitation_id: UUID
    organization_id: UUID
    revoked_by: UUID | None
