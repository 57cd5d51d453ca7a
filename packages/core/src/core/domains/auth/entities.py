"""Authentication: login sessions and the append-only audit trail of what happened to them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from ipaddress import IPv4Address, IPv6Address
from typing import Literal
from uuid import UUID

from returns.result import Failure, Result, Success

from core.domains.auth.errors import AuthError, InvalidSessionLifetime

AuthEventType = Literal["login_succeeded", "login_failed", "logout", "session_revoked"]
IpAddress = IPv4Address | IPv6Address
DEFAULT_SESSION_LIFETIME = timedelta(days=14)


@dataclass(frozen=True)
class LoginSession:
    """A stored login session."""

    id: UUID
    user_id: UUID
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    ip: IpAddress | None
    user_agent: str | None


@dataclass(frozen=True)
class NewLoginSession:
    """A session about to be opened."""

    user_id: UUID
    created_at: datetime
    expires_at: datetime
    ip: IpAddress | None
    user_agent: str | None


@dataclass(frozen=True)
class AuditMetadata:
    """What an audit event records beyond its columns; every field is optional."""

    user_agent: str | None = None
    email: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class AuditEvent:
    """A stored audit event; audit events are never updated."""

    id: UUID
    user_id: UUID | None
    session_id: UUID | None
    event_type: AuthEventType
    ip: IpAddress | None
    metadata: AuditMetadata
    created_at: datetime


@dataclass(frozen=True)
class NewAuditEvent:
    """An audit event about to be appended."""

    user_id: UUID | None
    session_id: UUID | None
    event_type: AuthEventType
    ip: IpAddress | None
    metadata: AuditMetadata
    created_at: datetime


def new_login_session(
    user_id: UUID,
    now: datetime,
    lifetime: timedelta,
    ip: IpAddress | None,
    user_agent: str | None,
) -> Result[NewLoginSession, AuthError]:
    """A session starting `now`; its lifetime must be positive."""
    if lifetime <= timedelta(0):
        return Failure(InvalidSessionLifetime(lifetime))
    return Success(NewLoginSession(user_id, now, now + lifetime, ip, user_agent))
