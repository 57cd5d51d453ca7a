"""Revoke a pending invitation and record `invitation.revoked`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from returns.io import IOResult

from core.clock import Clock
from core.domains.domain_events.ports import AppendError
from core.domains.invitations.entities import Invitation
from core.domains.invitations.errors import InvitationError
from core.domains.invitations.events import InvitationRevoked
from core.unit_of_work import Repositories, UnitOfWork
from core.use_cases._events import recorded


@dataclass(frozen=True)
class RevokeInvitation:
    invitation_id: UUID
    revoked_by: UUID | None = None
    correlation_id: UUID | None = None


RevokeInvitationError = InvitationError | AppendError


def revoke_invitation(
    uow: UnitOfWork, clock: Clock, command: RevokeInvitation
) -> IOResult[Invitation, RevokeInvitationError]:
    """Only a pending invitation can be revoked; accepted, revoked and expired are final."""
    now = clock.now()
    return uow.run(lambda repos: _revoke(repos, command, now))


def _revoke(
    repos: Repositories, command: RevokeInvitation, now: datetime
) -> IOResult[Invitation, RevokeInvitationError]:
    found: IOResult[Invitation, RevokeInvitationError] = repos.invitations.get(
        command.invitation_id
    )
    return (
        found.bind_result(Invitation.ensure_revocable)
        .bind(lambda invitation: repos.invitations.mark_revoked(invitation.id, now))
        .bind(
            lambda invitation: recorded(
                invitation,
                repos,
                InvitationRevoked(invitation.id, invitation.organization_id, command.revoked_by),
                invitation.id,
                occurred_at=now,
                correlation_id=command.correlation_id,
            )
        )
    )
