"""Record a successful login: open a session and append its audit event together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from returns.io import IOResult

from core.clock import Clock
from core.domains.auth.entities import (
    DEFAULT_SESSION_LIFETIME,
    AuditMetadata,
    IpAddress,
    LoginSession,
    NewAuditEvent,
    NewLoginSession,
    new_login_session,
)
from core.domains.auth.errors import AuthError
from core.errors import PersistenceError
from core.unit_of_work import Repositories, UnitOfWork


@dataclass(frozen=True)
class RecordLogin:
    user_id: UUID
    ip: IpAddress | None = None
    user_agent: str | None = None
    lifetime: timedelta = DEFAULT_SESSION_LIFETIME


RecordLoginError = AuthError | PersistenceError


def record_login(
    uow: UnitOfWork, clock: Clock, command: RecordLogin
) -> IOResult[LoginSession, RecordLoginError]:
    """The session and its `login_succeeded` audit row commit or roll back together."""
    now = clock.now()
    validated: IOResult[NewLoginSession, RecordLoginError] = IOResult.from_result(
        new_login_session(command.user_id, now, command.lifetime, command.ip, command.user_agent)
    )
    return validated.bind(lambda new: uow.run(lambda repos: _open(repos, new, now)))


def _open(
    repos: Repositories, new: NewLoginSession, now: datetime
) -> IOResult[LoginSession, PersistenceError]:
    return repos.login_sessions.add(new).bind(
        lambda session: repos.audit_log.append(
            NewAuditEvent(
                user_id=session.user_id,
                session_id=session.id,
                event_type="login_succeeded",
                ip=session.ip,
                metadata=AuditMetadata(user_agent=session.user_agent),
                created_at=now,
            )
        ).map(lambda _: session)
    )
