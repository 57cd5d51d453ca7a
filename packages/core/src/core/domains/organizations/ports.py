"""Ports of the organizations domain."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from returns.io import IOResult

from core.domains.organizations.entities import NewOrganization, Organization
from core.domains.organizations.trials import NewOrganizationTrial, OrganizationTrial
from core.errors import PersistenceError


class OrganizationRepository(Protocol):
    """Stores and loads organizations."""

    def add(self, organization: NewOrganization) -> IOResult[Organization, PersistenceError]:
        """Insert a new organization and return it as stored."""
        ...

    def get(self, organization_id: UUID) -> IOResult[Organization, PersistenceError]:
        """The organization with this id, or NotFound."""
        ...


class OrganizationTrialRepository(Protocol):
    """Stores the trials organizations start with."""

    def start(self, trial: NewOrganizationTrial) -> IOResult[OrganizationTrial, PersistenceError]:
        """Insert the trial and return it as stored; a second one of an organization is a
        Conflict."""
        ...
