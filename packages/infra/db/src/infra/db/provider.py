"""Connections and transactions: the unit of work and its transaction-scoped repositories.

`SqlUnitOfWork.on_engine(engine)` opens a connection and a transaction per
run. `SqlUnitOfWork.in_savepoints(connection)` runs each unit in a SAVEPOINT of
a transaction the caller owns (a test's outer transaction, a larger job), so
a failed unit rolls back alone and the caller decides about the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Final, TypeVar

from returns.io import IOFailure, IOResult
from returns.pipeline import is_successful
from sqlalchemy import Connection, Engine
from sqlalchemy.engine import Transaction
from sqlalchemy.exc import DBAPIError

from core.errors import PersistenceError
from core.unit_of_work import Repositories, UnitOfWork
from infra.db.error_translation import translate_database_error
from infra.db.repositories.auth_audit_events import SqlAuditLog
from infra.db.repositories.auth_login_sessions import SqlLoginSessionRepository
from infra.db.repositories.domain_events import SqlDomainEventStore
from infra.db.repositories.invitations import SqlInvitationRepository
from infra.db.repositories.organizations import SqlOrganizationRepository
from infra.db.repositories.system_settings import SqlSystemSettingsRepository
from infra.db.repositories.users import SqlUserRepository

_T = TypeVar("_T")
_E = TypeVar("_E")

TransactionScope = Callable[[], AbstractContextManager[tuple[Connection, Transaction]]]


@dataclass(frozen=True)
class SqlRepositories:
    """Every repository, bound to the connection of one transaction."""

    organizations: SqlOrganizationRepository
    users: SqlUserRepository
    invitations: SqlInvitationRepository
    login_sessions: SqlLoginSessionRepository
    audit_log: SqlAuditLog
    domain_events: SqlDomainEventStore
    system_settings: SqlSystemSettingsRepository

    @classmethod
    def bound_to(cls, connection: Connection) -> SqlRepositories:
        return cls(
            organizations=SqlOrganizationRepository(connection),
            users=SqlUserRepository(connection),
            invitations=SqlInvitationRepository(connection),
            login_sessions=SqlLoginSessionRepository(connection),
            audit_log=SqlAuditLog(connection),
            domain_events=SqlDomainEventStore(connection),
            system_settings=SqlSystemSettingsRepository(connection),
        )


def run_in_transaction(
    scope: TransactionScope, work: Callable[[Connection], IOResult[_T, _E]]
) -> IOResult[_T, _E | PersistenceError]:
    """Run `work` in one transaction: commit on success, roll back on failure or exception.

    A connection that cannot be opened, or a commit the server refuses, comes
    back as a PersistenceError; any exception from `work` rolls back and propagates.
    """
    try:
        with scope() as (connection, transaction):
            result = work(connection)
            if is_successful(result):
                transaction.commit()
            else:
                transaction.rollback()
            return result
    except DBAPIError as error:
        translated = translate_database_error(error)
        if translated is None:
            raise
        return IOFailure(translated)


def engine_transaction(engine: Engine) -> TransactionScope:
    """A new connection from the engine's pool and a transaction on it, per use."""

    @contextmanager
    def scope() -> Iterator[tuple[Connection, Transaction]]:
        with engine.connect() as connection, connection.begin() as transaction:
            yield connection, transaction

    return scope


def savepoint_transaction(connection: Connection) -> TransactionScope:
    """A SAVEPOINT inside the transaction the caller already has on `connection`."""

    @contextmanager
    def scope() -> Iterator[tuple[Connection, Transaction]]:
        with connection.begin_nested() as savepoint:
            yield connection, savepoint

    return scope


class SqlUnitOfWork:
    """The UnitOfWork port on PostgreSQL."""

    def __init__(self, scope: TransactionScope) -> None:
        self._scope = scope

    @classmethod
    def on_engine(cls, engine: Engine) -> SqlUnitOfWork:
        return cls(engine_transaction(engine))

    @classmethod
    def in_savepoints(cls, connection: Connection) -> SqlUnitOfWork:
        return cls(savepoint_transaction(connection))

    def run(
        self, work: Callable[[Repositories], IOResult[_T, _E]]
    ) -> IOResult[_T, _E | PersistenceError]:
        return run_in_transaction(
            self._scope, lambda connection: work(SqlRepositories.bound_to(connection))
        )


_SATISFIES_REPOSITORIES: Final[type[Repositories]] = SqlRepositories
_SATISFIES_UNIT_OF_WORK: Final[type[UnitOfWork]] = SqlUnitOfWork
