"""Transaction scopes: where a unit of work or a retention call gets its connection and transaction.

`engine_transaction(engine)` opens a connection and a transaction per use;
`savepoint_transaction(connection)` runs each use in a SAVEPOINT of a
transaction the caller owns. `run_in_transaction` commits on success and rolls
back on failure, translating the errors of opening and committing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TypeVar

from returns.io import IOFailure, IOResult
from returns.pipeline import is_successful
from sqlalchemy import Connection, Engine
from sqlalchemy.engine import Transaction
from sqlalchemy.exc import DBAPIError

from core.errors import PersistenceError
from infra.db.error_translation import translate_database_error

_T = TypeVar("_T")
_E = TypeVar("_E")

TransactionScope = Callable[[], AbstractContextManager[tuple[Connection, Transaction]]]


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
