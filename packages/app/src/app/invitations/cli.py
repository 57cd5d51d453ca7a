"""`strata invitations …`: send, accept and revoke invitations through core's use cases."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from uuid import UUID

import typer

from app import bootstrap
from app.terminal import show, value_of
from core.domains.invitations.entities import DEFAULT_INVITATION_LIFETIME
from core.domains.users.entities import UserRole
from core.use_cases.accept_invitation import AcceptInvitation, accept_invitation
from core.use_cases.invite_user import InviteUser, invite_user
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
) -> None:
    """Store a pending invitation; print its id and the token to deliver (shown only once)."""
    command = InviteUser(
        organization_id=organization_id,
        email=email,
        role=role,
        invited_by=invited_by,
        valid_for=timedelta(days=valid_for_days),
    )
    sent = value_of(bootstrap.run_use_case(invite_user, command))
    invitation = sent.invitation
    show(
        f"invitation {invitation.id} sent to {invitation.email} as {invitation.role}, "
        f"expires {invitation.expires_at.isoformat()}\ntoken: {sent.token}",
        {
            "invitation_id": invitation.id,
            "organization_id": invitation.organization_id,
            "email": invitation.email,
            "role": invitation.role,
            "expires_at": invitation.expires_at.isoformat(),
            "token": sent.token,
        },
        as_json=as_json,
    )


@invitations_app.command("accept")
def accept(
    token: Annotated[str, typer.Argument(help="The token the invitee received.")],
    display_name: Annotated[str, typer.Option(help="The new user's display name.")],
    as_json: JsonOption = False,
) -> None:
    """Redeem the token: the invitation closes and its user is created; print the user's id."""
    joined = value_of(
        bootstrap.run_use_case(accept_invitation, AcceptInvitation(token, display_name))
    )
    user = joined.user
    show(
        f"user {user.id} ({user.email}, {user.role}) joined organization "
        f"{user.organization_id}; invitation {joined.invitation.id} accepted",
        {
            "user_id": user.id,
            "organization_id": user.organization_id,
            "email": user.email,
            "role": user.role,
            "invitation_id": joined.invitation.id,
        },
        as_json=as_json,
    )


@invitations_app.command("revoke")
def revoke(
    invitation_id: Annotated[UUID, typer.Argument(help="The pending invitation to revoke.")],
    revoked_by: Annotated[UUID | None, typer.Option(help="The user revoking it.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Revoke a pending invitation; its token can no longer be accepted."""
    invitation = value_of(
        bootstrap.run_use_case(revoke_invitation, RevokeInvitation(invitation_id, revoked_by))
    )
    show(
        f"invitation {invitation.id} revoked",
        {"invitation_id": invitation.id, "status": invitation.status},
        as_json=as_json,
    )
