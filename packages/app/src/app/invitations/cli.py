"""`strata invitations …`: send, accept and revoke invitations through core's use cases.

Under `--idempotency-key`, what a repeat replays is each command's `--json` view.
`send`'s view leaves the token out: it is a secret shown once (only its hash is
stored), so a replay prints `token: null` and says it was shown when the
invitation was first sent.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from uuid import UUID

import typer

from app import bootstrap
from app.terminal import IdempotencyKeyOption, show, value_of, view_of
from core.domains.invitations.entities import DEFAULT_INVITATION_LIFETIME, Invitation
from core.domains.users.entities import UserRole
from core.json import JsonObject
from core.use_cases.accept_invitation import (
    AcceptInvitation,
    JoinedOrganization,
    accept_invitation,
)
from core.use_cases.idempotent import Replayed
from core.use_cases.invite_user import InviteUser, SentInvitation, invite_user
from core.use_cases.revoke_invitation import RevokeInvitation, revoke_invitation

invitations_app = typer.Typer(
    help="Invitations: offers to join an organization, redeemed once with a token.",
    no_args_is_help=True,
)
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


@invitations_app.command("send")
def send(
    organization_id: Annotated[UUID, typer.Argument(help="The organization to join.")],
    email: Annotated[str, typer.Argument(help="The invitee's address.")],
    *,
    role: Annotated[UserRole, typer.Option(help="The role the invitee will have.")] = "member",
    invited_by: Annotated[
        UUID | None, typer.Option(help="The user sending the invitation.")
    ] = None,
    valid_for_days: Annotated[
        int, typer.Option(min=1, help="Days until the invitation expires.")
    ] = DEFAULT_INVITATION_LIFETIME.days,
    as_json: JsonOption = False,
    idempotency_key: IdempotencyKeyOption = None,
) -> None:
    """Store a pending invitation; print its id and the token to deliver (shown only once)."""
    command = InviteUser(
        organization_id=organization_id,
        email=email,
        role=role,
        invited_by=invited_by,
        valid_for=timedelta(days=valid_for_days),
    )
    ran = bootstrap.run_command(invite_user, command, idempotency_key=idempotency_key, encode=_sent)
    outcome = value_of(ran)
    token = None if isinstance(outcome, Replayed) else outcome.token
    data = {**view_of(outcome, _sent), "token": token}
    shown_token = token or "not shown again: it was shown when the invitation was first sent"
    show(
        f"invitation {data['invitation_id']} sent to {data['email']} as {data['role']}, "
        f"expires {data['expires_at']}\ntoken: {shown_token}",
        data,
        as_json=as_json,
    )


def _sent(sent: SentInvitation) -> JsonObject:
    # Never the token: this view is what an idempotency key stores.
    invitation = sent.invitation
    return {
        "invitation_id": str(invitation.id),
        "organization_id": str(invitation.organization_id),
        "email": invitation.email,
        "role": invitation.role,
        "expires_at": invitation.expires_at.isoformat(),
    }


@invitations_app.command("accept")
def accept(
    token: Annotated[str, typer.Argument(help="The token the invitee received.")],
    display_name: Annotated[str, typer.Option(help="The new user's display name.")],
    as_json: JsonOption = False,
    idempotency_key: IdempotencyKeyOption = None,
) -> None:
    """Redeem the token: the invitation closes and its user is created; print the user's id."""
    ran = bootstrap.run_command(
        accept_invitation,
        AcceptInvitation(token, display_name),
        idempotency_key=idempotency_key,
        encode=_joined,
    )
    outcome = value_of(ran)
    data = view_of(outcome, _joined)
    show(
        f"user {data['user_id']} ({data['email']}, {data['role']}) joined organization "
        f"{data['organization_id']}; invitation {data['invitation_id']} accepted",
        data,
        as_json=as_json,
    )


def _joined(joined: JoinedOrganization) -> JsonObject:
    user = joined.user
    return {
        "user_id": str(user.id),
        "organization_id": str(user.organization_id),
        "email": user.email,
        "role": user.role,
        "invitation_id": str(joined.invitation.id),
    }


@invitations_app.command("revoke")
def revoke(
    invitation_id: Annotated[UUID, typer.Argument(help="The pending invitation to revoke.")],
    revoked_by: Annotated[UUID | None, typer.Option(help="The user revoking it.")] = None,
    as_json: JsonOption = False,
    idempotency_key: IdempotencyKeyOption = None,
) -> None:
    """Revoke a pending invitation; its token can no longer be accepted."""
    ran = bootstrap.run_command(
        revoke_invitation,
        RevokeInvitation(invitation_id, revoked_by),
        idempotency_key=idempotency_key,
        encode=_revoked,
    )
    outcome = value_of(ran)
    data = view_of(outcome, _revoked)
    show(f"invitation {data['invitation_id']} revoked", data, as_json=as_json)


def _revoked(invitation: Invitation) -> JsonObject:
    return {"invitation_id": str(invitation.id), "status": invitation.status}
