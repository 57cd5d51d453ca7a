"""Invitations: an offer to join an organization, redeemed once with a secret token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from returns.result import Failure, Result, Success

from core.domains.invitations.errors import (
    InvalidInvitationLifetime,
    InvitationError,
    InvitationExpired,
    InvitationNotPending,
)
from core.domains.invitations.status import InvitationStatus
from core.domains.users.entities import UserRole
from core.email import normalize_email


@dataclass(frozen=True)
class Invitation:
    """A stored invitation; only its hash of the token is kept."""

    id: UUID
    organization_id: UUID
    email: str
    role: UserRole
    status: InvitationStatus
    token_hash: str
    invited_by: UUID | None
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None
    created_at: datetime
    updated_at: datetime

    def ensure_acceptable(self, now: datetime) -> Result[Invitation, InvitationError]:
        """Pending and not yet expired at `now`."""
        if self.status != "pending":
            return Failure(InvitationNotPending(self.id, self.status))
        if now >= self.expires_at:
            return Failure(InvitationExpired(self.id, self.expires_at))
        return Success(self)

    def ensure_revocable(self) -> Result[Invitation, InvitationError]:
        """Only a pending invitation can be revoked; the other states are final."""
        if self.status != "pending":
            return Failure(InvitationNotPending(self.id, self.status))
        return Success(self)


@dataclass(frozen=True)
class NewInvitation:
    """A validated invitation about to be stored as pending."""

    organization_id: UUID
    email: str
    role: UserRole
    token_hash: str
    invited_by: UUID | None
    expires_at: datetime


def new_invitation(
    *,
    organization_id: UUID,
    email: str,
    role: UserRole,
    invited_by: UUID | None,
    token_hash: str,
    expires_at: datetime,
    now: datetime,
) -> Result[NewInvitation, InvitationError]:
    """Validate the address and require an expiry in the future."""
    if expires_at <= now:
        return Failure(InvalidInvitationLifetime(expires_at - now))
    return normalize_email(email).map(
        lambda normalized: NewInvitation(
            organization_id, normalized, role, token_hash, invited_by, expires_at
        )
    )


DEFAULT_INVITATION_LIFETIME = timedelta(days=7)
