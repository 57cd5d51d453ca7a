"""Organizations: the tenant every user and invitation belongs to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

from returns.result import Failure, Result

from core.domains.organizations.errors import BlankOrganizationName, OrganizationError
from core.email import normalize_email

SubscriptionStatus = Literal["trialing", "active", "past_due", "canceled"]


@dataclass(frozen=True)
class Organization:
    """A stored organization."""

    id: UUID
    name: str
    billing_email: str
    is_subscribed: bool
    subscription_status: SubscriptionStatus
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class NewOrganization:
    """A validated organization about to be stored; it starts as a trial."""

    name: str
    billing_email: str


def new_organization(name: str, billing_email: str) -> Result[NewOrganization, OrganizationError]:
    """Validate the name and the billing address of a new organization."""
    cleaned = name.strip()
    if not cleaned:
        return Failure(BlankOrganizationName())
    return normalize_email(billing_email).map(lambda email: NewOrganization(cleaned, email))
