"""Login sessions: open and load."""

from __future__ import annotations

from typing import final
from uuid import UUID

from returns.io import IOResult

from core.domains.auth.entities import LoginSession, NewLoginSession
from core.domains.auth.ports import LoginSessionRepository
from core.errors import NotFound, PersistenceError
from infra.db.repositories._entities import EntityMapper, column_values
from infra.db.repositories._statements import ConnectionBound, fetch_by_id, insert_returning
from infra.db.row_schemas.auth_login_sessions import AuthLoginSessionsRowSchema
from infra.db.schema import auth_login_sessions

to_login_session = EntityMapper(AuthLoginSessionsRowSchema, LoginSession)


@final
class SqlLoginSessionRepository(ConnectionBound, LoginSessionRepository):
    """LoginSessionRepository on PostgreSQL."""

    def add(self, session: NewLoginSession) -> IOResult[LoginSession, PersistenceError]:
        return insert_returning(
            self._connection,
            auth_login_sessions,
            AuthLoginSessionsRowSchema,
            column_values(session),
            NotFound("auth_login_sessions", str(session.user_id)),
        ).map(to_login_session)

    def get(self, session_id: UUID) -> IOResult[LoginSession, PersistenceError]:
        return fetch_by_id(
            self._connection, auth_login_sessions, AuthLoginSessionsRowSchema, session_id
        ).map(to_login_session)
