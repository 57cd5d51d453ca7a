"""Connections and transactions: the unit of work and its transaction-scoped repositories.

`SqlUnitOfWork.on_engine(engine)` opens a connection and a transaction per
run. `SqlUnitOfWork.in_savepoints(connection)` runs each unit in a SAVEPOINT of
a transaction the caller owns (a test's outer transaction, a larger job), so
a failed unit rolls back alone and the caller decides about the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, final

from returns.io import IOResult
from sqlalchemy import Connection, Engine

from core.errors import PersistenceError
from core.unit_of_work import Repositories, UnitOfWork
from infra.db.repositories.auth_audit_events import SqlAuditLog
from infra.db.repositories.auth_login_sessions import SqlLoginSessionRepository
from infra.db.repositories.domain_events import SqlDomainEventStore
from infra.db.repositories.idempotency_keys import SqlIdempotencyKeys
from infra.db.repositories.invitations import SqlInvitationRepository
from infra.db.repositories.organization_trials import SqlOrganizationTrialRepository
from infra.db.repositories.organizations import SqlOrganizationRepository
from infra.db.repositories.processed_events import SqlProcessedEvents
from infra.db.repositories.system_settings import SqlSystemSettingsRepository
from infra.db.repositories.users import SqlUserRepository
from infra.db.transactions import (
    TransactionScope,
    engine_transaction,
    run_in_transaction,
    savepoint_transaction,
)

_T = TypeVar("_T")
_E = TypeVar("_E")


@dataclass(frozen=True)
class SqlRepositories:
    """Every repository, bound to the connection of one transaction.

    Not a subclass of the Repositories port: a dataclass field cannot override a
    protocol's read-only property. SqlUnitOfWork.run passes it where the port
    expects Repositories, and mypy checks it there.
    """

    organizations: SqlOrganizationRepository
    organization_trials: SqlOrganizationTrialRepository
    users: SqlUserRepository
    invitations: SqlInvitationRepository
    login_sessions: SqlLoginSessionRepository
    audit_log: SqlAuditLog
    domain_events: SqlDomainEventStore
    system_settings: SqlSystemSettingsRepository
    idempotency_keys: SqlIdempotencyKeys
    processed_events: SqlProcessedEvents

    @classmethod
    def bound_to(cls, connection: Connection) -> SqlRepositories:
        return cls(
            organizations=SqlOrganizationRepository(connection),
            organization_trials=SqlOrganizationTrialRepository(connection),
            users=SqlUserRepository(connection),
            invitations=SqlInvitationRepository(connection),
            login_sessions=SqlLoginSessionRepository(connection),
            audit_log=SqlAuditLog(connection),
            domain_events=SqlDomainEventStore(connection),
            system_settings=SqlSystemSettingsRepository(connection),
            idempotency_keys=SqlIdempotencyKeys(connection),
            processed_events=SqlProcessedEvents(connection),
        )


@final
class SqlUnitOfWork(UnitOfWork):
    """The UnitOfWork port on PostgreSQL.

    `run` hands the work a SqlRepositories where the port promises Repositories,
    so mypy checks that one against its port there.
    """

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
