"""Email addresses as the database stores them: trimmed, lower-cased, with an `@` inside."""

from __future__ import annotations

from dataclasses import dataclass

from returns.result import Failure, Result, Success


@dataclass(frozen=True)
class InvalidEmail:
    """The text is not usable as an email address."""

    value: str


def normalize_email(raw: str) -> Result[str, InvalidEmail]:
    """Lower-case and trim like the `normalize_email()` trigger, then require `x@y`."""
    email = raw.strip(" ").lower()
    local, at, domain = email.partition("@")
    if not (at and local and domain):
        return Failure(InvalidEmail(raw))
    return Success(email)
