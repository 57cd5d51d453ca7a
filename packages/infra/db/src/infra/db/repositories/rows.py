"""Insert a whole, already validated row and read it back: the persistence hook of factories.

Domain events are refused here: `insert_domain_event_in_transaction` is their
only writer, so a factory-made event gets its sequence number the real way.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel
from returns.io import IOResult
from sqlalchemy import Connection, Table

from core.errors import NotFound, PersistenceError
from infra.db.repositories._statements import insert_returning
from infra.db.schema import domain_events

RowT = TypeVar("RowT", bound=BaseModel)


def insert_row(connection: Connection, table: Table, row: RowT) -> IOResult[RowT, PersistenceError]:
    """Insert every column of `row` into `table`; return the stored row, decoded."""
    if table is domain_events:
        raise ValueError("domain events are written by insert_domain_event_in_transaction only")
    missing = NotFound(table.name, "inserted row")
    return insert_returning(connection, table, type(row), row.model_dump(), missing)
