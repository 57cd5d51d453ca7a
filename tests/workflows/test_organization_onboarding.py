"""OrganizationOnboardingWorkflow on a real Temporal dev server against a real PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime

from sqlalchemy import select

from app.organizations.onboarding.contract import OnboardingInput
from app.organizations.onboarding.workflow import OrganizationOnboardingWorkflow
from core.domains.organizations.trials import TRIAL_LENGTH
from core.use_cases.start_organization_trial import ONBOARDING_CONSUMER
from infra.db.factories import OrganizationsFactory
from infra.db.schema import organization_trials, processed_events
from tests.workflows.harness import RetentionStack


async def onboard_twice(stack: RetentionStack, request: OnboardingInput) -> list[bool]:
    """Two onboarding runs of one event, as a redelivery would start them (distinct ids)."""
    client = await stack.client()
    async with stack.worker(client):
        return [
            await client.execute_workflow(
                OrganizationOnboardingWorkflow.run,
                request,
                id=f"strata-test-onboarding-{uuid.uuid4()}",
                task_queue=stack.task_queue,
            )
            for _ in range(2)
        ]


def test_onboarding_twice_for_one_event_starts_one_trial_from_the_organization_s_creation(
    stack: RetentionStack,
) -> None:
    with stack.owner.begin() as connection:
        organization = OrganizationsFactory.create(connection=connection)
    request = OnboardingInput(uuid.uuid4(), organization.id, organization.created_at)

    started = asyncio.run(onboard_twice(stack, request))

    assert started == [True, False]
    with stack.owner.connect() as connection:
        trials = connection.execute(
            select(organization_trials.c.started_at, organization_trials.c.ends_at).where(
                organization_trials.c.organization_id == organization.id
            )
        ).all()
        consumers = connection.execute(
            select(processed_events.c.consumer).where(
                processed_events.c.event_id == request.event_id
            )
        ).scalars()
        created: datetime = organization.created_at
        assert [tuple(trial) for trial in trials] == [(created, created + TRIAL_LENGTH)]
        assert list(consumers) == [ONBOARDING_CONSUMER]
