"""Accept an invitation: the invitation closes, the user is created, both are announced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from returns.io import IOResult

from core.clock import Clock
from core.domains.domain_events.ports import AppendError
from core.domains.invitations.entities import Invitation
from core.domains.invitations.errors import InvitationError
from core.domains.invitations.events import InvitationAccepted
from core.domains.invitations.tokens import hash_token
from core.domains.users.entities import NewUser, User, new_user
from core.domains.users.errors import UserError
from core.domains.users.events import UserJoined
from core.unit_of_work import Repositories, UnitOfWork
from core.use_cases._events import recorded


@dataclass(frozen=True)
class AcceptInvitation:
    token: str
    display_name: str
    correlation_id: UUID | None = None


@dataclass(frozen=True)
class JoinedOrganization:
    """The accepted invitation and the user it created."""

    invitation: Invitation
    user: User


AcceptInvitationError = InvitationError | UserError | AppendError


def accept_invitation(
    uow: UnitOfWork, clock: Clock, command: AcceptInvitation
) -> IOResult[JoinedOrganization, AcceptInvitationError]:
    """Redeem the token; any failure (an address taken meanwhile, say) undoes every write."""
    now = clock.now()
    return uow.run(lambda repos: _accept(repos, command, now))


def _accept(
    repos: Repositories, command: AcceptInvitation, now: datetime
) -> IOResult[JoinedOrganization, AcceptInvitationError]:
    found: IOResult[Invitation, AcceptInvitationError] = repos.invitations.get_by_token_hash(
        hash_token(command.token)
    )
    return (
        found.bind_result(lambda invitation: invitation.ensure_acceptable(now))
        .bind(lambda invitation: repos.invitations.mark_accepted(invitation.id, now))
        .bind(lambda invitation: _announce_acceptance(repos, invitation, now, command))
        .bind(lambda invitation: _join(repos, invitation, command, now))
    )


def _announce_acceptance(
    repos: Repositories, invitation: Invitation, now: datetime, command: AcceptInvitation
) -> IOResult[Invitation, AppendError]:
    payload = InvitationAccepted(invitation.id, invitation.organization_id, invitation.email)
    return recorded(
        invitation,
        repos,
        payload,
        invitation.id,
        occurred_at=now,
        correlation_id=command.correlation_id,
    )


def _join(
    repos: Repositories, invitation: Invitation, command: AcceptInvitation, now: datetime
) -> IOResult[JoinedOrganization, AcceptInvitationError]:
    validated: IOResult[NewUser, AcceptInvitationError] = IOResult.from_result(
        new_user(
            invitation.organization_id, invitation.email, command.display_name, invitation.role
        )
    )
    return validated.bind(repos.users.add).bind(
        lambda user: recorded(
            JoinedOrganization(invitation, user),
            repos,
            UserJoined(user.id, user.organization_id, user.email, user.role, invitation.id),
            user.id,
            occurred_at=now,
            correlation_id=command.correlation_id,
        )
    )
