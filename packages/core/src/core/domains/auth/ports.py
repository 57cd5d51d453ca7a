"""Ports of the authentication domain."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from returns.io import IOResult

from core.domains.auth.entities import AuditEvent, LoginSession, NewAuditEvent, NewLoginSession
from core.errors import PersistenceError


class LoginSessionRepository(Protocol):
    """Stores login sessions."""

    def add(self, session: NewLoginSession) -> IOResult[LoginSession, PersistenceError]:
        """Open a session and return it as stored."""
        ...

    def get(self, session_id: UUID) -> IOResult[LoginSession, PersistenceError]:
        """The session with this id, or NotFound."""
        ...


class AuditLog(Protocol):
    """The append-only authentication audit trail."""

    def append(self, event: NewAuditEvent) -> IOResult[AuditEvent, PersistenceError]:
        """Append one audit event."""
        ...

    def list_for_user(self, user_id: UUID) -> IOResult[tuple[AuditEvent, ...], PersistenceError]:
        """A user's audit events, oldest first."""
        ...
