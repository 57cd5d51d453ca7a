"""Starting an organization's trial on PostgreSQL: once per event, with its record or not at all."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from returns.pipeline import is_successful
from returns.unsafe import unsafe_perform_io
from sqlalchemy import Connection, func, select

from core.domains.organizations.trials import TRIAL_LENGTH
from core.errors import RuleViolated
from core.use_cases.start_organization_trial import (
    ONBOARDING_CONSUMER,
    StartOrganizationTrial,
    start_organization_trial,
)
from infra.db.factories import OrganizationsFactory
from infra.db.provider import SqlUnitOfWork
from infra.db.schema import organization_trials, processed_events
from tests.integration.data_layer.conftest import FixedClock


def trials_of(connection: Connection, organization_id: UUID) -> list[tuple[datetime, datetime]]:
    statement = select(organization_trials.c.started_at, organization_trials.c.ends_at).where(
        organization_trials.c.organization_id == organization_id
    )
    return [(row.started_at, row.ends_at) for row in connection.execute(statement)]


def records_of(connection: Connection, event_id: UUID) -> int:
    statement = select(func.count()).where(
        processed_events.c.consumer == ONBOARDING_CONSUMER, processed_events.c.event_id == event_id
    )
    return connection.execute(statement).scalar_one()


def test_a_redelivered_event_starts_the_trial_once_from_the_organization_s_creation(
    connection: Connection, uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    organization = OrganizationsFactory.create(connection=connection)
    command = StartOrganizationTrial(uuid4(), organization.id, organization.created_at)
    started = [unsafe_perform_io(start_organization_trial(uow, clock, command)).unwrap()
               for _ in range(2)]  # fmt: skip
    assert started == [True, False]
    created = organization.created_at
    assert trials_of(connection, organization.id) == [(created, created + TRIAL_LENGTH)]
    assert records_of(connection, command.event_id) == 1


def test_a_trial_that_cannot_be_stored_leaves_no_record_so_a_later_delivery_starts_it(
    connection: Connection, uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    # The event names an organization not stored yet: the trial's foreign key refuses it.
    organization_id, event_id = uuid4(), uuid4()
    command = StartOrganizationTrial(event_id, organization_id, clock.now())
    failed = start_organization_trial(uow, clock, command)
    assert not is_successful(failed)
    assert isinstance(unsafe_perform_io(failed.failure()), RuleViolated)
    assert records_of(connection, event_id) == 0
    OrganizationsFactory.create(connection=connection, id=organization_id)
    assert unsafe_perform_io(start_organization_trial(uow, clock, command)).unwrap() is True
    assert len(trials_of(connection, organization_id)) == 1
