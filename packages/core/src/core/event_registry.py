"""Every domain event type, named `<aggregate>.<verb_past>`, with its payload class.

`EVENT_PAYLOAD_TYPES` is the one place event types are registered: the store
refuses to decode a type missing here, and the invariant checker (DE002) reads
it. It sits above the domains because it imports every domain's payloads;
nothing below it imports it back.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Final
from uuid import UUID

from core.domains.domain_events.entities import EventPayload, NewDomainEvent
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


def domain_event(
    payload: EventPayload,
    aggregate_id: UUID,
    occurred_at: datetime,
    correlation_id: UUID | None = None,
) -> NewDomainEvent:
    """The event carrying `payload`, typed and attributed to its aggregate by the registry."""
    event_type = event_type_of(payload)
    return NewDomainEvent(
        event_type=event_type,
        aggregate_type=aggregate_type_of(event_type),
        aggregate_id=aggregate_id,
        payload=payload,
        occurred_at=occurred_at,
        correlation_id=correlation_id,
    )
