"""Ports of the users domain."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from returns.io import IOResult

from core.domains.users.entities import NewUser, User
from core.errors import PersistenceError


class UserRepository(Protocol):
    """Stores and loads users."""

    def add(self, user: NewUser) -> IOResult[User, PersistenceError]:
        """Insert a new user; a taken email address is a Conflict."""
        ...

    def get(self, user_id: UUID) -> IOResult[User, PersistenceError]:
        """The user with this id, or NotFound."""
        ...

    def find_by_email(self, email: str) -> IOResult[User | None, PersistenceError]:
        """The user with this (normalized) address, if any."""
        ...
