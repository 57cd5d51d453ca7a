"""Start a new organization's trial when its `organization.created` event is delivered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from returns.io import IOFailure, IOResult, IOSuccess

from core.clock import Clock
from core.domains.organizations.entities import Organization
from core.domains.organizations.trials import trial_from
from core.errors import NotFound, PersistenceError
from core.unit_of_work import Repositories, UnitOfWork
from core.use_cases.once_per_event import Applied, once_per_event

# The consumer name the trial's processed-event records carry.
ONBOARDING_CONSUMER = "organization-onboarding"


@dataclass(frozen=True)
class StartOrganizationTrial:
    """Which `organization.created` event: its id, the organization and when it was created."""

    event_id: UUID
    organization_id: UUID
    created_at: datetime


def start_organization_trial(
    uow: UnitOfWork, clock: Clock, command: StartOrganizationTrial
) -> IOResult[bool, PersistenceError]:
    """Start the trial, once per event: True if it started now, False if it had been started
    or the organization no longer exists (deleted before its onboarding ran: nothing to
    onboard, and nothing is written).

    The trial runs from the organization's creation, not from the delivery, so
    a late or repeated delivery never moves it (the clock is not consulted).
    """
    return uow.run(lambda repos: _start_once(repos, command))


def _start_once(
    repos: Repositories, command: StartOrganizationTrial
) -> IOResult[bool, PersistenceError]:
    found: IOResult[Organization, PersistenceError] = repos.organizations.get(
        command.organization_id
    )
    return (
        found.map(lambda _: True)
        .lash(_gone_is_nothing_to_do)
        .bind(lambda exists: _start(repos, command) if exists else IOSuccess(False))
    )


def _start(
    repos: Repositories, command: StartOrganizationTrial
) -> IOResult[bool, PersistenceError]:
    trial = trial_from(command.organization_id, command.created_at)
    return once_per_event(
        repos,
        ONBOARDING_CONSUMER,
        command.event_id,
        lambda inside: inside.organization_trials.start(trial),
    ).map(lambda outcome: isinstance(outcome, Applied))


def _gone_is_nothing_to_do(error: PersistenceError) -> IOResult[bool, PersistenceError]:
    return IOSuccess(False) if isinstance(error, NotFound) else IOFailure(error)
