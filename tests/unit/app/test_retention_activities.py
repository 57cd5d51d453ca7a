"""The retention activities against in-memory ports: batch loops, resumption, activity errors."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from returns.io import IOFailure, IOResult, IOSuccess
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from app.retention import activities as activities_module
from app.retention.activities import RetentionActivities, resumed
from app.retention.contract import CountExpiredInput, PruneTableInput, ReadRetentionPolicyInput
from core.errors import DatabaseUnavailable, InvalidRow, PersistenceError
from core.retention.ledger import PrunedSoFar
from core.retention.plan import PruneCallProgress, TablePruneReport
from core.retention.policy import (
    MalformedRetentionEntry,
    RetentionRule,
    RetentionSettings,
)

CUTOFF = datetime(2026, 1, 1, tzinfo=UTC)
RUN = "first-run-id"


class FakeTarget:
    """A table of `expired` rows whose ledger is a list of (run key, rows deleted)."""

    def __init__(self, expired: int = 0, error: PersistenceError | None = None) -> None:
        self.expired = expired
        self.error = error
        self.calls: list[tuple[datetime, int, str]] = []
        self.ledger: list[tuple[str, int]] = []

    def prune_batch(
        self, older_than: datetime, batch_size: int, run_key: str
    ) -> IOResult[int, PersistenceError]:
        self.calls.append((older_than, batch_size, run_key))
        if self.error is not None:
            return IOFailure(self.error)
        deleted = min(batch_size, self.expired)
        self.expired -= deleted
        self.ledger.append((run_key, deleted))
        return IOSuccess(deleted)

    def pruned_in_run(self, run_key: str) -> IOResult[PrunedSoFar, PersistenceError]:
        mine = [rows for key, rows in self.ledger if key == run_key]
        return IOSuccess(PrunedSoFar(deleted=sum(mine), batches=len(mine)))

    def count_expired(self, older_than: datetime) -> IOResult[int, PersistenceError]:
        return IOFailure(self.error) if self.error is not None else IOSuccess(self.expired)


class FakeSettings:
    def __init__(self, settings: RetentionSettings) -> None:
        self.settings = settings

    def get_retention_settings(self) -> IOResult[RetentionSettings, PersistenceError]:
        return IOSuccess(self.settings)


def activities(target: FakeTarget, settings: RetentionSettings | None = None):
    reader = FakeSettings(settings or RetentionSettings(rules={}))
    return RetentionActivities(reader, {"audit_events": target, "domain_events": FakeTarget()})


def run(function, argument, heartbeat_details=()):
    environment = ActivityEnvironment()
    environment.info = dataclasses.replace(environment.info, heartbeat_details=heartbeat_details)
    return environment.run(function, argument)


def test_the_policy_carries_the_settings_as_read_and_every_known_table():
    settings = RetentionSettings(
        rules={"audit_events": RetentionRule(True, 90)},
        malformed=(MalformedRetentionEntry("domain_events", "enabled must be true or false"),),
    )
    policy = run(activities(FakeTarget(), settings).read_retention_policy,
                 ReadRetentionPolicyInput())  # fmt: skip
    assert policy.known_tables == ("audit_events", "domain_events")
    assert policy.settings == settings


def test_one_call_runs_batch_after_batch_of_the_given_size_until_a_short_one():
    target = FakeTarget(expired=10)
    report = run(activities(target).prune_table, PruneTableInput(RUN, "audit_events", CUTOFF, 3))
    assert report == TablePruneReport(deleted=10, batches=4, done=True)
    assert target.calls == [(CUTOFF, 3, RUN)] * 4


def test_a_call_reports_the_runs_ledger_totals_including_batches_of_earlier_attempts():
    target = FakeTarget(expired=4)
    target.ledger = [(RUN, 3), ("another-run", 50)]  # an attempt that died before reporting
    report = run(activities(target).prune_table, PruneTableInput(RUN, "audit_events", CUTOFF, 3))
    assert report == TablePruneReport(deleted=7, batches=3, done=True)


def test_a_call_stops_starting_batches_once_its_time_budget_is_spent(monkeypatch):
    monkeypatch.setattr(activities_module, "PRUNE_CALL_BUDGET", activities_module.timedelta(0))
    target = FakeTarget(expired=10)
    report = run(activities(target).prune_table, PruneTableInput(RUN, "audit_events", CUTOFF, 3))
    assert report == TablePruneReport(deleted=0, batches=0, done=False)
    assert target.calls == []


def test_a_retry_of_a_call_that_had_finished_the_table_deletes_nothing_more():
    target = FakeTarget(expired=0)
    target.ledger = [(RUN, 3), (RUN, 1)]
    finished = dataclasses.asdict(PruneCallProgress(batches=2, deleted=4, done=True))
    report = run(
        activities(target).prune_table,
        PruneTableInput(RUN, "audit_events", CUTOFF, 3),
        heartbeat_details=[finished],
    )
    assert report == TablePruneReport(deleted=4, batches=2, done=True)
    assert target.calls == []


def test_heartbeat_details_resume_a_call_and_anything_unexpected_starts_afresh():
    assert resumed([{"batches": 4, "deleted": 4_000, "done": False}]) == PruneCallProgress(
        batches=4, deleted=4_000, done=False
    )
    assert resumed([]) == PruneCallProgress()
    assert resumed(["not a progress"]) == PruneCallProgress()
    assert resumed([{"rows": 3}]) == PruneCallProgress()


def test_a_count_reports_what_would_be_deleted():
    target = FakeTarget(expired=7)
    assert run(activities(target).count_expired, CountExpiredInput("audit_events", CUTOFF)) == 7
    assert target.calls == []


def test_an_unreachable_database_is_a_retryable_failure():
    target = FakeTarget(error=DatabaseUnavailable("connection refused"))
    with pytest.raises(ApplicationError) as raised:
        run(activities(target).prune_table, PruneTableInput(RUN, "audit_events", CUTOFF, 3))
    assert raised.value.type == "DatabaseUnavailable"
    assert not raised.value.non_retryable
    assert "connection refused" in raised.value.message


def test_an_invalid_row_is_a_failure_retrying_cannot_fix():
    target = FakeTarget(error=InvalidRow("auth_audit_events", "bad metadata"))
    with pytest.raises(ApplicationError) as raised:
        run(activities(target).count_expired, CountExpiredInput("audit_events", CUTOFF))
    assert raised.value.type == "InvalidRow"
    assert raised.value.non_retryable


def test_an_unknown_table_is_a_failure_retrying_cannot_fix():
    with pytest.raises(ApplicationError) as raised:
        run(activities(FakeTarget()).prune_table, PruneTableInput(RUN, "sessions", CUTOFF, 3))
    assert raised.value.type == "UnknownRetentionTable"
    assert raised.value.non_retryable


def test_a_batch_size_below_one_is_refused_before_touching_the_table():
    target = FakeTarget(expired=5)
    with pytest.raises(ApplicationError) as raised:
        run(activities(target).prune_table, PruneTableInput(RUN, "audit_events", CUTOFF, 0))
    assert raised.value.non_retryable
    assert target.calls == []
