"""What the outbox does after a failed delivery: try again later, or dead-letter the event.

The delay grows exponentially with the attempts made so far and stops growing at
the cap; after `max_attempts` deliveries have failed the event becomes a dead
letter (`failed`), which only an operator's retry brings back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class RetryPolicy:
    """Delays of base * factor**(attempt - 1), at most `cap`; no attempt after `max_attempts`."""

    base: timedelta
    factor: float
    cap: timedelta
    max_attempts: int

    def __post_init__(self) -> None:
        if self.base <= timedelta(0) or self.cap < self.base:
            raise ValueError(f"retry delays need 0 < base <= cap, got {self.base} and {self.cap}")
        if self.factor < 1:
            raise ValueError(f"the retry factor must be at least 1, got {self.factor}")
        if self.max_attempts < 1:
            raise ValueError(f"at least one attempt is needed, got {self.max_attempts}")


@dataclass(frozen=True)
class RetryLater:
    """Deliverable again once `delay` has passed."""

    delay: timedelta


@dataclass(frozen=True)
class DeadLetter:
    """No more automatic attempts: `reason` says why the last one failed."""

    reason: str


AfterFailure = RetryLater | DeadLetter


def after_failure(policy: RetryPolicy, attempts: int, error: str) -> AfterFailure:
    """What follows the failure of delivery number `attempts` (1 for the first)."""
    if attempts >= policy.max_attempts:
        return DeadLetter(f"gave up after {attempts} attempts: {error}")
    return RetryLater(backoff(policy, attempts))


def backoff(policy: RetryPolicy, attempts: int) -> timedelta:
    """The delay after failed delivery number `attempts`."""
    # The exponent is bounded first: factor ** attempts overflows a float long before
    # attempts reach an int's limit, and the cap has been reached long before that.
    exponent = min(attempts - 1, 64)
    seconds = policy.base.total_seconds() * policy.factor**exponent
    return min(timedelta(seconds=min(seconds, policy.cap.total_seconds())), policy.cap)
