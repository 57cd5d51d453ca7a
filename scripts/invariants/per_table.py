"""What DB002 and DB004 share: one module per table under a directory, and orphans."""

from __future__ import annotations

import ast
from collections.abc import Callable

from invariants import layout
from invariants.classes import exported_names, meta_value, top_level_classes
from invariants.model import Diagnostic
from invariants.modules import PythonModule
from invariants.project import Project
from invariants.schema_reader import TableDef, read_schema


def at(module: PythonModule, node: ast.AST | None, code: str, message: str) -> Diagnostic:
    return Diagnostic.at(module.path, node, code, message)


def not_reexported(
    module: PythonModule, node: ast.AST, name: str, directory: str, code: str
) -> Diagnostic:
    message = f"{name} is not re-exported: import it in {directory}/__init__.py"
    return at(module, node, code, message)


def missing_class(
    module: PythonModule, path: str, name: str, misnamed: ast.ClassDef | None, code: str
) -> Diagnostic:
    """`name` is not defined; point at the class that was probably meant to be it."""
    if misnamed is None:
        return at(module, None, code, f"{path} does not define {name}: add it")
    return at(module, misnamed, code, f"{misnamed.name} must be named {name}: rename it")


def at_table(table: TableDef, code: str, message: str) -> Diagnostic:
    return Diagnostic(table.path, table.line, table.column, code, message)


def each_table(  # noqa: PLR0917 - the two callers differ in exactly these
    project: Project,
    directory: str,
    check_one: Callable[[Project, TableDef, set[str]], list[Diagnostic]],
    suffix: str,
    code: str,
    what: str,
) -> list[Diagnostic]:
    """`check_one(project, table, names re-exported by the package)` per table, then orphans."""
    schema = read_schema(project)
    package = project.module(f"{directory}/__init__.py")
    exported = exported_names(package, project) or set()
    found: list[Diagnostic] = []
    for table in schema.tables:
        found += check_one(project, table, exported)
    tables = {table.name: table for table in schema.tables}
    found += orphans(project, directory, tables, schema.opaque, (suffix,), code, what)
    return found


def already_unreadable(project: Project, path: str) -> bool:
    """The file exists but could not be read or parsed: IO001/IO002 already report it."""
    return path in project.texts or any(p.path == path for p in project.problems)


def orphans(  # noqa: PLR0917 - shared by row schemas and factories
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
            stem = table_stem(cls, name, suffixes)
            if stem is None or stem in unreadable:
                continue
            table = stems.get(stem)
            if table is None:
                found.append(
                    at(
                        module,
                        cls,
                        code,
                        f"orphan {what} {name}: no table for {stem!r} "
                        "in schema.py; delete it or add the table",
                    )
                )
            elif module_stem != table and name != layout.pascal_case(module_stem) + suffixes[0]:
                found.append(
                    at(
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
            and looks_like_table_module(module, suffixes)
        ):
            found.append(
                at(
                    module,
                    None,
                    code,
                    f"orphan {what} module {module.path}: no table "
                    f"{module_stem!r}; delete it or add the table",
                )
            )
    return found


def table_stem(cls: ast.ClassDef, name: str, suffixes: tuple[str, ...]) -> str | None:
    """The PascalCase table a row-schema or factory class claims, or None for helpers."""
    if name.startswith("_") or is_abstract(cls):
        return None
    if suffixes == ("Factory",):
        model = meta_value(cls, "model")
        model_name = model.attr if isinstance(model, ast.Attribute) else getattr(model, "id", "")
        return model_name.removesuffix("RowSchema") if model_name.endswith("RowSchema") else None
    suffix = next((s for s in suffixes if name.endswith(s)), None)
    return name.removesuffix(suffix) if suffix else None


def looks_like_table_module(module: PythonModule, suffixes: tuple[str, ...]) -> bool:
    return any(
        isinstance(s, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id.endswith(suffixes) for t in s.targets)
        for s in module.tree.body
    )


def is_abstract(cls: ast.ClassDef) -> bool:
    value = meta_value(cls, "abstract")
    return isinstance(value, ast.Constant) and value.value is True
