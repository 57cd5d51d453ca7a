"""Factory of `organization_trials` rows; `create` makes the organization unless given one."""

from __future__ import annotations

from datetime import timedelta

from infra.db.factories._base import ParentId, RowFactory, later, timestamp
from infra.db.factories.organizations import OrganizationsFactory
from infra.db.row_schemas.organization_trials import OrganizationTrialsRowSchema
from infra.db.schema import organization_trials


class OrganizationTrialsFactory(RowFactory[OrganizationTrialsRowSchema]):
    class Meta:
        model = OrganizationTrialsRowSchema

    _table = organization_trials

    organization_id = ParentId(OrganizationsFactory)
    started_at = timestamp()
    ends_at = later("started_at", timedelta(days=14))
    created_at = timestamp()
