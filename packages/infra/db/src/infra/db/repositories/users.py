"""Users: insert and load."""

from __future__ import annotations

from typing import final
from uuid import UUID

from returns.io import IOResult
from sqlalchemy import select

from core.domains.users.entities import NewUser, User
from core.domains.users.ports import UserRepository
from core.errors import NotFound, PersistenceError
from infra.db.repositories._entities import EntityMapper, column_values
from infra.db.repositories._statements import (
    ConnectionBound,
    fetch_by_id,
    fetch_optional,
    insert_returning,
)
from infra.db.row_schemas.users import UsersRowSchema
from infra.db.schema import users

to_user = EntityMapper(UsersRowSchema, User)


@final
class SqlUserRepository(ConnectionBound, UserRepository):
    """UserRepository on PostgreSQL."""

    def add(self, user: NewUser) -> IOResult[User, PersistenceError]:
        missing = NotFound("users", user.email)
        return insert_returning(
            self._connection, users, UsersRowSchema, column_values(user), missing
        ).map(to_user)

    def get(self, user_id: UUID) -> IOResult[User, PersistenceError]:
        return fetch_by_id(self._connection, users, UsersRowSchema, user_id).map(to_user)

    def find_by_email(self, email: str) -> IOResult[User | None, PersistenceError]:
        statement = select(users).where(users.c.email == email)
        return fetch_optional(self._connection, statement, UsersRowSchema).map(
            lambda row: None if row is None else to_user(row)
        )
