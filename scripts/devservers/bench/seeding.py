"""Fast seeding for the bench: one factory-made row per kind, copied set-based by the server.

A million factory calls would take longer than every prune they feed, so each
retention target's sample row (from its declaration) is made once with the
table's factory, read back, and copied with one INSERT … SELECT over
generate_series. Copies keep the template's values except where a unique
constraint or index needs a fresh one (a new UUID, or a UUID prefix on text),
and spread the target's age column one millisecond apart, so the oldest-first
order of a prune is the order of insertion, as with real traffic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Integer,
    Interval,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.sql.elements import ColumnElement

from devservers.retention_seed import ANCIENT, factory_of
from devservers.stack import libpq_url
from infra.db.retention.targets import AgedRow, RetentionTargetDeclaration

SPREAD = timedelta(milliseconds=1)


@dataclass(frozen=True)
class TemplateRow:
    """A stored row to copy, and the column that places it in time."""

    table: Table
    values: Mapping[str, Any]
    age_column: str

    def shifted(self, delta: timedelta) -> TemplateRow:
        """The same row moved in time: every timestamp by `delta`, so their order holds."""
        moved = {
            name: value + delta if isinstance(value, datetime) else value
            for name, value in self.values.items()
        }
        return TemplateRow(self.table, moved, self.age_column)


def make_templates(
    connection: Connection, declaration: RetentionTargetDeclaration, at: datetime
) -> list[TemplateRow]:
    """One stored row per prunable kind of the target, aged `at`, made by its factory."""
    return [
        make_template(connection, declaration.table, row, at) for row in declaration.sample.prunable
    ]


def make_template(
    connection: Connection,
    table: Table,
    row: AgedRow,
    at: datetime,
    overrides: Mapping[str, object] | None = None,
) -> TemplateRow:
    earlier = dict.fromkeys(row.before, at - ANCIENT)
    values = {**row.values, **earlier, **(overrides or {}), row.age_column: at}
    created = factory_of(table).create(connection=connection, **values)
    stored = connection.execute(select(table).where(table.c.id == created.id)).mappings().one()
    return TemplateRow(table, dict(stored), row.age_column)


def copy_rows(connection: Connection, template: TemplateRow, copies: int) -> None:
    """Insert `copies` copies of the template, each a millisecond older than the one before."""
    if copies <= 0:
        return
    n = func.generate_series(1, copies).column_valued("n")
    varied = columns_to_vary(template.table)
    columns = [_copied_value(column, template, n, varied) for column in template.table.columns]
    statement = insert(template.table).from_select(
        [column.name for column in template.table.columns], select(*columns)
    )
    connection.execute(statement)


def seed_expired(connection: Connection, templates: list[TemplateRow], rows: int) -> None:
    """`rows` rows in all (the templates included), the kinds in equal shares."""
    share, extra = divmod(rows, len(templates))
    for index, template in enumerate(templates):
        copy_rows(connection, template, share + (index < extra) - 1)


def _copied_value(
    column: Column[Any], template: TemplateRow, n: ColumnElement[int], varied: set[str]
) -> ColumnElement[Any]:
    value = template.values[column.name]
    if column.name == template.age_column:
        return literal(value, column.type) - n * literal(SPREAD, Interval())
    if column.name not in varied:
        return literal(value, column.type)
    if isinstance(column.type, Uuid):
        return func.gen_random_uuid()
    if isinstance(column.type, (Integer, BigInteger)):
        return literal(value, column.type) + n
    # Prefixed, not suffixed: a check such as `email LIKE '%_@_%'` still holds.
    return func.concat(func.gen_random_uuid(), "-", literal(value, Text()))


def columns_to_vary(table: Table) -> set[str]:
    """One column per unique key (constraint or unique index) that copies must not repeat."""
    varied: set[str] = set()
    for key in _unique_keys(table):
        if any(column.name in varied for column in key):
            continue
        varied.add(_variable_column(table, key).name)
    return varied


def _unique_keys(table: Table) -> Iterable[list[Column[Any]]]:
    if table.primary_key is not None:
        yield list(table.primary_key.columns)
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            yield list(constraint.columns)
    for column in table.columns:
        if column.unique:
            yield [column]
    for index in table.indexes:
        if index.unique:
            yield [c for c in index.columns if isinstance(c, Column)]


def _variable_column(table: Table, key: list[Column[Any]]) -> Column[Any]:
    # A foreign key must keep pointing at the template's parent row.
    free = [column for column in key if not column.foreign_keys]
    for kinds in ((Uuid,), (Integer, BigInteger), (Text,)):
        for column in free:
            if isinstance(column.type, kinds):
                return column
    names = ", ".join(column.name for column in key)
    raise ValueError(f"cannot vary a unique key of {table.name} ({names}) when copying rows")


def reset_table(owner_url: str, table: Table) -> None:
    """Empty the table, with fresh heap and indexes, so each run inherits no earlier bloat."""
    with psycopg.connect(libpq_url(owner_url), autocommit=True) as conn:
        conn.execute(sql.SQL("TRUNCATE {}").format(sql.Identifier(table.name)))


def settle(owner_url: str, table: Table) -> None:
    """Analyse the table and write the seed's dirty pages, so no measurement pays for them."""
    with psycopg.connect(libpq_url(owner_url), autocommit=True) as conn:
        conn.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.Identifier(table.name)))
        try:
            conn.execute("CHECKPOINT")
        except psycopg.errors.InsufficientPrivilege:
            # Needs a superuser or pg_checkpoint, as the owner of a throw-away cluster is; on a
            # server of your own without it, a prune may pay for part of its seed's writes.
            return
