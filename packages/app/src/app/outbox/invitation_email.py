"""The invitation email, sent when `invitation.sent` is delivered.

The event never carries the invitation's token (only its hash is stored), so the
email tells the invitee who invited them and until when; the inviter hands over
the token the `strata invitations send` command printed.
"""

from __future__ import annotations

from returns.io import IOResult

from app.outbox.handlers import HandlerFailure, HandlerPorts
from core.domains.domain_events.entities import StoredDomainEvent
from core.domains.invitations.events import InvitationSent
from core.mail.message import OutgoingEmail
from core.mail.ports import MessageRefused, SendFailure


def send_invitation_email(
    event: StoredDomainEvent, ports: HandlerPorts
) -> IOResult[None, HandlerFailure]:
    """Email the invitee; the Message-ID is the event's id, the same on every attempt."""
    invitation = event.payload
    if not isinstance(invitation, InvitationSent):
        return IOResult.from_failure(
            HandlerFailure(f"{event.event_type} is not an invitation", permanent=True)
        )
    sent: IOResult[None, SendFailure] = ports.email.send(invitation_email(invitation, event))
    return sent.alt(_handler_failure)


def invitation_email(invitation: InvitationSent, event: StoredDomainEvent) -> OutgoingEmail:
    """The message for one invitation."""
    role = invitation.role
    expires = invitation.expires_at.strftime("%Y-%m-%d %H:%M %Z")
    return OutgoingEmail(
        to=invitation.email,
        subject=f"You are invited to join an organization as {role}",
        body=(
            f"You have been invited to join organization {invitation.organization_id} "
            f"as {role}.\n\n"
            f"The invitation expires at {expires}. The person who invited you has "
            "your invitation token; accept it with `strata invitations accept TOKEN`.\n"
        ),
        message_id=event.id,
    )


def _handler_failure(failure: SendFailure) -> HandlerFailure:
    return HandlerFailure(failure.reason, permanent=isinstance(failure, MessageRefused))
