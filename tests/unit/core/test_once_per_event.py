"""once_per_event and the trial it guards, over in-memory fakes: an effect once per event."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from returns.io import IOResult, IOSuccess
from returns.unsafe import unsafe_perform_io

from core.domains.organizations.entities import NewOrganization
from core.domains.organizations.trials import TRIAL_LENGTH
from core.errors import RuleViolated
from core.use_cases.once_per_event import AlreadyProcessed, Applied, once_per_event
from core.use_cases.start_organization_trial import (
    ONBOARDING_CONSUMER,
    StartOrganizationTrial,
    start_organization_trial,
)
from tests.unit.core.fakes import NOW, FakeUnitOfWork, FixedClock


def test_an_effect_runs_for_a_new_event_only_and_once_per_consumer() -> None:
    uow, event_id, ran = FakeUnitOfWork(), uuid4(), []

    def effect(repos: Any) -> IOResult[str, Any]:
        ran.append(repos)
        return IOSuccess("done")

    def deliver(consumer: str) -> object:
        return unsafe_perform_io(uow.run(lambda r: once_per_event(r, consumer, event_id, effect)))

    outcomes = [deliver("a"), deliver("a"), deliver("b")]
    assert [o.unwrap() for o in outcomes] == [Applied("done"), AlreadyProcessed(), Applied("done")]
    assert len(ran) == 2


def stored_organization(uow: FakeUnitOfWork) -> UUID:
    new = NewOrganization("Acme", "billing@acme.test")
    stored = uow.run(lambda repos: repos.organizations.add(new))
    return unsafe_perform_io(stored.unwrap()).id


def test_a_redelivered_event_starts_the_trial_once_from_the_organization_s_creation() -> None:
    uow = FakeUnitOfWork()
    organization_id = stored_organization(uow)
    command = StartOrganizationTrial(uuid4(), organization_id, NOW)
    started = [unsafe_perform_io(start_organization_trial(uow, FixedClock(), command)).unwrap()
               for _ in range(2)]  # fmt: skip
    assert started == [True, False]
    trial = uow.tables.trials[organization_id]
    assert (trial.started_at, trial.ends_at) == (NOW, NOW + TRIAL_LENGTH)
    assert uow.tables.processed_events == {(ONBOARDING_CONSUMER, command.event_id)}


def test_a_failed_trial_returns_its_failure_and_keeps_no_record() -> None:
    uow = FakeUnitOfWork(fail_on="organization_trials.start")
    command = StartOrganizationTrial(uuid4(), stored_organization(uow), NOW)
    failed = start_organization_trial(uow, FixedClock(), command)
    assert isinstance(unsafe_perform_io(failed.failure()), RuleViolated)
    assert uow.tables.processed_events == set()
    assert uow.tables.trials == {}


def test_an_organization_that_no_longer_exists_is_not_onboarded_and_nothing_is_recorded() -> None:
    uow = FakeUnitOfWork()
    command = StartOrganizationTrial(uuid4(), uuid4(), NOW)

    started = unsafe_perform_io(start_organization_trial(uow, FixedClock(), command)).unwrap()

    assert started is False
    assert uow.tables.processed_events == set()
    assert uow.tables.trials == {}
