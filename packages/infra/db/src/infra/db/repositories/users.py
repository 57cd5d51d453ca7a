"""Users: insert and load."""

from __future__ import annotations

from typing import final
from uuid import UUID

from returns.io import IOResult
from sqlalchemy import insert, select

from core.domains.users.entities import NewUser, User
from core.domains.users.ports import UserRepository
from core.errors import NotFound, PersistenceError
from infra.db.repositories._statements import (
    ConnectionBound,
    fetch_by_id,
    fetch_one,
    fetch_optional,
)
from infra.db.row_schemas.users import UsersRowSchema
from infra.db.schema import users


@final
class SqlUserRepository(ConnectionBound, UserRepository):
    """UserRepository on PostgreSQL."""

    def add(self, user: NewUser) -> IOResult[User, PersistenceError]:
        statement = (
            insert(users)
            .values(
                organization_id=user.organization_id,
                email=user.email,
                display_name=user.display_name,
                role=user.role,
            )
            .returning(*users.c)
        )
        missing = NotFound("users", user.email)
        return fetch_one(self._connection, statement, UsersRowSchema, missing).map(to_user)

    def get(self, user_id: UUID) -> IOResult[User, PersistenceError]:
        return fetch_by_id(self._connection, users, UsersRowSchema, user_id).map(to_user)

    def find_by_email(self, email: str) -> IOResult[User | None, PersistenceError]:
        statement = select(users).where(users.c.email == email)
        return fetch_optional(self._connection, statement, UsersRowSchema).map(
            lambda row: None if row is None else to_user(row)
        )


def to_user(row: UsersRowSchema) -> User:
    return User(
        id=row.id,
        organization_id=row.organization_id,
        email=row.email,
        display_name=row.display_name,
        role=row.role,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
