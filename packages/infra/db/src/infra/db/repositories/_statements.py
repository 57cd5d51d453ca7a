"""Run one statement, decode its rows through a row schema, and return a container.

Every repository method goes through these helpers, so database errors and
rows that do not match their schema are translated the same way everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import TypeVar
from uuid import UUID

from pydantic import BaseModel, TypeAdapter, ValidationError
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
from infra.db.repositories._entities import (
    EntityDecoder,
    EntityT,
    UndecodableRowsError,
    cyclic_gc_paused,
    describe_invalid_rows,
)

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

    return _execute(connection, statement, first, parameters, table_of(schema))


def fetch_all(
    connection: Connection, statement: Executable, schema: type[RowT]
) -> IOResult[tuple[RowT, ...], PersistenceError]:
    """Every row the statement returns, decoded through its row schema in one call, in order."""

    def every(result: CursorResult[object]) -> tuple[RowT, ...]:
        with cyclic_gc_paused():  # the driver's row objects are built here, too
            rows = _dicts(result.keys(), result.all())
            return tuple(rows_adapter(schema).validate_python(rows))

    return _execute(connection, statement, every, table=table_of(schema))


def fetch_entities(
    connection: Connection, statement: Executable, decoder: EntityDecoder[EntityT]
) -> IOResult[tuple[EntityT, ...], PersistenceError]:
    """Every row the statement returns, decoded straight into entities, in order.

    The rows are fetched at once and validated in one pass, which keeps decoding
    close to the cost of the fetch itself (the `decode 10k rows` benchmark).
    """

    def every(result: CursorResult[object]) -> tuple[EntityT, ...]:
        with cyclic_gc_paused():  # the driver's row objects are built here, too
            return decoder.decode_rows(tuple(result.keys()), result.all())

    return _execute(connection, statement, every, table=decoder.table)


def fetch_optional_entity(
    connection: Connection, statement: Executable, decoder: EntityDecoder[EntityT]
) -> IOResult[EntityT | None, PersistenceError]:
    """The one row the statement returns as an entity (see `fetch_entities`), or None."""
    return fetch_entities(connection, statement, decoder).map(
        lambda entities: entities[0] if entities else None
    )


def fetch_entity(
    connection: Connection,
    statement: Executable,
    decoder: EntityDecoder[EntityT],
    missing: NotFound,
) -> IOResult[EntityT, PersistenceError]:
    """The one row the statement returns as an entity; `missing` when there is none."""
    return fetch_optional_entity(connection, statement, decoder).bind(
        lambda entity: IOFailure(missing) if entity is None else IOSuccess(entity)
    )


def fetch_integer(
    connection: Connection, statement: Executable, parameters: Mapping[str, object] | None = None
) -> IOResult[int, PersistenceError]:
    """The single integer the statement returns: a count, a max, a version."""
    return _execute(connection, statement, lambda result: _integer(result.scalar_one()), parameters)


def fetch_uuids(
    connection: Connection, statement: Executable
) -> IOResult[tuple[UUID, ...], PersistenceError]:
    """The ids a statement returns, one per row (an UPDATE ... RETURNING id, say)."""
    return _execute(connection, statement, lambda result: tuple(map(_uuid, result.scalars())))


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


@cache
def rows_adapter(schema: type[RowT]) -> TypeAdapter[list[RowT]]:
    """A validator of a list of `schema` rows, built once per schema."""
    return TypeAdapter(list[schema])  # type: ignore[valid-type]  # a runtime class as the item type


def table_of(schema: type[BaseModel]) -> str:
    """`InvitationsRowSchema` -> `invitations`, following the naming contract."""
    stem = schema.__name__.removesuffix("RowSchema")
    return re.sub(r"(?<!^)(?=[A-Z])", "_", stem).lower()


def _execute(
    connection: Connection,
    statement: Executable,
    read: Callable[[CursorResult[object]], ValueT],
    parameters: Mapping[str, object] | None = None,
    table: str | None = None,
) -> IOResult[ValueT, PersistenceError]:
    """Run and read; `table` names the rows `read` decodes, if it decodes rows."""
    try:
        return IOSuccess(read(connection.execute(statement, parameters)))
    except DBAPIError as error:
        translated = translate_database_error(error)
        if translated is None:
            raise
        return IOFailure(translated)
    except ValidationError as error:
        if table is None:
            raise
        return IOFailure(InvalidRow(table=table, detail=describe_invalid_rows(error)))
    except UndecodableRowsError as error:
        return IOFailure(InvalidRow(table=error.table, detail=error.detail))


def _dicts(names: Iterable[str], rows: Sequence[Sequence[object]]) -> list[dict[str, object]]:
    # Plain dicts of rows fetched at once: the input a bulk validation takes fastest.
    columns = tuple(names)
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _uuid(value: object) -> UUID:
    if isinstance(value, UUID):
        return value
    raise TypeError(f"expected a UUID from the database, got {type(value).__name__}")


def _integer(value: object) -> int:
    if isinstance(value, int):
        return value
    raise TypeError(f"expected an integer from the database, got {type(value).__name__}")
