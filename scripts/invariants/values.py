"""Static evaluation of small constant expressions (strings, tuples of strings) across modules."""

from __future__ import annotations

import ast

from invariants.modules import PythonModule
from invariants.project import Project


def constant_strings(  # noqa: PLR0911 - one answer per kind of expression
    project: Project, module: PythonModule, node: ast.expr, depth: int = 0
) -> list[str] | None:
    """The strings a constant expression denotes (`"a"`, `("a", "b")`, `*NAMES`), or None."""
    if depth > 8:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Starred):
        return constant_strings(project, module, node.value, depth + 1)
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        found: list[str] = []
        for element in node.elts:
            strings = constant_strings(project, module, element, depth + 1)
            if strings is None:
                return None
            found.extend(strings)
        return found
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = constant_strings(project, module, node.left, depth + 1)
        right = constant_strings(project, module, node.right, depth + 1)
        if left is None or right is None:
            return None
        if len(left) == 1 == len(right) and isinstance(node.left, ast.Constant | ast.Name):
            return [left[0] + right[0]]
        return [*left, *right]
    if isinstance(node, ast.Name):
        value = assigned_value(project, module, node.id)
        if value is None:
            return None
        return constant_strings(project, value[0], value[1], depth + 1)
    return None


def assigned_value(
    project: Project, module: PythonModule, name: str
) -> tuple[PythonModule, ast.expr] | None:
    """The value expression a module-level name is assigned (following project imports)."""
    found = project.definition(module, name)
    if found is None:
        return None
    owner, statement = found
    if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
        return owner, statement.value
    return None


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    for item in call.keywords:
        if item.arg == name:
            return item.value
    return None


def is_true(node: ast.expr | None) -> bool | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        return node.value
    return None
