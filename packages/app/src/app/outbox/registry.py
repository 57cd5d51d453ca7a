"""Every registered domain event type with what the outbox does with it.

`EVENT_HANDLERS` holds one entry per type in core's `EVENT_PAYLOAD_TYPES`: its
handler, or `NOT_DELIVERED` when no consumer needs it yet. The invariant checker
(DE003) holds the two registries to each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class EventHandler:
    """What the relay does with the events of one type."""

    delivered: bool


NOT_DELIVERED: Final = EventHandler(delivered=False)
"""The explicit decision that nothing consumes an event type (not an oversight)."""

EVENT_HANDLERS: Final[Mapping[str, EventHandler]] = {
    "organization.created": NOT_DELIVERED,
    "invitation.sent": NOT_DELIVERED,
    "invitation.accepted": NOT_DELIVERED,
    "invitation.revoked": NOT_DELIVERED,
    "user.joined": NOT_DELIVERED,
}
