"""The pgTAP suites that pin the schema's exact shape name what schema.py declares.

`public/tables_and_types.sql` lists the tables and enum types on purpose (an
exact list is what makes an unexpected table fail), so a new table in
schema.py must be added there too; these tests make forgetting it fail here,
by name, instead of silently leaving the list behind.
"""

from __future__ import annotations

from pathlib import Path

from pglast import ast, parse_sql
from pglast.visitors import Visitor
from sqlalchemy import Enum

from infra.db.schema import metadata

SQL_TESTS = Path(__file__).resolve().parents[2] / "sql_tests"
TABLES_AND_TYPES = SQL_TESTS / "public" / "tables_and_types.sql"
MIGRATION_BOOKKEEPING = {"alembic_version"}


class _ArrayArguments(Visitor):
    """Collects the string elements of the ARRAY[...] argument of each named function call."""

    def __init__(self) -> None:
        self.by_function: dict[str, list[str]] = {}

    def visit_FuncCall(self, _ancestors: object, node: ast.FuncCall) -> None:  # noqa: N802
        name = node.funcname[-1].sval
        for argument in node.args or ():
            if isinstance(argument, ast.A_ArrayExpr):
                self.by_function[name] = [element.val.sval for element in argument.elements]


def arrays_in(path: Path) -> dict[str, list[str]]:
    collector = _ArrayArguments()
    for statement in parse_sql(path.read_text(encoding="utf-8")):
        collector(statement.stmt)
    return collector.by_function


def enum_names_in_schema_py() -> set[str]:
    return {
        column.type.name
        for table in metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, Enum) and column.type.name
    }


def test_the_pinned_table_list_is_exactly_the_tables_of_schema_py() -> None:
    listed = set(arrays_in(TABLES_AND_TYPES)["tables_are"])
    assert listed - MIGRATION_BOOKKEEPING == set(metadata.tables)


def test_the_pinned_enum_list_is_exactly_the_enum_types_of_schema_py() -> None:
    assert set(arrays_in(TABLES_AND_TYPES)["enums_are"]) == enum_names_in_schema_py()


def test_every_table_of_schema_py_has_a_pgtap_structure_suite() -> None:
    missing = [
        name for name in metadata.tables if not (SQL_TESTS / name / "structure.sql").is_file()
    ]
    assert missing == []
