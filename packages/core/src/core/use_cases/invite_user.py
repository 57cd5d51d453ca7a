"""Invite someone to an organization: a pending invitation and `invitation.sent`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from returns.io import IOFailure, IOResult, IOSuccess

from core.clock import Clock
from core.domains.domain_events.ports import AppendError
from core.domains.invitations.entities import (
    DEFAULT_INVITATION_LIFETIME,
    Invitation,
    NewInvitation,
    new_invitation,
)
from core.domains.invitations.errors import EmailAlreadyRegistered, InvitationError
from core.domains.invitations.events import InvitationSent
from core.domains.invitations.tokens import issue_token
from core.domains.users.entities import User, UserRole
from core.unit_of_work import Repositories, UnitOfWork
from core.use_cases._events import recorded


@dataclass(frozen=True)
class InviteUser:
    organization_id: UUID
    email: str
    role: UserRole = "member"
    invited_by: UUID | None = None
    valid_for: timedelta = DEFAULT_INVITATION_LIFETIME
    correlation_id: UUID | None = None


@dataclass(frozen=True)
class SentInvitation:
    """The stored invitation and the secret to deliver to the invitee (it is not stored)."""

    invitation: Invitation
    token: str


InviteUserError = InvitationError | AppendError


def invite_user(
    uow: UnitOfWork, clock: Clock, command: InviteUser
) -> IOResult[SentInvitation, InviteUserError]:
    """Refuse addresses that already have an account; otherwise store and announce."""
    now = clock.now()
    issued = issue_token()
    validated: IOResult[NewInvitation, InviteUserError] = IOResult.from_result(
        new_invitation(
            organization_id=command.organization_id,
            email=command.email,
            role=command.role,
            invited_by=command.invited_by,
            token_hash=issued.token_hash,
            expires_at=now + command.valid_for,
            now=now,
        )
    )
    return validated.bind(
        lambda new: uow.run(lambda repos: _store(repos, new, now, command.correlation_id))
    ).map(lambda invitation: SentInvitation(invitation, issued.token))


def _store(
    repos: Repositories, new: NewInvitation, now: datetime, correlation_id: UUID | None
) -> IOResult[Invitation, InviteUserError]:
    existing: IOResult[User | None, InviteUserError] = repos.users.find_by_email(new.email)
    return (
        existing.bind(lambda user: _refuse_registered(user, new))
        .bind(repos.invitations.add)
        .bind(lambda invitation: _announce(repos, invitation, now, correlation_id))
    )


def _refuse_registered(
    user: User | None, new: NewInvitation
) -> IOResult[NewInvitation, InviteUserError]:
    if user is not None:
        return IOFailure(EmailAlreadyRegistered(new.email))
    return IOSuccess(new)


def _announce(
    repos: Repositories, invitation: Invitation, now: datetime, correlation_id: UUID | None
) -> IOResult[Invitation, AppendError]:
    payload = InvitationSent(
        invitation_id=invitation.id,
        organization_id=invitation.organization_id,
        email=invitation.email,
        role=invitation.role,
        invited_by=invitation.invited_by,
        expires_at=invitation.expires_at,
    )
    return recorded(
        invitation, repos, payload, invitation.id, occurred_at=now, correlation_id=correlation_id
    )
