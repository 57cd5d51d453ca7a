"""Payloads of the user events."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from core.domains.domain_events.entities import EventPayload
from core.domains.users.entities import UserRole


@dataclass(frozen=True)
class UserJoined(EventPayload):
    """`user.joined`: a person joined an organization by accepting an invitation."""

    user_id: UUID
    organization_id: UUID
    email: str
    role: UserRole
    invitation_id: UUID
