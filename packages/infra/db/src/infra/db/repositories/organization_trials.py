"""Organization trials: start one (written once, never updated)."""

from __future__ import annotations

from typing import final

from returns.io import IOResult

from core.domains.organizations.ports import OrganizationTrialRepository
from core.domains.organizations.trials import NewOrganizationTrial, OrganizationTrial
from core.errors import NotFound, PersistenceError
from infra.db.repositories._entities import EntityMapper, column_values
from infra.db.repositories._statements import ConnectionBound, insert_returning
from infra.db.row_schemas.organization_trials import OrganizationTrialsRowSchema
from infra.db.schema import organization_trials

to_trial = EntityMapper(OrganizationTrialsRowSchema, OrganizationTrial)


@final
class SqlOrganizationTrialRepository(ConnectionBound, OrganizationTrialRepository):
    """OrganizationTrialRepository on PostgreSQL."""

    def start(self, trial: NewOrganizationTrial) -> IOResult[OrganizationTrial, PersistenceError]:
        return insert_returning(
            self._connection,
            organization_trials,
            OrganizationTrialsRowSchema,
            column_values(trial),
            NotFound("organization_trials", str(trial.organization_id)),
        ).map(to_trial)
