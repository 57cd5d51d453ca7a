"""`strata scaffold table`: every file a new table needs, in the shapes the checker demands."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from datetime import date

from app.scaffold import edits
from app.scaffold.checkout import (
    DOMAINS,
    FACTORIES,
    INTEGRATION_TESTS,
    PROVIDER,
    REPOSITORIES,
    REVISIONS,
    ROW_SCHEMAS,
    SCHEMA,
    SQL_TESTS,
    TABLES_AND_TYPES,
    UNIT_OF_WORK,
    Checkout,
)
from app.scaffold.columns import ColumnSpec, parse_columns
from app.scaffold.errors import ScaffoldRefusedError
from app.scaffold.names import (
    PASCAL_CASE,
    check_identifier,
    check_length,
    pascal_case,
    singular,
    snake_case,
)
from app.scaffold.plan import FileChange, Plan
from app.scaffold.render import render, ruff_python
from app.scaffold.revisions import NextRevision, next_revision

# The structure suite's fixed assertions: table_is (4), id's type and default,
# created_at's type and NOT NULL.
FIXED_ASSERTIONS = 8


@dataclass(frozen=True)
class TableRequest:
    """What `strata scaffold table` was asked for, before validation."""

    table: str
    columns: list[str]
    entity: str | None = None


def plan_table(checkout: Checkout, request: TableRequest, today: date) -> Plan:
    """Every new and edited file of the table, rendered and formatted in memory.

    Raises:
        ScaffoldRefusedError: an invalid or taken name, a bad column spec, an unknown
            referenced table, or a checkout whose shared files cannot be edited.
    """
    table = check_identifier(request.table, "table name")
    check_length(f"pk_{table}", "the primary key name of table")
    if table in checkout.tables:
        raise ScaffoldRefusedError(f"table {table!r} already exists in {SCHEMA}", "exists")
    entity = _entity(table, request.entity)
    columns = parse_columns(table, entity, request.columns)
    _check_references(checkout, table, columns)
    _check_new_names(checkout, table, columns)
    context = _context(table, entity, columns, next_revision(checkout), today)
    enum_types = [column.enum_type for column in columns if column.kind == "enum"]
    return Plan((*_new_files(checkout, context), *_edited_files(checkout, context, enum_types)))


def _entity(table: str, override: str | None) -> str:
    if override is not None and not PASCAL_CASE.fullmatch(override):
        raise ScaffoldRefusedError(f"--entity {override!r} is not a PascalCase class name")
    entity = check_identifier(snake_case(override) if override else singular(table), "entity name")
    if entity == table:
        raise ScaffoldRefusedError(
            f"the entity of {table!r} would be named like the table: "
            "pass --entity with the name of one row (e.g. --entity "
            f"{pascal_case(table)}Item)"
        )
    return entity


def _check_references(checkout: Checkout, table: str, columns: tuple[ColumnSpec, ...]) -> None:
    for column in columns:
        if column.kind != "fk":
            continue
        parent = column.parent or ""
        if parent not in checkout.tables:
            raise ScaffoldRefusedError(
                f"column {column.name!r} refers to table {parent!r}, which {SCHEMA} does not "
                "declare",
                "unknown",
            )
        if not checkout.tables[parent]:
            raise ScaffoldRefusedError(
                f"column {column.name!r}: table {parent!r} has no uuid primary key `id` to refer to"
            )
        if not checkout.exists(f"{FACTORIES}/{parent}.py"):
            raise ScaffoldRefusedError(
                f"column {column.name!r}: table {parent!r} has no factory "
                f"{FACTORIES}/{parent}.py to create parent rows with",
                "broken",
            )
    if any(column.parent == table for column in columns):
        raise ScaffoldRefusedError("a table cannot refer to itself in the same scaffold")


def _check_new_names(checkout: Checkout, table: str, columns: tuple[ColumnSpec, ...]) -> None:
    taken = checkout.schema_names | checkout.enum_types | set(checkout.tables)
    if table in taken:
        raise ScaffoldRefusedError(f"{SCHEMA} already uses the name {table!r}", "exists")
    for column in columns:
        if column.kind == "enum":
            for name in (column.enum_type, column.enum_constant):
                if name in taken or name.lower() in taken:
                    raise ScaffoldRefusedError(
                        f"column {column.name!r}: the enum name {name!r} is already used in "
                        f"{SCHEMA}",
                        "exists",
                    )
    repositories = _class_members(checkout, UNIT_OF_WORK, "Repositories")
    if table in repositories:
        raise ScaffoldRefusedError(f"{UNIT_OF_WORK}: Repositories already has {table!r}", "exists")
    for directory in (f"{DOMAINS}/{table}", f"{SQL_TESTS}/{table}"):
        if checkout.exists(directory):
            raise ScaffoldRefusedError(f"{directory} already exists", "exists")


def _class_members(checkout: Checkout, path: str, name: str) -> set[str]:
    tree = ast.parse(checkout.text(path), path)
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef) and statement.name == name:
            return {
                getattr(member, "name", "")
                for member in statement.body
                if isinstance(member, ast.FunctionDef)
            } | {
                member.target.id
                for member in statement.body
                if isinstance(member, ast.AnnAssign) and isinstance(member.target, ast.Name)
            }
    return set()


def _context(
    table: str,
    entity: str,
    columns: tuple[ColumnSpec, ...],
    revision: NextRevision,
    today: date,
) -> dict[str, object]:
    entity_class = pascal_case(entity)
    fk_columns = [c for c in columns if c.kind == "fk"]
    enum_columns = [c for c in columns if c.kind == "enum"]
    per_column = 3 * len(columns) + 2 * len(fk_columns) + len(enum_columns)
    return {
        "table": table,
        "entity": entity,
        "entity_class": entity_class,
        "entity_words": entity.replace("_", " "),
        "plural_words": table.replace("_", " "),
        "plural_title": table.replace("_", " ").capitalize(),
        "columns": columns,
        "fk_columns": fk_columns,
        "enum_columns": enum_columns,
        "nullable_columns": [c for c in columns if c.nullable],
        "parent_factories": sorted({c.parent_factory for c in fk_columns}),
        "column_names": ["id", *(c.name for c in columns), "created_at"],
        "index_names": [f"pk_{table}", *(c.index_name for c in fk_columns)],
        "plan": FIXED_ASSERTIONS + per_column,
        "port": f"{entity_class}Repository",
        "adapter": f"Sql{entity_class}Repository",
        "row_schema": f"{pascal_case(table)}RowSchema",
        "factory": f"{pascal_case(table)}Factory",
        "revision": revision.revision,
        "down_revision": revision.down_revision or "",
        "down_revision_literal": revision.down_revision_literal,
        "migration": f"{REVISIONS}/{revision.file_name(table)}",
        "date": today.isoformat(),
    }


def _new_files(checkout: Checkout, context: dict[str, object]) -> list[FileChange]:
    table = str(context["table"])
    python = {
        str(context["migration"]): "migration_table.py.j2",
        f"{DOMAINS}/{table}/__init__.py": "domain_init.py.j2",
        f"{DOMAINS}/{table}/entities.py": "entities.py.j2",
        f"{DOMAINS}/{table}/errors.py": "errors.py.j2",
        f"{DOMAINS}/{table}/ports.py": "ports.py.j2",
        f"{ROW_SCHEMAS}/{table}.py": "row_schema.py.j2",
        f"{FACTORIES}/{table}.py": "factory.py.j2",
        f"{REPOSITORIES}/{table}.py": "repository.py.j2",
        f"{INTEGRATION_TESTS}/test_{table}_repository.py": "integration_test.py.j2",
    }
    changes = [
        FileChange(path, ruff_python(checkout.root, path, render(template, **context)), True)
        for path, template in python.items()
    ]
    suite = f"{SQL_TESTS}/{table}/structure.sql"
    changes.append(FileChange(suite, render("structure.sql.j2", **context), True))
    return changes


def _edited_files(
    checkout: Checkout, context: dict[str, object], enum_types: list[str]
) -> list[FileChange]:
    table = str(context["table"])
    row_schema, factory = str(context["row_schema"]), str(context["factory"])
    port, adapter = str(context["port"]), str(context["adapter"])

    schema = edits.append_block(checkout.text(SCHEMA), render("schema_table.py.j2", **context))

    row_schemas_init = f"{ROW_SCHEMAS}/__init__.py"
    row_schemas = edits.add_import(
        checkout.text(row_schemas_init),
        row_schemas_init,
        f"from infra.db.row_schemas.{table} import {row_schema}",
    )
    row_schemas = edits.add_to_all(row_schemas, row_schemas_init, row_schema)

    factories_init = f"{FACTORIES}/__init__.py"
    factories = edits.add_import(
        checkout.text(factories_init),
        factories_init,
        f"from infra.db.factories.{table} import {factory}",
    )
    factories = edits.add_to_all(factories, factories_init, factory)

    unit_of_work = edits.add_import(
        checkout.text(UNIT_OF_WORK), UNIT_OF_WORK, f"from core.domains.{table}.ports import {port}"
    )
    unit_of_work = edits.add_class_member(
        unit_of_work,
        UNIT_OF_WORK,
        "Repositories",
        f"@property\ndef {table}(self) -> {port}:\n"
        f'    """{context["plural_title"]!s}, in this transaction."""\n    ...',
    )

    provider = edits.add_import(
        checkout.text(PROVIDER), PROVIDER, f"from infra.db.repositories.{table} import {adapter}"
    )
    provider = edits.add_class_field(provider, PROVIDER, "SqlRepositories", f"{table}: {adapter}")
    provider = edits.add_keyword_argument(
        provider, PROVIDER, "bound_to", f"{table}={adapter}(connection)"
    )

    lists = edits.add_to_sql_array(
        checkout.text(TABLES_AND_TYPES), TABLES_AND_TYPES, "tables_are", table
    )
    for enum_type in enum_types:
        lists = edits.add_to_sql_array(lists, TABLES_AND_TYPES, "enums_are", enum_type)

    python = {
        SCHEMA: schema,
        row_schemas_init: row_schemas,
        factories_init: factories,
        UNIT_OF_WORK: unit_of_work,
        PROVIDER: provider,
    }
    changes = [
        FileChange(path, ruff_python(checkout.root, path, text), False)
        for path, text in python.items()
    ]
    changes.append(FileChange(TABLES_AND_TYPES, lists, False))
    return changes
