"""Create an organization and record `organization.created` in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from returns.io import IOResult

from core.clock import Clock
from core.domains.domain_events.ports import AppendError
from core.domains.organizations.entities import NewOrganization, Organization, new_organization
from core.domains.organizations.errors import OrganizationError
from core.domains.organizations.events import OrganizationCreated
from core.unit_of_work import Repositories, UnitOfWork
from core.use_cases._events import recorded


@dataclass(frozen=True)
class CreateOrganization:
    name: str
    billing_email: str
    correlation_id: UUID | None = None


CreateOrganizationError = OrganizationError | AppendError


def create_organization(
    uow: UnitOfWork, clock: Clock, command: CreateOrganization
) -> IOResult[Organization, CreateOrganizationError]:
    """Validate, then store the organization and its creation event together."""
    now = clock.now()
    validated: IOResult[NewOrganization, CreateOrganizationError] = IOResult.from_result(
        new_organization(command.name, command.billing_email)
    )
    return validated.bind(
        lambda new: uow.run(lambda repos: _store(repos, new, now, command.correlation_id))
    )


def _store(
    repos: Repositories, new: NewOrganization, now: datetime, correlation_id: UUID | None
) -> IOResult[Organization, AppendError]:
    added: IOResult[Organization, AppendError] = repos.organizations.add(new)
    return added.bind(
        lambda organization: recorded(
            organization,
            repos,
            OrganizationCreated(organization.id, organization.name, organization.billing_email),
            organization.id,
            occurred_at=now,
            correlation_id=correlation_id,
        )
    )
