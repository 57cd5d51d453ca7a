"""Idempotency keys: claim one for this transaction, read what it stored, store it.

How a repeat of an in-flight command waits instead of running twice:

1. `pg_advisory_xact_lock` on (the table, the key) holds the key until the
   claiming transaction commits or rolls back; a concurrent claim of the same
   key waits there (a hash collision only makes two keys take turns).
2. A second statement reads the key's row. It must be a separate statement:
   under READ COMMITTED each statement sees a snapshot taken when it starts,
   so only a statement begun after the wait sees the row the first run just
   committed (and replays it). If the first run rolled back there is no row,
   and the waiting one runs the command itself.

A lock rather than inserting the row up front (INSERT … ON CONFLICT DO NOTHING
would also wait on an uncommitted duplicate): the row is then written once,
complete with its result, so `result` is NOT NULL and the runtime role needs
no UPDATE on the table. Run it at READ COMMITTED (the default); under
REPEATABLE READ the read would miss the first run's row and the insert of the
second would be refused as a Conflict, never silently duplicated.
"""

from __future__ import annotations

from typing import Final, final

from returns.io import IOResult
from sqlalchemy import Text, bindparam, func, literal, select

from core.domains.idempotency.entities import IdempotencyRecord, NewIdempotencyRecord
from core.domains.idempotency.ports import IdempotencyKeys
from core.errors import NotFound, PersistenceError
from infra.db.repositories._entities import EntityMapper, column_values
from infra.db.repositories._statements import (
    ConnectionBound,
    execute_statement,
    fetch_optional,
    insert_returning,
)
from infra.db.row_schemas.idempotency_keys import IdempotencyKeysRowSchema
from infra.db.schema import idempotency_keys

to_record = EntityMapper(IdempotencyKeysRowSchema, IdempotencyRecord)

# The two-key form of the lock: this table's name, then the key, each hashed to 32 bits.
_CLAIM: Final = select(
    func.pg_advisory_xact_lock(
        func.hashtext(literal(idempotency_keys.name, Text)),
        func.hashtext(bindparam("key", type_=Text)),
    )
)
_FIND: Final = select(idempotency_keys).where(
    idempotency_keys.c.key == bindparam("key", type_=Text)
)


@final
class SqlIdempotencyKeys(ConnectionBound, IdempotencyKeys):
    """IdempotencyKeys on PostgreSQL."""

    def claim(self, key: str) -> IOResult[IdempotencyRecord | None, PersistenceError]:
        locked = execute_statement(self._connection, _CLAIM, {"key": key})
        return locked.bind(
            lambda _: fetch_optional(
                self._connection, _FIND, IdempotencyKeysRowSchema, {"key": key}
            )
        ).map(lambda row: None if row is None else to_record(row))

    def store(self, record: NewIdempotencyRecord) -> IOResult[IdempotencyRecord, PersistenceError]:
        return insert_returning(
            self._connection,
            idempotency_keys,
            IdempotencyKeysRowSchema,
            column_values(record),
            NotFound("idempotency_keys", record.key),
        ).map(to_record)
