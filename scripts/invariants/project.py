"""Reads every checked file once: Python parsed with `ast`, SQL kept as text for pglast.

Rules share the parsed trees through `Project`; nothing re-reads or re-parses a file.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from pathlib import Path

from invariants import layout
from invariants.model import Diagnostic


@dataclass
class PythonModule:
    """One parsed Python file and an index of its nodes by type."""

    path: str
    source: str
    tree: ast.Module

    @cached_property
    def lines(self) -> list[str]:
        return self.source.splitlines()

    @cached_property
    def dotted(self) -> str | None:
        return layout.dotted_name(self.path)

    @cached_property
    def nodes(self) -> dict[type[ast.AST], list[ast.AST]]:
        return index_nodes(self.tree)

    def of(self, kind: type[ast.AST]) -> list[ast.AST]:
        return self.nodes.get(kind, [])

    def within(self, kind: type[ast.AST], scope: ast.AST) -> list[ast.AST]:
        """Nodes of one type inside a function or class, found by position in the index."""
        start = getattr(scope, "lineno", 0)
        end = getattr(scope, "end_lineno", None) or start
        if "lineno" not in kind._attributes:  # comprehension: no position of its own
            return [n for n in self.of(kind) if start <= _line(n) <= end]
        return [n for n in self.of(kind) if start <= n.lineno <= end]  # type: ignore[attr-defined]

    def inside(self, kind: type[ast.AST], scope: ast.AST) -> list[ast.AST]:
        """Like `within`, but without building the module's index when no rule has yet.

        A migration's upgrade() is all DB005 reads of its module, so only it is indexed.
        """
        if "nodes" in self.__dict__:
            return self.within(kind, scope)
        index = self._scope_indexes.get(id(scope))
        if index is None:
            index = self._scope_indexes[id(scope)] = index_nodes(scope)
        return index.get(kind, [])

    @cached_property
    def _scope_indexes(self) -> dict[int, dict[type[ast.AST], list[ast.AST]]]:
        return {}

    def calls(self) -> Iterator[ast.Call]:
        for node in self.of(ast.Call):
            assert isinstance(node, ast.Call)
            yield node

    @cached_property
    def imports(self) -> dict[str, tuple[str, str | None]]:
        """Local name -> (module, attribute or None), from every import statement."""
        bound: dict[str, tuple[str, str | None]] = {}
        for node in self.import_statements:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        bound[alias.asname] = (alias.name, None)
                    else:
                        top = alias.name.split(".")[0]
                        bound[top] = (top, None)
            else:
                source = self.absolute_module(node)
                for alias in node.names:
                    bound[alias.asname or alias.name] = (source, alias.name)
        return bound

    @cached_property
    def import_statements(self) -> list[ast.Import | ast.ImportFrom]:
        """Every import statement, at any depth (a walk over statements only, not expressions)."""
        found: list[ast.Import | ast.ImportFrom] = []
        stack: list[ast.stmt] = list(reversed(self.tree.body))
        while stack:
            statement = stack.pop()
            if isinstance(statement, ast.Import | ast.ImportFrom):
                found.append(statement)
                continue
            for name in ("body", "orelse", "finalbody", "handlers", "cases"):
                block = getattr(statement, name, None)
                if block:
                    stack.extend(reversed(block))
        return found

    def absolute_module(self, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        package = (self.dotted or "").split(".")
        if not self.path.endswith("__init__.py"):
            package = package[:-1]
        if node.level > 1:
            package = package[: len(package) - node.level + 1]
        return ".".join([*package, *([node.module] if node.module else [])])

    @cached_property
    def top_level(self) -> dict[str, ast.stmt]:
        """Module-level definitions: name -> the statement (assignment, class, def) binding it."""
        bound: dict[str, ast.stmt] = {}
        for statement in self.tree.body:
            for name in bound_names(statement):
                bound[name] = statement
        return bound

    @cached_property
    def functions(self) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
        found = [*self.of(ast.FunctionDef), *self.of(ast.AsyncFunctionDef)]
        return [node for node in found if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]

    def enclosing_function(self, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The innermost function whose body contains `node` (by position)."""
        line = getattr(node, "lineno", 0)
        best: ast.FunctionDef | ast.AsyncFunctionDef | None = None
        for function in self.functions:
            end = function.end_lineno or function.lineno
            if function.lineno <= line <= end and (best is None or function.lineno > best.lineno):
                best = function
        return best

    @cached_property
    def passive_node_ids(self) -> frozenset[int]:
        """Nodes inside annotations and isinstance() checks: references that do nothing."""
        roots: list[ast.AST] = []
        for function in self.functions:
            arguments = function.args
            every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
            every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
            roots += [a.annotation for a in every if a.annotation is not None]
            roots += [function.returns] if function.returns is not None else []
        for node in self.of(ast.AnnAssign):
            assert isinstance(node, ast.AnnAssign)
            roots.append(node.annotation)
        for call in self.calls():
            if isinstance(call.func, ast.Name) and call.func.id in {"isinstance", "issubclass"}:
                roots += call.args[1:]
        return frozenset(id(inner) for root in roots for inner in ast.walk(root))

    def resolved(self, node: ast.expr) -> str | None:
        """The dotted origin of a name or attribute chain: `sa.Table` -> `sqlalchemy.Table`."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        origin = self.imports.get(node.id)
        if origin is None:
            head = node.id
        else:
            head = origin[0] if origin[1] is None else f"{origin[0]}.{origin[1]}"
        return ".".join([head, *reversed(parts)])


def method_position(node: ast.Attribute) -> tuple[int, int]:
    """1-based (line, column) of `receiver.name`: the name's own line when a chain spans lines."""
    end_line = node.end_lineno or node.lineno
    if end_line == node.lineno or node.end_col_offset is None:
        return node.lineno, node.col_offset + 1
    return end_line, node.end_col_offset - len(node.attr) + 1


def _line(node: ast.AST) -> int:
    line = getattr(node, "lineno", None)
    if line is None and isinstance(node, ast.comprehension):
        line = node.iter.lineno
    return line or 0


# Fields that never hold a node a rule needs: names and flags (str/int), Load/Store
# contexts and operator singletons, and import aliases (see `import_statements`).
LEAF_FIELDS = frozenset(
    {
        "id",
        "attr",
        "name",
        "names",
        "arg",
        "asname",
        "module",
        "level",
        "type_comment",
        "kind",
        "conversion",
        "is_async",
        "simple",
        "tag",
        "kwd_attrs",
        "ctx",
        "op",
        "ops",
    }
)
# Per node type: one C-level getter returning a tuple of the fields that may hold nodes
# (None for types without such fields: Name, Constant, Pass...).
_CHILDREN: dict[type[ast.AST], Callable[[ast.AST], tuple[object, ...]] | None] = {}


def _children_getter(kind: type[ast.AST]) -> Callable[[ast.AST], tuple[object, ...]] | None:
    primitive_value = kind in (ast.Constant, ast.MatchSingleton)
    fields = [
        f for f in kind._fields if f not in LEAF_FIELDS and not (primitive_value and f == "value")
    ]
    getter: Callable[[ast.AST], tuple[object, ...]] | None = None
    if len(fields) == 1:
        single = attrgetter(fields[0])
        getter = lambda node: (single(node),)  # noqa: E731 - a tuple, like attrgetter of several
    elif fields:
        getter = attrgetter(*fields)
    _CHILDREN[kind] = getter
    return getter


def index_nodes(tree: ast.AST) -> dict[type[ast.AST], list[ast.AST]]:
    """Every node of a tree grouped by type, in one pass (several times faster than ast.walk)."""
    index: dict[type[ast.AST], list[ast.AST]] = {}
    stack: list[ast.AST | None] = [tree]
    pop, push, extend, children = stack.pop, stack.append, stack.extend, _CHILDREN
    while stack:
        node = pop()
        if node is None:  # a hole in a list field: Dict.keys for `**x`, kw_defaults
            continue
        kind = node.__class__
        bucket = index.get(kind)
        if bucket is None:
            index[kind] = [node]
        else:
            bucket.append(node)
        getter = children[kind] if kind in children else _children_getter(kind)
        if getter is None:
            continue
        for value in getter(node):
            if value.__class__ is list:
                extend(value)
            elif value is not None:
                push(value)  # type: ignore[arg-type]
    return index


def bound_names(statement: ast.stmt) -> list[str]:
    if isinstance(statement, ast.Assign):
        return [target.id for target in statement.targets if isinstance(target, ast.Name)]
    if isinstance(statement, ast.AnnAssign | ast.AugAssign) and isinstance(
        statement.target, ast.Name
    ):
        return [statement.target.id]
    if isinstance(statement, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
        return [statement.name]
    alias_type = getattr(ast, "TypeAlias", None)  # `type X = ...`, Python 3.12+
    if alias_type is not None and isinstance(statement, alias_type):
        return [statement.name.id]
    return []


@dataclass
class SqlFile:
    path: str
    text: str


@dataclass
class Project:
    """Every checked file of one repository, read and parsed once."""

    root: Path
    modules: dict[str, PythonModule] = field(default_factory=dict)
    sql_files: dict[str, SqlFile] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)

    @classmethod
    def load(cls, root: Path) -> Project:
        project = cls(root=root)
        for relative, absolute in discover(root, project.problems):
            project.read(relative, absolute)
        return project

    def read(self, relative: str, absolute: str) -> None:
        try:
            with open(absolute, "rb") as handle:
                raw = handle.read()
        except OSError as error:
            self.problems.append(unreadable(relative, error.strerror or str(error)))
            return
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            self.problems.append(
                Diagnostic(relative, line, 1, "IO001", "file is not valid UTF-8: re-encode it")
            )
            return
        self.texts[relative] = text
        if relative.endswith((".sql", ".psql")):
            self.sql_files[relative] = SqlFile(relative, text)
            return
        try:
            tree = ast.parse(text, filename=relative)
        except SyntaxError as error:
            self.problems.append(syntax_error(relative, error))
            return
        except ValueError as error:  # source with NUL bytes
            self.problems.append(Diagnostic(relative, 1, 1, "IO002", f"cannot parse: {error}"))
            return
        self.modules[relative] = PythonModule(relative, text, tree)

    @cached_property
    def by_dotted(self) -> dict[str, PythonModule]:
        return {m.dotted: m for m in self.modules.values() if m.dotted}

    def under(self, directory: str) -> list[PythonModule]:
        return [m for path, m in sorted(self.modules.items()) if layout.in_dir(path, directory)]

    def module(self, path: str) -> PythonModule | None:
        return self.modules.get(path)

    def definition(
        self, module: PythonModule, name: str, depth: int = 0
    ) -> tuple[PythonModule, ast.stmt] | None:
        """Follow imports inside the project to the statement that defines `name`."""
        statement = module.top_level.get(name)
        if statement is not None and not isinstance(statement, ast.AugAssign):
            return module, statement
        origin = module.imports.get(name)
        if origin is None or origin[1] is None or depth > 8:
            return None
        target = self.by_dotted.get(origin[0])
        if target is None:
            submodule = self.by_dotted.get(f"{origin[0]}.{origin[1]}")
            return (
                (submodule, submodule.tree.body[0]) if submodule and submodule.tree.body else None
            )
        return self.definition(target, origin[1], depth + 1)


def unreadable(path: str, reason: str) -> Diagnostic:
    return Diagnostic(path, 1, 1, "IO001", f"cannot read file: {reason}")


def syntax_error(path: str, error: SyntaxError) -> Diagnostic:
    line = error.lineno or 1
    column = max(error.offset or 1, 1)
    return Diagnostic(path, line, column, "IO002", f"syntax error: {error.msg}; fix it")


def discover(root: Path, problems: list[Diagnostic]) -> Iterator[tuple[str, str]]:
    """Yield (relative, absolute) paths of the checked files; report symlink loops."""
    for top, suffixes in layout.CHECKED_ROOTS.items():
        start = root / top
        if start.is_dir():
            yield from _walk(root, str(start), suffixes, problems, set())


def _walk(
    root: Path,
    directory: str,
    suffixes: tuple[str, ...],
    problems: list[Diagnostic],
    seen: set[tuple[int, int]],
) -> Iterator[tuple[str, str]]:
    try:
        status = os.stat(directory)
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError as error:
        problems.append(unreadable(_relative(root, directory), error.strerror or str(error)))
        return
    identity = (status.st_dev, status.st_ino)
    if identity in seen:
        problems.append(
            Diagnostic(
                _relative(root, directory),
                1,
                1,
                "IO001",
                "symlink loop: this directory links back to one of its parents; remove the link",
            )
        )
        return
    seen = seen | {identity}
    for entry in entries:
        relative = _relative(root, entry.path)
        if entry.name in layout.EXCLUDED_DIRS or relative in layout.EXCLUDED_PATHS:
            continue
        if entry.is_symlink() and not os.path.exists(entry.path):
            problems.append(unreadable(relative, "broken symlink or symlink loop; fix the link"))
        elif entry.is_dir():
            yield from _walk(root, entry.path, suffixes, problems, seen)
        elif entry.name.endswith(suffixes):
            yield relative, entry.path


def _relative(root: Path, path: str) -> str:
    # Every walked path starts with the root it was joined to; slicing beats os.path.relpath.
    prefix = str(root) + os.sep
    relative = path[len(prefix) :] if path.startswith(prefix) else os.path.relpath(path, root)
    return relative.replace(os.sep, "/")
