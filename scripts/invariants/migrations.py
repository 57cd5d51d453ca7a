"""The SQL the Alembic migrations run, in order, split into upgrade and downgrade paths.

SQL is found wherever it sits: string literals and module-level constants
passed to `op.execute` (also through `text()`, loops over tuples of constants
and module-level helper functions), and `.sql` files under migrations/.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from invariants import layout
from invariants.modules import PythonModule
from invariants.project import Project

EXECUTORS = frozenset({"execute", "exec_driver_sql"})
WRAPPERS = frozenset({"text", "dedent", "DDL", "TextClause"})


@dataclass(frozen=True)
class SqlText:
    """A piece of migration SQL and where its first character sits in the repository."""

    text: str
    path: str
    line: int
    column: int
    upgrade: bool

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset inside `text`."""
        newlines = self.text.count("\n", 0, offset)
        if newlines == 0:
            return self.line, self.column + offset
        return self.line + newlines, offset - self.text.rfind("\n", 0, offset)


@dataclass(frozen=True)
class TableDrop:
    table: str
    path: str
    line: int


def migration_modules(project: Project) -> list[PythonModule]:
    """Revision modules in revision order (down_revision chain; file name breaks ties)."""
    modules = [m for m in project.under(layout.MIGRATIONS) if _string_assignment(m, "revision")]
    by_revision = {_string_assignment(m, "revision"): m for m in modules}
    ordered: list[PythonModule] = []
    placed: set[str] = set()

    def place(module: PythonModule, depth: int = 0) -> None:
        revision = _string_assignment(module, "revision") or module.path
        if revision in placed or depth > len(modules):
            return
        parent = by_revision.get(_string_assignment(module, "down_revision"))
        if parent is not None:
            place(parent, depth + 1)
        placed.add(revision)
        ordered.append(module)

    for module in sorted(modules, key=lambda m: m.path):
        place(module)
    return ordered


def _string_assignment(module: PythonModule, name: str) -> str | None:
    statement = module.top_level.get(name)
    value = getattr(statement, "value", None)
    return value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None


def migration_sql(project: Project) -> Iterator[SqlText | TableDrop]:
    """Every SQL text (and op.drop_table) of the migrations, in the order they run."""
    referenced: set[str] = set()
    for module in migration_modules(project):
        yield from _module_sql(project, module, referenced)
    for path, sql_file in sorted(project.sql_files.items()):
        if layout.in_dir(path, layout.MIGRATIONS) and path not in referenced:
            yield SqlText(sql_file.text, path, 1, 1, upgrade=not _looks_like_downgrade(path))


def _looks_like_downgrade(path: str) -> bool:
    name = path.rsplit("/", 1)[-1].lower()
    return "downgrade" in name or name.startswith("down")


def _module_sql(
    project: Project, module: PythonModule, referenced: set[str]
) -> Iterator[SqlText | TableDrop]:
    functions = {
        s.name: s for s in module.tree.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    for entry, upgrade in (("upgrade", True), ("downgrade", False)):
        if entry in functions:
            yield from _function_sql(
                project, module, functions, functions[entry], upgrade, referenced, set()
            )


def _function_sql(  # noqa: PLR0917 - recursive walk state
    project: Project,
    module: PythonModule,
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef],
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    upgrade: bool,
    referenced: set[str],
    visiting: set[str],
) -> Iterator[SqlText | TableDrop]:
    visiting = visiting | {function.name}
    calls = sorted(
        (n for n in module.inside(ast.Call, function) if isinstance(n, ast.Call)),
        key=lambda n: (n.lineno, n.col_offset),
    )
    for call in calls:
        callee = call.func
        if isinstance(callee, ast.Name) and callee.id in functions and callee.id not in visiting:
            yield from _function_sql(
                project, module, functions, functions[callee.id], upgrade, referenced, visiting
            )
        elif isinstance(callee, ast.Attribute) and callee.attr in EXECUTORS and call.args:
            yield from _executed(project, module, function, call.args[0], upgrade, referenced)
        elif isinstance(callee, ast.Attribute) and callee.attr == "drop_table" and call.args:
            table = call.args[0]
            if isinstance(table, ast.Constant) and isinstance(table.value, str):
                yield TableDrop(table.value, module.path, call.lineno)


def _executed(  # noqa: PLR0917 - the call's whole context
    project: Project,
    module: PythonModule,
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    node: ast.expr,
    upgrade: bool,
    referenced: set[str],
) -> Iterator[SqlText]:
    for owner, constant in sql_constants(module, function, node, project):
        text = str(constant.value)
        if text.endswith(".sql") and "\n" not in text:
            yield from _sql_file(project, module, text, upgrade, referenced)
        else:
            line, column = _text_start(owner, constant)
            yield SqlText(text, owner.path, line, column, upgrade)


def _sql_file(
    project: Project, module: PythonModule, name: str, upgrade: bool, referenced: set[str]
) -> Iterator[SqlText]:
    for path, sql_file in sorted(project.sql_files.items()):
        if layout.in_dir(path, layout.MIGRATIONS) and path.endswith("/" + name.lstrip("./")):
            referenced.add(path)
            yield SqlText(sql_file.text, path, 1, 1, upgrade)


def sql_constants(
    module: PythonModule,
    function: ast.FunctionDef | ast.AsyncFunctionDef | None,
    node: ast.expr,
    project: Project | None = None,
) -> list[tuple[PythonModule, ast.Constant]]:
    """(module, constant) for each string an executed expression denotes.

    Followed through names, loops, `text()`, `.sql` file names and imports of shared modules.
    """
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [(module, node)]
    if isinstance(node, ast.Call):
        callee = node.func
        name = callee.attr if isinstance(callee, ast.Attribute) else getattr(callee, "id", "")
        if name in WRAPPERS and node.args:
            return sql_constants(module, function, node.args[0], project)
        # e.g. (HERE / "0006_views.sql").read_text(): the file it names
        return [
            (module, n)
            for n in ast.walk(node)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.endswith(".sql")
        ]
    if isinstance(node, ast.Tuple | ast.List):
        return [
            c for element in node.elts for c in sql_constants(module, function, element, project)
        ]
    if isinstance(node, ast.Name):
        return _name_constants(module, function, node.id, project)
    return []


def _name_constants(
    module: PythonModule,
    function: ast.FunctionDef | ast.AsyncFunctionDef | None,
    name: str,
    project: Project | None,
) -> list[tuple[PythonModule, ast.Constant]]:
    if function is not None:
        for loop in module.inside(ast.For, function):
            assert isinstance(loop, ast.For)
            if isinstance(loop.target, ast.Name) and loop.target.id == name:
                return sql_constants(module, None, loop.iter, project)
        for assign in module.inside(ast.Assign, function):
            assert isinstance(assign, ast.Assign)
            if any(isinstance(t, ast.Name) and t.id == name for t in assign.targets):
                return sql_constants(module, None, assign.value, project)
    statement = module.top_level.get(name)
    value = getattr(statement, "value", None)
    if isinstance(value, ast.expr):
        return sql_constants(module, None, value, project)
    imported = _imported_module(project, module, name)
    if imported is None or imported is module:
        return []
    origin = module.imports[name][1] or name
    value = getattr(imported.top_level.get(origin), "value", None)
    return sql_constants(imported, None, value, None) if isinstance(value, ast.expr) else []


def _imported_module(
    project: Project | None, module: PythonModule, name: str
) -> PythonModule | None:
    """The repository module a migration imports `name` from (SQL kept in a shared module).

    Alembic puts no package around migrations/, so the import is looked up as a path
    from the root, from migrations/ and from the revision's own directory.
    """
    origin = module.imports.get(name)
    if project is None or origin is None or origin[1] is None:
        return None
    relative = origin[0].lstrip(".").replace(".", "/")
    directory = module.path.rsplit("/", 1)[0]
    for base in ("", f"{layout.MIGRATIONS}/", f"{directory}/"):
        for candidate in (f"{base}{relative}.py", f"{base}{relative}/__init__.py"):
            found = project.module(candidate)
            if found is not None:
                return found
    return None


def _text_start(module: PythonModule, constant: ast.Constant) -> tuple[int, int]:
    """Line and column of the first character inside the quotes of a string literal."""
    lines = module.lines
    line_text = lines[constant.lineno - 1] if constant.lineno <= len(lines) else ""
    start = constant.col_offset
    while start < len(line_text) and line_text[start] not in "'\"":
        start += 1  # string prefix letters: r, b, u
    quote = line_text[start : start + 3]
    width = 3 if quote in ('"""', "'''") else 1
    return constant.lineno, start + width + 1
