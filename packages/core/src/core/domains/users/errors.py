"""The closed set of user failures."""

from __future__ import annotations

from dataclasses import dataclass

from core.email import InvalidEmail


@dataclass(frozen=True)
class BlankDisplayName:
    """A user needs a display name with at least one visible character."""


UserError = BlankDisplayName | InvalidEmail
