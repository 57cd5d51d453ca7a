"""The retention activities against in-memory ports: unwrapping results into activity errors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from returns.io import IOFailure, IOResult, IOSuccess
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from app.retention.activities import RetentionActivities
from app.retention.contract import CountExpiredInput, PruneBatchInput, ReadRetentionPolicyInput
from core.errors import DatabaseUnavailable, InvalidRow, PersistenceError
from core.retention.policy import (
    MalformedRetentionEntry,
    RetentionRule,
    RetentionSettings,
)

CUTOFF = datetime(2026, 1, 1, tzinfo=UTC)


class FakeTarget:
    def __init__(self, expired: int = 0, error: PersistenceError | None = None) -> None:
        self.expired = expired
        self.error = error
        self.calls: list[tuple[datetime, int]] = []

    def prune_batch(self, older_than: datetime, batch_size: int) -> IOResult[int, PersistenceError]:
        self.calls.append((older_than, batch_size))
        if self.error is not None:
            return IOFailure(self.error)
        deleted = min(batch_size, self.expired)
        self.expired -= deleted
        return IOSuccess(deleted)

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


def run(function, argument):
    return ActivityEnvironment().run(function, argument)


def test_the_policy_carries_the_settings_as_read_and_every_known_table():
    settings = RetentionSettings(
        rules={"audit_events": RetentionRule(True, 90)},
        malformed=(MalformedRetentionEntry("domain_events", "enabled must be true or false"),),
    )
    policy = run(activities(FakeTarget(), settings).read_retention_policy,
                 ReadRetentionPolicyInput())  # fmt: skip
    assert policy.known_tables == ("audit_events", "domain_events")
    assert policy.settings == settings


def test_a_batch_deletes_through_the_target_with_the_given_cutoff_and_size():
    target = FakeTarget(expired=5)
    deleted = run(activities(target).prune_batch, PruneBatchInput("audit_events", CUTOFF, 3))
    assert deleted == 3
    assert target.calls == [(CUTOFF, 3)]


def test_a_count_reports_what_would_be_deleted():
    target = FakeTarget(expired=7)
    assert run(activities(target).count_expired, CountExpiredInput("audit_events", CUTOFF)) == 7
    assert target.calls == []


def test_an_unreachable_database_is_a_retryable_failure():
    target = FakeTarget(error=DatabaseUnavailable("connection refused"))
    with pytest.raises(ApplicationError) as raised:
        run(activities(target).prune_batch, PruneBatchInput("audit_events", CUTOFF, 3))
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
        run(activities(FakeTarget()).prune_batch, PruneBatchInput("sessions", CUTOFF, 3))
    assert raised.value.type == "UnknownRetentionTable"
    assert raised.value.non_retryable


def test_a_batch_size_below_one_is_refused_before_touching_the_table():
    target = FakeTarget(expired=5)
    with pytest.raises(ApplicationError) as raised:
        run(activities(target).prune_batch, PruneBatchInput("audit_events", CUTOFF, 0))
    assert raised.value.non_retryable
    assert target.calls == []
