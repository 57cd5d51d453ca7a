"""DB002-DB003: one row schema per table, re-exported, whose fields match the table's columns."""

from __future__ import annotations

import ast

from invariants import layout, per_table
from invariants.annotations import FieldType, field_type
from invariants.classes import class_fields, top_level_classes
from invariants.model import Diagnostic, RuleInfo
from invariants.modules import PythonModule
from invariants.project import Project
from invariants.rule import Rule
from invariants.schema_reader import ColumnDef, TableDef

SUFFIX = "RowSchema"
EXPECTED = {
    "uuid": "uuid.UUID",
    "text": "str",
    "bool": "bool",
    "integer": "int",
    "numeric": "decimal.Decimal",
    "float": "float",
    "timestamptz": "pydantic.AwareDatetime",
    "timestamp": "datetime.datetime",
    "date": "datetime.date",
    "time": "datetime.time",
    "interval": "datetime.timedelta",
    "inet": "ipaddress.IPv4Address | ipaddress.IPv6Address",
    "cidr": "pydantic.IPvAnyNetwork",
    "bytes": "bytes",
    "jsonb": "a type declared in infra/db/json_schema.py",
}
COMPATIBLE = {
    "text": {"text", "literal", "enum_class"},
    "enum": {"literal", "enum_class"},
}


def check(project: Project) -> list[Diagnostic]:
    return per_table.each_table(
        project, layout.ROW_SCHEMAS, _row_schema_of, SUFFIX, "DB002", "row schema"
    )


def _row_schema_of(project: Project, table: TableDef, exported: set[str]) -> list[Diagnostic]:
    path = f"{layout.ROW_SCHEMAS}/{table.name}.py"
    module = project.module(path)
    name = f"{layout.pascal_case(table.name)}{SUFFIX}"
    if module is None:
        if per_table.already_unreadable(project, path):
            return []
        message = f"table {table.name} has no row schema: add {path} with {name}"
        return [per_table.at_table(table, "DB002", message)]
    classes = top_level_classes(module)
    if name not in module.top_level:
        misnamed = next((c for n, c in classes.items() if n.endswith(SUFFIX)), None)
        return [per_table.missing_class(module, path, name, misnamed, "DB002")]
    found: list[Diagnostic] = []
    if name not in exported:
        found.append(
            per_table.not_reexported(
                module, module.top_level[name], name, layout.ROW_SCHEMAS, "DB002"
            )
        )
    if name in classes:
        found += _compare(project, table, module, classes[name])
    return found


def _compare(
    project: Project, table: TableDef, module: PythonModule, cls: ast.ClassDef
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    fields = class_fields(project, module, cls)
    seen: set[str] = set()
    for field in fields:
        kind = field_type(project, field.module, field.annotation)
        if kind.class_var:
            continue
        seen.add(field.name)
        column = table.by_name.get(field.name)
        if column is None:
            if table.complete:
                found.append(
                    per_table.at(
                        field.module,
                        field.node,
                        "DB003",
                        f"field {field.name} of "
                        f"{cls.name} has no column in table {table.name}: remove it or "
                        "add the column",
                    )
                )
            continue
        problem = _nullability(table, column, kind) or _type_problem(table, column, kind)
        if problem:
            found.append(per_table.at(field.module, field.node, "DB003", problem))
    for column in table.columns:
        if column.name not in seen:
            found.append(
                per_table.at(
                    module,
                    cls,
                    "DB003",
                    f"column {table.name}.{column.name} has no "
                    f"field in {cls.name}: add `{column.name}: "
                    f"{_expected(column)}`",
                )
            )
    return found


def _nullability(table: TableDef, column: ColumnDef, kind: FieldType) -> str | None:
    where = f"{table.name}.{column.name}"
    if column.nullable and not kind.nullable:
        return f"column {where} is nullable: annotate the field `{_expected(column)} | None`"
    if kind.nullable and not column.nullable:
        return f"column {where} is NOT NULL: drop `| None` from the field"
    return None


def _type_problem(table: TableDef, column: ColumnDef, kind: FieldType) -> str | None:
    where = f"column {table.name}.{column.name}"
    if column.family == "jsonb":
        if kind.family != "json":
            return f"{where} is jsonb: use a type declared in infra/db/json_schema.py, not Any/dict"
        return f"{where}: {kind.json_problem}" if kind.json_problem else None
    if column.family == "unknown" or kind.family == "unknown":
        return None
    accepted = COMPATIBLE.get(column.family, {column.family})
    if kind.family not in accepted:
        expected = _expected(column)
        return f"{where} is {column.family}: annotate the field {expected} (found {kind.family})"
    if column.family == "enum":
        return _enum_problem(where, column, kind)
    return None


def _enum_problem(where: str, column: ColumnDef, kind: FieldType) -> str | None:
    if column.enum_class is not None:
        if kind.enum_class == column.enum_class:
            return None
        return f"{where} is the enum {column.enum_class}: annotate the field with it"
    if column.enum_members is None or kind.members == column.enum_members:
        return None
    missing = sorted(column.enum_members - (kind.members or frozenset()))
    extra = sorted((kind.members or frozenset()) - column.enum_members)
    detail = "; ".join(
        part
        for part in (f"missing {missing}" if missing else "", f"extra {extra}" if extra else "")
        if part
    )
    return f"{where} enum members differ ({detail}): use exactly {_expected(column)}"


def _expected(column: ColumnDef) -> str:
    if column.family == "enum" and column.enum_members is not None:
        return "Literal[" + ", ".join(repr(m) for m in sorted(column.enum_members)) + "]"
    if column.family == "enum" and column.enum_class:
        return column.enum_class
    return EXPECTED.get(column.family, "the matching type")


DB002 = RuleInfo(
    "DB002",
    "row-schema-per-table",
    "Every table has `row_schemas/<table>.py` defining `<Table>RowSchema`, re-exported "
    "from `row_schemas/__init__.py`; no orphans.",
    "Every row read from the database is decoded through exactly one typed schema, the one "
    "typed description of a row.",
    "Add (or rename, move, or delete) the row-schema module and re-export its class.",
)


DB003 = RuleInfo(
    "DB003",
    "row-schema-matches-table",
    "Row-schema fields match the table's columns: names, nullability and type families; "
    "JSON columns use a type declared in `json_schema.py`.",
    "A schema that drifts from its table decodes rows wrongly or fails at run time.",
    "Make the field's name, `| None` and type agree with the column (see the message).",
)


RULE = Rule(infos=(DB002, DB003), check=check)
