"""The closed set of invitation failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from core.domains.invitations.status import InvitationStatus
from core.email import InvalidEmail


@dataclass(frozen=True)
class InvitationNotPending:
    """The invitation was already accepted, revoked or expired; those states are final."""

    invitation_id: UUID
    status: InvitationStatus


@dataclass(frozen=True)
class InvitationExpired:
    """The invitation is pending but its deadline has passed."""

    invitation_id: UUID
    expires_at: datetime


@dataclass(frozen=True)
class InvalidInvitationLifetime:
    """An invitation must expire after it is created."""

    lifetime: timedelta


@dataclass(frozen=True)
class EmailAlreadyRegistered:
    """The address already belongs to a user, and a person has one account."""

    email: str


InvitationError = (
    InvitationNotPending
    | InvitationExpired
    | InvalidInvitationLifetime
    | EmailAlreadyRegistered
    | InvalidEmail
)
