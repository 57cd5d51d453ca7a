"""Organization trials: the free period an organization's onboarding starts, once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final
from uuid import UUID

TRIAL_LENGTH: Final = timedelta(days=14)


@dataclass(frozen=True)
class NewOrganizationTrial:
    """A trial about to be stored."""

    organization_id: UUID
    started_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class OrganizationTrial:
    """A stored trial."""

    organization_id: UUID
    started_at: datetime
    ends_at: datetime
    created_at: datetime


def trial_from(organization_id: UUID, started_at: datetime) -> NewOrganizationTrial:
    """The trial of an organization created at `started_at`: TRIAL_LENGTH from then."""
    return NewOrganizationTrial(organization_id, started_at, started_at + TRIAL_LENGTH)
