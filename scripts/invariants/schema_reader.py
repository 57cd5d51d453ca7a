"""Reads SQLAlchemy Core `Table` definitions from the AST of infra.db: facts, no verdicts.

Tables may live in `schema.py` or any other module of infra.db (a table split
into its own module is legal); columns, nullability, type families and enum
members are read without importing anything. Every use of `Table` that is not
a plain table constant is recorded as a `TableMisuse` for DB001 to judge.
"""

from __future__ import annotations

import ast
import enum
from dataclasses import dataclass, field
from functools import cached_property

from invariants import layout
from invariants.modules import PythonModule
from invariants.project import Project
from invariants.values import constant_strings, is_true, keyword

TABLE_ORIGINS = frozenset(
    {"sqlalchemy.Table", "sqlalchemy.schema.Table", "sqlalchemy.sql.schema.Table"}
)
COLUMN_NAMES = frozenset({"Column", "mapped_column"})
SHARED_METADATA = "metadata"  # the one MetaData of schema.py every table is on

SA_FAMILIES = {
    **dict.fromkeys(("UUID", "Uuid"), "uuid"),
    **dict.fromkeys(
        (
            "Text",
            "String",
            "Unicode",
            "UnicodeText",
            "VARCHAR",
            "CHAR",
            "TEXT",
            "CITEXT",
            "NVARCHAR",
        ),
        "text",
    ),
    **dict.fromkeys(("Boolean", "BOOLEAN"), "bool"),
    **dict.fromkeys(
        ("Integer", "BigInteger", "SmallInteger", "INTEGER", "BIGINT", "SMALLINT", "INT"), "integer"
    ),
    **dict.fromkeys(("Numeric", "NUMERIC", "DECIMAL"), "numeric"),
    **dict.fromkeys(("Float", "REAL", "DOUBLE_PRECISION", "Double", "FLOAT", "DOUBLE"), "float"),
    **dict.fromkeys(("DateTime", "TIMESTAMP"), "timestamp"),
    **dict.fromkeys(("Date", "DATE"), "date"),
    **dict.fromkeys(("Time", "TIME"), "time"),
    **dict.fromkeys(("Interval", "INTERVAL"), "interval"),
    **dict.fromkeys(("JSON", "JSONB"), "jsonb"),
    "INET": "inet",
    "CIDR": "cidr",
    **dict.fromkeys(("LargeBinary", "BYTEA"), "bytes"),
    **dict.fromkeys(("Enum", "ENUM"), "enum"),
    "ARRAY": "array",
}


@dataclass
class ColumnDef:
    name: str
    nullable: bool
    family: str  # "unknown" when the type could not be read
    enum_members: frozenset[str] | None = None
    enum_class: str | None = None
    node: ast.expr | None = None


@dataclass
class TableDef:
    name: str
    module: PythonModule
    node: ast.Call
    columns: list[ColumnDef] = field(default_factory=list)
    complete: bool = True  # False when some argument could not be read statically

    @property
    def path(self) -> str:
        return self.module.path

    @property
    def line(self) -> int:
        return self.node.lineno

    @property
    def column(self) -> int:
        return self.node.col_offset + 1

    @cached_property
    def by_name(self) -> dict[str, ColumnDef]:
        return {column.name: column for column in self.columns}


class Misuse(enum.Enum):
    """Ways a use of `Table` falls short of a module-level table constant in infra.db."""

    ALIASED_IMPORT = "aliased import"  # `from sqlalchemy import Table as T`
    REBOUND = "re-bound"  # `Table = ...`
    OUTSIDE_INFRA_DB = "outside infra.db"  # a table constant in another package
    BUILT_IN_EXPRESSION = "built in an expression"  # `Table(...)` in a function or expression
    PASSED_AROUND = "passed around"  # `Table` aliased, passed or wrapped
    NAME_NOT_LITERAL = "name not a literal"  # `x = Table(NAME, ...)`
    MISNAMED_CONSTANT = "misnamed constant"  # `x = Table("y", ...)`
    NOT_ON_SHARED_METADATA = "not on the shared metadata"  # second argument


@dataclass(frozen=True)
class TableMisuse:
    """One use of `Table` that is not a plain table constant, where it is.

    `name` is the alias (ALIASED_IMPORT), the constant (NAME_NOT_LITERAL) or the
    table (MISNAMED_CONSTANT, NOT_ON_SHARED_METADATA); `bound_to` is the constant
    a misnamed table is bound to.
    """

    kind: Misuse
    module: PythonModule
    node: ast.AST
    name: str = ""
    bound_to: str = ""


@dataclass
class Schema:
    tables: list[TableDef]
    misuses: list[TableMisuse]
    # Tables built in a way DB001 rejects (a wrapper call): known by name, not by column.
    opaque: set[str] = field(default_factory=set)

    @cached_property
    def by_name(self) -> dict[str, TableDef]:
        return {table.name: table for table in self.tables}


def read_schema(project: Project) -> Schema:
    """Every table of infra.db and every misuse of `Table` (read once per project)."""
    return project.derived(_read_schema)


def _read_schema(project: Project) -> Schema:
    tables: list[TableDef] = []
    misuses: list[TableMisuse] = []
    opaque: set[str] = set()
    for module in project.modules.values():
        if layout.is_application_code(module.path):
            _read_module(project, module, tables, misuses)
            if layout.in_dir(module.path, layout.INFRA_DB) and misuses:
                opaque |= _wrapped_tables(module)
    return Schema(tables, misuses, opaque - {t.name for t in tables})


def table_words(source: str) -> int:
    """How often `Table` occurs as a whole word (str.find and both neighbours beat a regex)."""
    count = 0
    start = source.find("Table")
    while start >= 0:
        end = start + len("Table")
        before = source[start - 1] if start else " "
        after = source[end] if end < len(source) else " "
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            count += 1
        start = source.find("Table", end)
    return count


def _candidates(
    module: PythonModule,
    local_names: set[str],
    module_level: dict[int, tuple[ast.Assign, ast.Call]],
    words: int,
) -> list[ast.Name | ast.Attribute]:
    """The nodes that may reference sqlalchemy's Table.

    Every reference is a `Table` word in the source. When the words are exactly the
    imports plus the module-level `x = Table(...)` calls (schema.py, usually), those
    calls are all there is and the module's node index need not be built.
    """
    imported = sum(
        (alias.name == "Table") + (alias.asname == "Table")
        for statement in module.import_statements
        for alias in statement.names
    )
    if local_names <= {"Table"} and words == imported + len(module_level):
        return [
            call.func
            for _, call in module_level.values()
            if isinstance(call.func, ast.Name | ast.Attribute)
        ]
    found: list[ast.Name | ast.Attribute] = [
        n for n in module.of(ast.Name) if isinstance(n, ast.Name) and n.id in local_names
    ]
    found += [
        n for n in module.of(ast.Attribute) if isinstance(n, ast.Attribute) and n.attr == "Table"
    ]
    return found


def _table_names(module: PythonModule) -> set[str]:
    """Local names that denote sqlalchemy's Table in this module.

    A bare `Table` that nothing in the module binds counts too, so a broken
    import does not hide every table (and cascade into orphan reports).
    """
    names = {
        local
        for local, (source, attribute) in module.imports.items()
        if attribute is not None and f"{source}.{attribute}" in TABLE_ORIGINS
    }
    if "Table" not in module.imports and "Table" not in module.top_level:
        names.add("Table")
    return names


def _is_table_reference(module: PythonModule, node: ast.expr, local_names: set[str]) -> bool:
    if isinstance(node, ast.Name):
        return node.id in local_names
    return isinstance(node, ast.Attribute) and module.resolved(node) in TABLE_ORIGINS


def _read_module(
    project: Project, module: PythonModule, tables: list[TableDef], misuses: list[TableMisuse]
) -> None:
    words = table_words(module.source)
    if not words:
        return
    local_names = _table_names(module)
    in_infra_db = layout.in_dir(module.path, layout.INFRA_DB)
    misuses.extend(_aliased_imports(module, local_names))
    module_level = _module_level_table_calls(module)
    for node in _candidates(module, local_names, module_level, words):
        assert isinstance(node, ast.Name | ast.Attribute)
        if not _is_table_reference(module, node, local_names):
            continue
        kind = _misuse(module, node, module_level, in_infra_db)
        if kind is not None:
            misuses.append(TableMisuse(kind, module, node))
    for assign, call in module_level.values():
        table = _table_from(project, module, assign, call, misuses)
        if table is not None and in_infra_db:
            tables.append(table)


def _wrapped_tables(module: PythonModule) -> set[str]:
    """Names of `x = wrapper("name", metadata, ...)` tables at module level."""
    found = set()
    for statement in module.tree.body:
        value = getattr(statement, "value", None)
        if (
            isinstance(statement, ast.Assign)
            and isinstance(value, ast.Call)
            and len(value.args) > 1
        ):
            first, second = value.args[0], value.args[1]
            if (
                isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and isinstance(second, ast.Name)
                and second.id == "metadata"
            ):
                found.add(first.value)
    return found


def _aliased_imports(module: PythonModule, local_names: set[str]) -> list[TableMisuse]:
    return [
        TableMisuse(Misuse.ALIASED_IMPORT, module, node, name=alias.asname)
        for node in module.import_statements
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.asname in local_names and alias.asname != "Table"
    ]


def _module_level_table_calls(module: PythonModule) -> dict[int, tuple[ast.Assign, ast.Call]]:
    """id(call) -> (assignment, call) for `name = Table(...)` statements at module level."""
    found: dict[int, tuple[ast.Assign, ast.Call]] = {}
    local_names = _table_names(module)
    for statement in module.tree.body:
        if (
            isinstance(statement, ast.Assign)
            and isinstance(statement.value, ast.Call)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and _is_table_reference(module, statement.value.func, local_names)
        ):
            found[id(statement.value.func)] = (statement, statement.value)
    return found


def _misuse(
    module: PythonModule,
    node: ast.Name | ast.Attribute,
    module_level: dict[int, tuple[ast.Assign, ast.Call]],
    in_infra_db: bool,
) -> Misuse | None:
    if id(node) in module.passive_node_ids:
        return None
    if isinstance(node.ctx, ast.Store):
        return Misuse.REBOUND
    if id(node) in module_level:
        return None if in_infra_db else Misuse.OUTSIDE_INFRA_DB
    if _is_call_target(module, node):
        return Misuse.BUILT_IN_EXPRESSION
    return Misuse.PASSED_AROUND


def _is_call_target(module: PythonModule, node: ast.expr) -> bool:
    return any(call.func is node for call in module.calls())


def _table_from(
    project: Project,
    module: PythonModule,
    assign: ast.Assign,
    call: ast.Call,
    misuses: list[TableMisuse],
) -> TableDef | None:
    target = assign.targets[0]
    assert isinstance(target, ast.Name)
    if not call.args or not (
        isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)
    ):
        misuses.append(TableMisuse(Misuse.NAME_NOT_LITERAL, module, call, name=target.id))
        return None
    name = call.args[0].value
    if target.id != name:
        misuses.append(
            TableMisuse(Misuse.MISNAMED_CONSTANT, module, target, name=name, bound_to=target.id)
        )
    if len(call.args) < 2 or not _is_shared_metadata(project, module, call.args[1]):
        misuses.append(TableMisuse(Misuse.NOT_ON_SHARED_METADATA, module, call, name=name))
    table = TableDef(name, module, call)
    for argument in call.args[2:]:
        _read_argument(project, module, argument, table)
    return table


def _is_shared_metadata(project: Project, module: PythonModule, node: ast.expr) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr == "metadata"
    if not isinstance(node, ast.Name):
        return False
    found = project.definition(module, node.id)
    if found is None:
        return False
    owner, statement = found
    # Only the one `metadata` of schema.py: a second MetaData there is a second schema.
    return (
        owner.path == layout.SCHEMA_MODULE
        and owner.top_level.get(SHARED_METADATA) is statement
        and isinstance(statement, ast.Assign | ast.AnnAssign)
        and isinstance(statement.value, ast.Call)
        and (owner.resolved(statement.value.func) or "").endswith("MetaData")
    )


def _read_argument(project: Project, module: PythonModule, node: ast.expr, table: TableDef) -> None:
    if isinstance(node, ast.Call) and _callee_name(node) in COLUMN_NAMES:
        column = _column(project, module, node)
        if column is None:
            table.complete = False
        else:
            table.columns.append(column)
        return
    if isinstance(node, ast.Call) and _callee_name(node)[:1].isupper():
        return  # a constraint or index: CheckConstraint, Index, UniqueConstraint, ...
    # A helper call or *splat: columns we cannot see statically.
    table.complete = False


def _callee_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _column(project: Project, module: PythonModule, call: ast.Call) -> ColumnDef | None:
    if not call.args or not isinstance(call.args[0], ast.Constant):
        return None
    name = call.args[0].value
    if not isinstance(name, str):
        return None
    primary = is_true(keyword(call, "primary_key")) is True
    nullable_flag = is_true(keyword(call, "nullable"))
    nullable = (not primary) if nullable_flag is None else nullable_flag
    type_node = keyword(call, "type_")
    if type_node is None:
        type_node = next((a for a in call.args[1:] if not _is_foreign_key(a)), None)
    column = ColumnDef(name, nullable, "unknown", node=call)
    if type_node is not None:
        _read_type(project, module, type_node, column, 0)
    return column


def _is_foreign_key(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and _callee_name(node) in {
        "ForeignKey",
        "Sequence",
        "Identity",
    }


def _read_type(
    project: Project, module: PythonModule, node: ast.expr, column: ColumnDef, depth: int
) -> None:
    call = node if isinstance(node, ast.Call) else None
    head = call.func if call is not None else node
    name = head.attr if isinstance(head, ast.Attribute) else getattr(head, "id", "")
    family = SA_FAMILIES.get(name)
    if family is None and isinstance(head, ast.Name) and depth < 4:
        found = project.definition(module, head.id)
        if found and isinstance(found[1], ast.Assign | ast.AnnAssign) and found[1].value:
            _read_type(project, found[0], found[1].value, column, depth + 1)
        return
    if family is None:
        return
    column.family = family
    if family == "timestamp" and call is not None and is_true(keyword(call, "timezone")):
        column.family = "timestamptz"
    if family == "enum" and call is not None:
        _read_enum(project, module, call, column)


def _read_enum(project: Project, module: PythonModule, call: ast.Call, column: ColumnDef) -> None:
    if len(call.args) == 1 and isinstance(call.args[0], ast.Name | ast.Attribute):
        single = call.args[0]
        found = project.definition(module, single.id) if isinstance(single, ast.Name) else None
        if found and isinstance(found[1], ast.ClassDef):
            column.enum_class = found[1].name
            return
    members: list[str] = []
    for argument in call.args:
        strings = constant_strings(project, module, argument)
        if strings is None:
            column.family = "unknown"
            return
        members.extend(strings)
    column.enum_members = frozenset(members)
