"""What follows a failed delivery: growing delays up to the cap, then a dead letter."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.domains.domain_events.retries import (
    DeadLetter,
    RetryLater,
    RetryPolicy,
    after_failure,
    backoff,
)

POLICY = RetryPolicy(
    base=timedelta(seconds=5), factor=2.0, cap=timedelta(minutes=1), max_attempts=6
)


def test_delays_grow_by_the_factor_from_the_base_and_stop_at_the_cap() -> None:
    delays = [backoff(POLICY, attempt).total_seconds() for attempt in range(1, 7)]

    assert delays == [5, 10, 20, 40, 60, 60]


def test_a_failure_before_the_last_attempt_is_retried_after_its_backoff() -> None:
    assert after_failure(POLICY, 3, "timeout") == RetryLater(timedelta(seconds=20))


def test_the_failure_of_the_last_attempt_dead_letters_the_event_with_its_reason() -> None:
    outcome = after_failure(POLICY, 6, "connection refused")

    assert isinstance(outcome, DeadLetter)
    assert "6 attempts" in outcome.reason
    assert "connection refused" in outcome.reason


def test_a_huge_attempt_count_still_waits_the_cap_rather_than_overflowing() -> None:
    assert backoff(POLICY, 10_000) == POLICY.cap


@pytest.mark.parametrize(
    ("base", "factor", "cap", "attempts"),
    [
        (timedelta(0), 2.0, timedelta(minutes=1), 3),
        (timedelta(minutes=2), 2.0, timedelta(minutes=1), 3),
        (timedelta(seconds=1), 0.5, timedelta(minutes=1), 3),
        (timedelta(seconds=1), 2.0, timedelta(minutes=1), 0),
    ],
)
def test_an_unusable_policy_is_refused_when_it_is_made(
    base: timedelta, factor: float, cap: timedelta, attempts: int
) -> None:
    with pytest.raises(ValueError, match=r"retry|attempt"):
        RetryPolicy(base, factor, cap, attempts)
