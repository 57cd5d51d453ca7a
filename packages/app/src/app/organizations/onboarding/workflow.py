"""OrganizationOnboardingWorkflow: start a new organization's trial, once per event.

Started by the relay's `organization.created` handler as a child workflow
whose id comes from the event id, so Temporal refuses a duplicate; the
processed-event record makes even a second run (a reused id, a replayed
handler) change nothing twice.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from app.organizations.onboarding.contract import (
        ONBOARDING_WORKFLOW,
        START_ORGANIZATION_TRIAL,
        OnboardingInput,
    )

# Bounded retries, as retention's: a database that stays down fails the onboarding
# within about half a minute with the reason, and the relay retries the event later.
RETRY_POLICY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
    maximum_attempts=6,
)
# One short transaction: two inserts.
CALL_TIMEOUT = timedelta(seconds=30)


@workflow.defn(name=ONBOARDING_WORKFLOW)
class OrganizationOnboardingWorkflow:
    @workflow.run
    async def run(self, request: OnboardingInput) -> bool:
        """True if the trial started now, False if this event had started it before."""
        started: bool = await workflow.execute_activity(
            START_ORGANIZATION_TRIAL,
            request,
            result_type=bool,
            start_to_close_timeout=CALL_TIMEOUT,
            schedule_to_close_timeout=CALL_TIMEOUT * 10,
            retry_policy=RETRY_POLICY,
        )
        return started
