"""`organization.created` starts the organization's onboarding workflow as a child of the relay."""

from __future__ import annotations

from typing import Final

from app.organizations.onboarding.contract import ONBOARDING_WORKFLOW, OnboardingInput
from core.domains.domain_events.entities import StoredDomainEvent
from core.domains.organizations.events import OrganizationCreated

# The child's workflow id is this prefix and the event's id: a redelivery cannot start it twice.
ONBOARDING_ID_PREFIX: Final = "organization-onboarding"
__all__ = ["ONBOARDING_ID_PREFIX", "ONBOARDING_WORKFLOW", "onboarding_input"]


def onboarding_input(event: StoredDomainEvent) -> OnboardingInput:
    """The onboarding workflow's input for one `organization.created` event."""
    created = event.payload
    if not isinstance(created, OrganizationCreated):
        raise TypeError(f"onboarding is for organization.created, not {event.event_type}")
    return OnboardingInput(event.id, created.organization_id, event.occurred_at)
