"""Every registered event type's handler, or its explicit "not delivered" marker.

The one place a delivery is decided: the relay looks each claimed event up
here, and the invariant checker (DE003) holds this mapping to core's
`EVENT_PAYLOAD_TYPES`, so a new event type cannot be forgotten by the outbox.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from app.outbox.handlers import NOT_DELIVERED, Deliver, EventHandler, StartChildWorkflow
from app.outbox.invitation_email import send_invitation_email
from app.outbox.onboarding import ONBOARDING_ID_PREFIX, ONBOARDING_WORKFLOW, onboarding_input

EVENT_HANDLERS: Final[Mapping[str, EventHandler]] = {
    "organization.created": StartChildWorkflow(
        workflow=ONBOARDING_WORKFLOW, id_prefix=ONBOARDING_ID_PREFIX, argument=onboarding_input
    ),
    "invitation.sent": Deliver(send_invitation_email),
    # Accepting, revoking and joining change nothing outside this database yet.
    "invitation.accepted": NOT_DELIVERED,
    "invitation.revoked": NOT_DELIVERED,
    "user.joined": NOT_DELIVERED,
}
