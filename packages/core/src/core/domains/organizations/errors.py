"""The closed set of organization failures."""

from __future__ import annotations

from dataclasses import dataclass

from core.email import InvalidEmail


@dataclass(frozen=True)
class BlankOrganizationName:
    """An organization needs a name with at least one visible character."""


OrganizationError = BlankOrganizationName | InvalidEmail
