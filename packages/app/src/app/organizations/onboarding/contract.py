"""The onboarding workflow's contract: its name, its input, and the activity it calls by name.

Activities are called by name so the workflow never imports their
implementation (which reaches the database); `activities` implements this
name with this input. The relay's handler starts the workflow by its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

ONBOARDING_WORKFLOW = "OrganizationOnboardingWorkflow"
START_ORGANIZATION_TRIAL = "start_organization_trial"


@dataclass(frozen=True)
class OnboardingInput:
    """The `organization.created` event being handled: its id, the organization, its creation."""

    event_id: UUID
    organization_id: UUID
    created_at: datetime
