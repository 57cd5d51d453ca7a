"""Organizations: insert and load."""

from __future__ import annotations

from typing import final
from uuid import UUID

from returns.io import IOResult

from core.domains.organizations.entities import NewOrganization, Organization
from core.domains.organizations.ports import OrganizationRepository
from core.errors import NotFound, PersistenceError
from infra.db.repositories._entities import EntityMapper, column_values
from infra.db.repositories._statements import ConnectionBound, fetch_by_id, insert_returning
from infra.db.row_schemas.organizations import OrganizationsRowSchema
from infra.db.schema import organizations

to_organization = EntityMapper(OrganizationsRowSchema, Organization)


@final
class SqlOrganizationRepository(ConnectionBound, OrganizationRepository):
    """OrganizationRepository on PostgreSQL."""

    def add(self, organization: NewOrganization) -> IOResult[Organization, PersistenceError]:
        return insert_returning(
            self._connection,
            organizations,
            OrganizationsRowSchema,
            column_values(organization),
            NotFound("organizations", organization.name),
        ).map(to_organization)

    def get(self, organization_id: UUID) -> IOResult[Organization, PersistenceError]:
        return fetch_by_id(
            self._connection, organizations, OrganizationsRowSchema, organization_id
        ).map(to_organization)
