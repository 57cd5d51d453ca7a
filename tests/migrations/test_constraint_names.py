"""Constraint names are part of the contract: error translation and pgTAP refer to them."""

from __future__ import annotations

import re

from sqlalchemy import Connection, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateTable

from infra.db.schema import metadata

CONSTRAINT_NAME = re.compile(r"CONSTRAINT (\w+) ")


def names_declared_in_schema_py() -> set[str]:
    dialect = postgresql.dialect()
    names: set[str] = set()
    for table in metadata.sorted_tables:
        names.update(CONSTRAINT_NAME.findall(str(CreateTable(table).compile(dialect=dialect))))
    return names


def test_the_migrated_constraints_carry_exactly_the_names_schema_py_declares(
    connection: Connection,
) -> None:
    migrated = set(
        connection.execute(
            text(
                "SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
                "WHERE n.nspname = 'public' AND c.contype IN ('c', 'p', 'u', 'f') "
                "AND c.conrelid <> 'alembic_version'::regclass"
            )
        ).scalars()
    )
    assert migrated == names_declared_in_schema_py()
