"""DB001-DB004: table constants; one row schema and one factory per table; fields match columns."""

from __future__ import annotations

import ast

from invariants import layout
from invariants.annotations import FieldType, field_type
from invariants.classes import class_fields, exported_names, meta_value, top_level_classes
from invariants.model import Diagnostic
from invariants.project import Project, PythonModule
from invariants.schema_reader import ColumnDef, TableDef, read_schema

SUFFIXES = ("RowSchema", "RowShape")
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
    "inet": "pydantic.IPvAnyAddress",
    "cidr": "pydantic.IPvAnyNetwork",
    "bytes": "bytes",
    "jsonb": "a type declared in infra/db/json_schema.py",
}
COMPATIBLE = {
    "text": {"text", "literal", "enum_class"},
    "enum": {"literal", "enum_class"},
}


def check(project: Project) -> list[Diagnostic]:
    schema = read_schema(project)
    diagnostics = list(schema.diagnostics)
    tables = {t.name: t for t in schema.tables}
    diagnostics += _row_schemas(project, tables, schema.opaque)
    diagnostics += _factories(project, tables, schema.opaque)
    return diagnostics


def _at(module: PythonModule, node: ast.AST | None, code: str, message: str) -> Diagnostic:
    line = getattr(node, "lineno", 1)
    column = getattr(node, "col_offset", 0) + 1
    return Diagnostic(module.path, line, column, code, message)


def _missing_class(
    module: PythonModule, path: str, name: str, misnamed: ast.ClassDef | None, code: str
) -> Diagnostic:
    """`name` is not defined; point at the class that was probably meant to be it."""
    if misnamed is None:
        return _at(module, None, code, f"{path} does not define {name}: add it")
    return _at(module, misnamed, code, f"{misnamed.name} must be named {name}: rename it")


def _at_table(table: TableDef, code: str, message: str) -> Diagnostic:
    return Diagnostic(table.path, table.line, table.column, code, message)


# --- DB002 / DB003 -------------------------------------------------------------------------


def _row_schemas(
    project: Project, tables: dict[str, TableDef], opaque: set[str]
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    package = project.module(f"{layout.ROW_SCHEMAS}/__init__.py")
    exported = exported_names(package, project) or set()
    for table in tables.values():
        found += _row_schema_of(project, table, exported)
    found += _orphans(project, layout.ROW_SCHEMAS, tables, opaque, SUFFIXES, "DB002", "row schema")
    return found


def _row_schema_of(project: Project, table: TableDef, exported: set[str]) -> list[Diagnostic]:
    path = f"{layout.ROW_SCHEMAS}/{table.name}.py"
    module = project.module(path)
    stem = layout.pascal_case(table.name)
    if module is None:
        if path in project.texts or any(p.path == path for p in project.problems):
            return []  # unreadable: already reported
        return [
            _at_table(
                table,
                "DB002",
                f"table {table.name} has no row schema: add {path} "
                f"with {stem}RowSchema and {stem}RowShape",
            )
        ]
    found: list[Diagnostic] = []
    classes = top_level_classes(module)
    for suffix in SUFFIXES:
        name = f"{stem}{suffix}"
        if name not in module.top_level:
            misnamed = next((c for n, c in classes.items() if n.endswith(suffix)), None)
            found.append(_missing_class(module, path, name, misnamed, "DB002"))
            continue
        if name not in exported:
            found.append(
                _at(
                    module,
                    module.top_level[name],
                    "DB002",
                    f"{name} is not re-exported: import it in {layout.ROW_SCHEMAS}/__init__.py",
                )
            )
        if name in classes:
            found += _compare(project, table, module, classes[name], strict=suffix == "RowSchema")
    return found


def _compare(
    project: Project, table: TableDef, module: PythonModule, cls: ast.ClassDef, *, strict: bool
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
                    _at(
                        field.module,
                        field.node,
                        "DB003",
                        f"field {field.name} of "
                        f"{cls.name} has no column in table {table.name}: remove it or "
                        "add the column",
                    )
                )
            continue
        problem = _nullability(table, column, kind) or _type_problem(table, column, kind, strict)
        if problem:
            found.append(_at(field.module, field.node, "DB003", problem))
    for column in table.columns:
        if column.name not in seen:
            found.append(
                _at(
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


def _type_problem(table: TableDef, column: ColumnDef, kind: FieldType, strict: bool) -> str | None:
    where = f"column {table.name}.{column.name}"
    if column.family == "jsonb":
        if kind.family != "json":
            return f"{where} is jsonb: use a type declared in infra/db/json_schema.py, not Any/dict"
        return f"{where}: {kind.json_problem}" if kind.json_problem else None
    if column.family == "unknown" or kind.family == "unknown":
        return None
    accepted = COMPATIBLE.get(column.family, {column.family})
    if column.family == "timestamptz" and not strict:
        accepted = {"timestamptz", "timestamp"}
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


# --- orphans (DB002 / DB004) -----------------------------------------------------------------


def _orphans(  # noqa: PLR0917 - shared by row schemas and factories
    project: Project,
    directory: str,
    tables: dict[str, TableDef],
    opaque: set[str],
    suffixes: tuple[str, ...],
    code: str,
    what: str,
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    stems = {layout.pascal_case(name): name for name in tables}
    unreadable = {layout.pascal_case(name) for name in opaque}
    for module in project.under(directory):
        module_stem = module.path.rsplit("/", 1)[-1].removesuffix(".py")
        for name, cls in top_level_classes(module).items():
            stem = _table_stem(cls, name, suffixes)
            if stem is None or stem in unreadable:
                continue
            table = stems.get(stem)
            if table is None:
                found.append(
                    _at(
                        module,
                        cls,
                        code,
                        f"orphan {what} {name}: no table for {stem!r} "
                        "in schema.py; delete it or add the table",
                    )
                )
            elif module_stem != table and name != layout.pascal_case(module_stem) + suffixes[0]:
                found.append(
                    _at(
                        module,
                        cls,
                        code,
                        f"{name} belongs in {directory}/{table}.py, not {module.path}: move it",
                    )
                )
        if (
            module_stem not in tables
            and module_stem not in opaque
            and not module_stem.startswith("_")
            and not any(name.endswith(suffixes) for name in top_level_classes(module))
            and _looks_like_table_module(module, suffixes)
        ):
            found.append(
                _at(
                    module,
                    None,
                    code,
                    f"orphan {what} module {module.path}: no table "
                    f"{module_stem!r}; delete it or add the table",
                )
            )
    return found


def _table_stem(cls: ast.ClassDef, name: str, suffixes: tuple[str, ...]) -> str | None:
    """The PascalCase table a row-schema or factory class claims, or None for helpers."""
    if name.startswith("_") or _is_abstract(cls):
        return None
    if suffixes == ("Factory",):
        model = meta_value(cls, "model")
        model_name = model.attr if isinstance(model, ast.Attribute) else getattr(model, "id", "")
        return model_name.removesuffix("RowSchema") if model_name.endswith("RowSchema") else None
    suffix = next((s for s in suffixes if name.endswith(s)), None)
    return name.removesuffix(suffix) if suffix else None


def _looks_like_table_module(module: PythonModule, suffixes: tuple[str, ...]) -> bool:
    return any(
        isinstance(s, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id.endswith(suffixes) for t in s.targets)
        for s in module.tree.body
    )


def _is_abstract(cls: ast.ClassDef) -> bool:
    value = meta_value(cls, "abstract")
    return isinstance(value, ast.Constant) and value.value is True


# --- DB004 -------------------------------------------------------------------------------


def _factories(project: Project, tables: dict[str, TableDef], opaque: set[str]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    package = project.module(f"{layout.FACTORIES}/__init__.py")
    exported = exported_names(package, project) or set()
    for table in tables.values():
        found += _factory_of(project, table, exported)
    found += _orphans(project, layout.FACTORIES, tables, opaque, ("Factory",), "DB004", "factory")
    return found


def _factory_of(project: Project, table: TableDef, exported: set[str]) -> list[Diagnostic]:
    path = f"{layout.FACTORIES}/{table.name}.py"
    module = project.module(path)
    stem = layout.pascal_case(table.name)
    name = f"{stem}Factory"
    if module is None:
        if path in project.texts or any(p.path == path for p in project.problems):
            return []
        return [
            _at_table(
                table,
                "DB004",
                f"table {table.name} has no factory: add {path} with "
                f"{name} (class Meta: model = {stem}RowSchema)",
            )
        ]
    classes = top_level_classes(module)
    cls = classes.get(name)
    if cls is None:
        misnamed = next(
            (c for c in classes.values() if _table_stem(c, c.name, ("Factory",)) == stem), None
        )
        return [_missing_class(module, path, name, misnamed, "DB004")]
    found: list[Diagnostic] = []
    if name not in exported:
        found.append(
            _at(
                module,
                cls,
                "DB004",
                f"{name} is not re-exported: import it in {layout.FACTORIES}/__init__.py",
            )
        )
    model = meta_value(cls, "model")
    expected = f"{stem}RowSchema"
    model_name = model.attr if isinstance(model, ast.Attribute) else getattr(model, "id", None)
    if model is None:
        found.append(_at(module, cls, "DB004", f"{name} has no `class Meta: model = {expected}`"))
    elif model_name != expected:
        found.append(
            _at(
                module,
                model,
                "DB004",
                f"{name}'s Meta.model is {model_name or '?'}: it must be {expected}",
            )
        )
    return found
