"""Organizations: insert and load."""

from __future__ import annotations

from typing import final
from uuid import UUID

from returns.io import IOResult
from sqlalchemy import insert

from core.domains.organizations.entities import NewOrganization, Organization
from core.domains.organizations.ports import OrganizationRepository
from core.errors import NotFound, PersistenceError
from infra.db.repositories._statements import ConnectionBound, fetch_by_id, fetch_one
from infra.db.row_schemas.organizations import OrganizationsRowSchema
from infra.db.schema import organizations


@final
class SqlOrganizationRepository(ConnectionBound, OrganizationRepository):
    """OrganizationRepository on PostgreSQL."""

    def add(self, organization: NewOrganization) -> IOResult[Organization, PersistenceError]:
        statement = (
            insert(organizations)
            .values(name=organization.name, billing_email=organization.billing_email)
            .returning(*organizations.c)
        )
        missing = NotFound("organizations", organization.name)
        return fetch_one(self._connection, statement, OrganizationsRowSchema, missing).map(
            to_organization
        )

    def get(self, organization_id: UUID) -> IOResult[Organization, PersistenceError]:
        return fetch_by_id(
            self._connection, organizations, OrganizationsRowSchema, organization_id
        ).map(to_organization)


def to_organization(row: OrganizationsRowSchema) -> Organization:
    return Organization(
        id=row.id,
        name=row.name,
        billing_email=row.billing_email,
        is_subscribed=row.is_subscribed,
        subscription_status=row.subscription_status,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
