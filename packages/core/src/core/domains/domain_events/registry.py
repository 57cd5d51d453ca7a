"""Every domain event type, named `<aggregate>.<verb_past>`, with its payload class.

This dict is the one place event types are registered: the store refuses to
decode a type missing here, and the invariant checker (DE002) reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from core.domains.domain_events.entities import EventPayload
from core.domains.invitations.events import InvitationAccepted, InvitationRevoked, InvitationSent
from core.domains.organizations.events import OrganizationCreated
from core.domains.users.events import UserJoined

EVENT_PAYLOAD_TYPES: Final[Mapping[str, type[EventPayload]]] = {
    "organization.created": OrganizationCreated,
    "invitation.sent": InvitationSent,
    "invitation.accepted": InvitationAccepted,
    "invitation.revoked": InvitationRevoked,
    "user.joined": UserJoined,
}

_EVENT_TYPE_BY_PAYLOAD: Final = {payload: name for name, payload in EVENT_PAYLOAD_TYPES.items()}


def event_type_of(payload: EventPayload) -> str:
    """The registered name of a payload's event type; an unregistered class is a bug."""
    return _EVENT_TYPE_BY_PAYLOAD[type(payload)]


def aggregate_type_of(event_type: str) -> str:
    """The aggregate an event type belongs to: the part before the dot."""
    return event_type.partition(".")[0]
