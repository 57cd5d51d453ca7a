"""The retention backlog counts each enabled target at the cutoff a run started now would use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from returns.io import IOFailure, IOResult, IOSuccess

from core.errors import DatabaseUnavailable, PersistenceError
from core.retention.backlog import rows_awaiting_prune
from core.retention.policy import RetentionRule, RetentionSettings

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


class CountingTarget:
    """Counts nothing itself: remembers the cutoff it was asked about."""

    def __init__(self, expired: int, error: PersistenceError | None = None) -> None:
        self.expired = expired
        self.error = error
        self.cutoffs: list[datetime] = []

    def count_expired(self, older_than: datetime) -> IOResult[int, PersistenceError]:
        self.cutoffs.append(older_than)
        return IOFailure(self.error) if self.error else IOSuccess(self.expired)


class Settings:
    def __init__(self, rules: dict[str, RetentionRule]) -> None:
        self.rules = rules

    def get_retention_settings(self) -> IOResult[RetentionSettings, PersistenceError]:
        return IOSuccess(RetentionSettings(rules=self.rules))


def test_each_enabled_target_is_counted_at_now_minus_its_retention_days() -> None:
    audit, invitations, events = CountingTarget(3), CountingTarget(5), CountingTarget(8)
    settings = Settings(
        {"audit_events": RetentionRule(True, 90), "invitations": RetentionRule(False, 10),
         "domain_events": RetentionRule(True, 30)}
    )  # fmt: skip
    targets = {"audit_events": audit, "invitations": invitations, "domain_events": events}

    backlog = rows_awaiting_prune(settings, targets, NOW)

    assert backlog == IOSuccess({"audit_events": 3, "domain_events": 8})
    assert audit.cutoffs == [NOW - timedelta(days=90)]
    assert events.cutoffs == [NOW - timedelta(days=30)]
    assert invitations.cutoffs == [], "a disabled target is not counted"


def test_a_target_whose_count_fails_fails_the_whole_reading() -> None:
    unavailable = DatabaseUnavailable("gone")
    settings = Settings({"audit_events": RetentionRule(True, 90)})
    targets = {"audit_events": CountingTarget(0, unavailable)}

    backlog = rows_awaiting_prune(settings, targets, NOW)

    assert backlog == IOFailure(unavailable)
