"""The file model: one parsed Python module (with its node index and imports) or SQL file."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from invariants import layout
from invariants.node_index import index_nodes


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

    def values_assigned_in_scope(self, node: ast.Name) -> list[ast.expr]:
        """Values assigned to the name in the function that uses it (none at module level)."""
        scope = self.enclosing_function(node)
        if scope is None:
            return []
        return [
            assign.value
            for assign in self.within(ast.Assign, scope)
            if isinstance(assign, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == node.id for t in assign.targets)
        ]

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
