"""Users: people who belong to one organization with one role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

from returns.result import Failure, Result

from core.domains.users.errors import BlankDisplayName, UserError
from core.email import normalize_email

UserRole = Literal["owner", "admin", "member"]


@dataclass(frozen=True)
class User:
    """A stored user."""

    id: UUID
    organization_id: UUID
    email: str
    display_name: str
    role: UserRole
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class NewUser:
    """A validated user about to be stored."""

    organization_id: UUID
    email: str
    display_name: str
    role: UserRole


def new_user(
    organization_id: UUID, email: str, display_name: str, role: UserRole
) -> Result[NewUser, UserError]:
    """Validate a user's address and display name."""
    name = display_name.strip()
    if not name:
        return Failure(BlankDisplayName())
    return normalize_email(email).map(
        lambda normalized: NewUser(organization_id, normalized, name, role)
    )
