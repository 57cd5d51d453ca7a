"""Run one statement, decode its rows through a row schema, and return a container.

Every repository method goes through these helpers, so database errors and
rows that do not match their schema are translated the same way everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TypeVar
from uuid import UUID

from pydantic import BaseModel, ValidationError
from returns.io import IOFailure, IOResult, IOSuccess
from sqlalchemy import (
    Connection,
    CursorResult,
    Executable,
    RowMapping,
    Table,
    insert,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError

from core.errors import InvalidRow, NotFound, PersistenceError
from infra.db.error_translation import translate_database_error

RowT = TypeVar("RowT", bound=BaseModel)
ValueT = TypeVar("ValueT")


class ConnectionBound:
    """The base of the repositories: bound to one connection, and so to its transaction."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection


def fetch_one(
    connection: Connection, statement: Executable, schema: type[RowT], missing: NotFound
) -> IOResult[RowT, PersistenceError]:
    """The single row the statement returns, decoded; `missing` when there is none."""
    return fetch_optional(connection, statement, schema).bind(
        lambda row: IOFailure(missing) if row is None else IOSuccess(row)
    )


def fetch_by_id(
    connection: Connection, table: Table, schema: type[RowT], row_id: UUID
) -> IOResult[RowT, PersistenceError]:
    """The row of `table` whose primary key `id` is `row_id`, decoded; NotFound when none."""
    statement = select(table).where(table.c.id == row_id)
    return fetch_one(connection, statement, schema, NotFound(table.name, str(row_id)))


def insert_returning(
    connection: Connection,
    table: Table,
    schema: type[RowT],
    values: Mapping[str, object],
    missing: NotFound,
) -> IOResult[RowT, PersistenceError]:
    """Insert one row of `values` into `table`; the row as stored (defaults filled), decoded."""
    statement = insert(table).values(**values).returning(*table.c)
    return fetch_one(connection, statement, schema, missing)


def update_by_id(
    connection: Connection,
    table: Table,
    schema: type[RowT],
    row_id: UUID,
    values: Mapping[str, object],
) -> IOResult[RowT, PersistenceError]:
    """Set `values` on the row whose `id` is `row_id`; the row as stored, or NotFound."""
    statement = update(table).where(table.c.id == row_id).values(**values).returning(*table.c)
    return fetch_one(connection, statement, schema, NotFound(table.name, str(row_id)))


def fetch_optional(
    connection: Connection,
    statement: Executable,
    schema: type[RowT],
    parameters: Mapping[str, object] | None = None,
) -> IOResult[RowT | None, PersistenceError]:
    """The first row the statement returns, decoded, or None.

    `parameters` bind a prebuilt statement's `bindparam`s (hot paths build once).
    """

    def first(result: CursorResult[object]) -> RowT | None:
        row = result.mappings().first()
        return None if row is None else decode_row(schema, row)

    return _execute(connection, statement, first, parameters, schema)


def fetch_all(
    connection: Connection, statement: Executable, schema: type[RowT]
) -> IOResult[tuple[RowT, ...], PersistenceError]:
    """Every row the statement returns, decoded, in the statement's order."""

    def every(result: CursorResult[object]) -> tuple[RowT, ...]:
        return tuple(decode_row(schema, row) for row in result.mappings())

    return _execute(connection, statement, every, schema=schema)


def fetch_integer(
    connection: Connection, statement: Executable, parameters: Mapping[str, object] | None = None
) -> IOResult[int, PersistenceError]:
    """The single integer the statement returns: a count, a max, a version."""
    return _execute(connection, statement, lambda result: _integer(result.scalar_one()), parameters)


def affected_rows(connection: Connection, statement: Executable) -> IOResult[int, PersistenceError]:
    """How many rows an INSERT, UPDATE or DELETE without RETURNING touched."""
    return _execute(connection, statement, lambda result: result.rowcount)


def execute_statement(
    connection: Connection, statement: Executable, parameters: Mapping[str, object] | None = None
) -> IOResult[None, PersistenceError]:
    """Run a statement whose result is not needed (a lock, say)."""
    return _execute(connection, statement, lambda _: None, parameters)


def decode_row(schema: type[RowT], row: RowMapping | Mapping[str, object]) -> RowT:
    """Validate a row against its schema; a mismatch raises ValidationError."""
    return schema.model_validate(dict(row))


def table_of(schema: type[BaseModel]) -> str:
    """`InvitationsRowSchema` -> `invitations`, following the naming contract."""
    stem = schema.__name__.removesuffix("RowSchema")
    return re.sub(r"(?<!^)(?=[A-Z])", "_", stem).lower()


def _execute(
    connection: Connection,
    statement: Executable,
    read: Callable[[CursorResult[object]], ValueT],
    parameters: Mapping[str, object] | None = None,
    schema: type[BaseModel] | None = None,
) -> IOResult[ValueT, PersistenceError]:
    """Run and read; `schema` is the row schema `read` decodes through, if it decodes rows."""
    try:
        return IOSuccess(read(connection.execute(statement, parameters)))
    except DBAPIError as error:
        translated = translate_database_error(error)
        if translated is None:
            raise
        return IOFailure(translated)
    except ValidationError as error:
        if schema is None:
            raise
        return IOFailure(InvalidRow(table=table_of(schema), detail=_summary(error)))


def _integer(value: object) -> int:
    if isinstance(value, int):
        return value
    raise TypeError(f"expected an integer from the database, got {type(value).__name__}")


def _summary(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(map(str, item['loc']))}: {item['msg']}" for item in error.errors()[:3]
    )
