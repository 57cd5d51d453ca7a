"""The closed set of idempotency failures."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InvalidIdempotencyKey:
    """The text is not usable as a key (1 to 128 letters, digits, `.`, `_`, `:` or `-`)."""

    value: str


@dataclass(frozen=True)
class IdempotencyKeyReused:
    """The key already belongs to a different request; its stored result does not apply.

    `command` names the command the key was first used for (maybe this one,
    with other arguments).
    """

    key: str
    command: str


IdempotencyError = InvalidIdempotencyKey | IdempotencyKeyReused
