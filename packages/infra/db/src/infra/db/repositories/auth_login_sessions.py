"""Login sessions: open and load."""

from __future__ import annotations

from typing import final
from uuid import UUID

from returns.io import IOResult
from sqlalchemy import insert

from core.domains.auth.entities import LoginSession, NewLoginSession
from core.domains.auth.ports import LoginSessionRepository
from core.errors import NotFound, PersistenceError
from infra.db.repositories._statements import ConnectionBound, fetch_by_id, fetch_one
from infra.db.row_schemas.auth_login_sessions import AuthLoginSessionsRowSchema
from infra.db.schema import auth_login_sessions


@final
class SqlLoginSessionRepository(ConnectionBound, LoginSessionRepository):
    """LoginSessionRepository on PostgreSQL."""

    def add(self, session: NewLoginSession) -> IOResult[LoginSession, PersistenceError]:
        statement = (
            insert(auth_login_sessions)
            .values(
                user_id=session.user_id,
                created_at=session.created_at,
                expires_at=session.expires_at,
                ip=session.ip,
                user_agent=session.user_agent,
            )
            .returning(*auth_login_sessions.c)
        )
        missing = NotFound("auth_login_sessions", str(session.user_id))
        return fetch_one(self._connection, statement, AuthLoginSessionsRowSchema, missing).map(
            to_login_session
        )

    def get(self, session_id: UUID) -> IOResult[LoginSession, PersistenceError]:
        return fetch_by_id(
            self._connection, auth_login_sessions, AuthLoginSessionsRowSchema, session_id
        ).map(to_login_session)


def to_login_session(row: AuthLoginSessionsRowSchema) -> LoginSession:
    return LoginSession(
        id=row.id,
        user_id=row.user_id,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        ip=row.ip,
        user_agent=row.user_agent,
    )
