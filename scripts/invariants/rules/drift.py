"""DB006: the migrated database matches schema.py (Alembic's autogenerate comparison).

Runs only with a migrated database (MIGRATION_DATABASE_URL, as `python -m
devservers test` provides); `--offline` skips it with a notice.
"""

from __future__ import annotations

from typing import Any

from invariants import layout
from invariants.model import Diagnostic
from invariants.project import Project
from invariants.schema_reader import read_schema


def check(project: Project, answer: dict[str, Any]) -> list[Diagnostic]:
    schema = read_schema(project)
    found = [Diagnostic(**d) for d in answer.get("diagnostics", [])]  # from a child checker
    for diff in answer.get("diffs", []):
        table = schema.by_name.get(diff.get("table") or "")
        path, line, column = layout.SCHEMA_MODULE, 1, 1
        if table is not None:
            path, line, column = table.path, table.line, table.column
            column_def = table.by_name.get(diff.get("column") or "")
            if column_def is not None and column_def.node is not None:
                line, column = column_def.node.lineno, column_def.node.col_offset + 1
        found.append(
            Diagnostic(
                path,
                line,
                column,
                "DB006",
                f"schema drift: {diff['detail']}; write a migration (or fix "
                "schema.py) so both agree",
            )
        )
    return found
