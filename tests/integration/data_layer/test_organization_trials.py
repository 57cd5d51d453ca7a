"""Starting an organization's trial on PostgreSQL: once per event, with its record or not at all."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from returns.unsafe import unsafe_perform_io
from sqlalchemy import Connection, func, select

from core.domains.organizations.trials import TRIAL_LENGTH
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


def test_an_organization_deleted_before_its_onboarding_gets_no_trial_and_no_record(
    connection: Connection, uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    organization_id, event_id = uuid4(), uuid4()
    command = StartOrganizationTrial(event_id, organization_id, clock.now())

    started = unsafe_perform_io(start_organization_trial(uow, clock, command)).unwrap()

    assert started is False
    assert records_of(connection, event_id) == 0
    assert trials_of(connection, organization_id) == []
