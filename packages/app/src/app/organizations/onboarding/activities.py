"""Onboarding activities: the workflow's only way to reach the database, through core ports.

Built by the worker from the unit of work the composition root wires. The
method is synchronous; the worker runs it in a thread pool. A failure retrying
can fix (the database is down) stays retryable; anything else fails the
workflow at once with its reason.
"""

from __future__ import annotations

from collections.abc import Callable

from returns.io import IOResult
from returns.pipeline import is_successful
from returns.unsafe import unsafe_perform_io
from temporalio import activity
from temporalio.exceptions import ApplicationError

from app.organizations.onboarding import contract
from core.clock import Clock
from core.errors import DatabaseUnavailable, PersistenceError
from core.unit_of_work import UnitOfWork
from core.use_cases.start_organization_trial import StartOrganizationTrial, start_organization_trial

# Starting a trial twice is harmless (the processed-event record makes it a no-op), so
# a dropped connection is simply retried; a refused row will be refused again.
RETRYABLE_FAILURES = (DatabaseUnavailable,)


class OnboardingActivities:
    """The activities of `OrganizationOnboardingWorkflow`, bound to their ports."""

    def __init__(self, unit_of_work: UnitOfWork, clock: Clock) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock

    @property
    def all(self) -> list[Callable[..., object]]:
        """Every activity, as the worker registers them."""
        return [self.start_organization_trial]

    @activity.defn(name=contract.START_ORGANIZATION_TRIAL)
    def start_organization_trial(self, request: contract.OnboardingInput) -> bool:
        """Start the organization's trial once per event: True if it started now."""
        command = StartOrganizationTrial(
            request.event_id, request.organization_id, request.created_at
        )
        return _unwrap(start_organization_trial(self._unit_of_work, self._clock, command))


def _unwrap(result: IOResult[bool, PersistenceError]) -> bool:
    if is_successful(result):
        return unsafe_perform_io(result.unwrap())
    error = unsafe_perform_io(result.failure())
    raise ApplicationError(
        # The error's type travels as the ApplicationError type, which str() puts in front.
        ", ".join(map(str, vars(error).values())),
        type=type(error).__name__,
        non_retryable=not isinstance(error, RETRYABLE_FAILURES),
    )
