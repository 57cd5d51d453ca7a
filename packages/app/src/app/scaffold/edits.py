"""Anchored edits of the shared files a new table must appear in.

Each edit finds its place by parsing the file (Python with `ast`; the pgTAP list
by its function call), inserts there, and parses the result again to prove the
new entry landed where it belongs. A file whose shape moved on is refused with
its path, never patched by guesswork. Layout is left to ruff afterwards.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from app.scaffold.errors import ScaffoldRefusedError
from app.scaffold.wrapping import sql_strings


def append_block(source: str, block: str) -> str:
    """`block` after everything else in the module."""
    return source.rstrip("\n") + "\n\n\n" + block.strip("\n") + "\n"


def add_import(source: str, path: str, statement: str) -> str:
    """`statement` (one `from … import …` line) after the module's last top-level import."""
    tree = _parse(source, path)
    imports = [s for s in tree.body if isinstance(s, ast.Import | ast.ImportFrom)]
    if not imports:
        raise ScaffoldRefusedError(f"{path} has no imports to add {statement!r} to", "broken")
    edited = _insert_lines(source, imports[-1].end_lineno or imports[-1].lineno, [statement])
    module, names = _imported(statement)
    return _verified(
        edited,
        path,
        lambda tree: any(
            isinstance(s, ast.ImportFrom)
            and s.module == module
            and names <= {alias.name for alias in s.names}
            for s in tree.body
        ),
        f"import {statement!r}",
    )


def add_to_all(source: str, path: str, name: str) -> str:
    """`name` in the module's `__all__` list, which stays sorted."""
    tree = _parse(source, path)
    assignment = next(
        (
            s
            for s in tree.body
            if isinstance(s, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__all__" for t in s.targets)
            and isinstance(s.value, ast.List | ast.Tuple)
        ),
        None,
    )
    if assignment is None:
        raise ScaffoldRefusedError(f"{path} has no __all__ list to add {name} to", "broken")
    assert isinstance(assignment.value, ast.List | ast.Tuple)
    current = [e.value for e in assignment.value.elts if isinstance(e, ast.Constant)]
    entries = sorted({*(str(value) for value in current), name})
    rendered = ["__all__ = [", *(f'    "{entry}",' for entry in entries), "]"]
    lines = source.splitlines(keepends=True)
    start, end = assignment.lineno - 1, assignment.end_lineno or assignment.lineno
    edited = "".join([*lines[:start], *(line + "\n" for line in rendered), *lines[end:]])
    return _verified(edited, path, lambda tree: name in _all_of(tree), f"{name} in __all__")


def add_class_member(source: str, path: str, class_name: str, member: str) -> str:
    """`member` (source lines at class-body indentation) after the last statement of a class."""
    tree = _parse(source, path)
    cls = _class(tree, path, class_name)
    last = cls.body[-1]
    indent = " " * last.col_offset
    lines = [indent + line if line.strip() else "" for line in member.strip("\n").splitlines()]
    edited = _insert_lines(source, last.end_lineno or last.lineno, ["", *lines])
    before = len(cls.body)
    return _verified(
        edited,
        path,
        lambda tree: len(_class(tree, path, class_name).body) > before,
        f"a new member of {class_name}",
    )


def add_class_field(source: str, path: str, class_name: str, field: str) -> str:
    """`field` (`name: Type`) after the last annotated field of a class, before its methods."""
    tree = _parse(source, path)
    cls = _class(tree, path, class_name)
    fields = [s for s in cls.body if isinstance(s, ast.AnnAssign)]
    if not fields:
        raise ScaffoldRefusedError(f"{path}: {class_name} has no fields to add to", "broken")
    last = fields[-1]
    edited = _insert_lines(source, last.end_lineno or last.lineno, [" " * last.col_offset + field])
    name = field.split(":", 1)[0].strip()
    return _verified(
        edited,
        path,
        lambda tree: any(
            isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name) and s.target.id == name
            for s in _class(tree, path, class_name).body
        ),
        f"the field {name} of {class_name}",
    )


def add_keyword_argument(source: str, path: str, function: str, argument: str) -> str:
    """`argument` (`name=value`) as the last keyword of the call `function` returns."""
    tree = _parse(source, path)
    call = _returned_call(tree, path, function)
    keyword_name = argument.split("=", 1)[0].strip()
    if call.end_lineno is None or call.end_col_offset is None:
        raise ScaffoldRefusedError(f"{path}: cannot locate the call in {function}", "broken")
    lines = source.splitlines(keepends=True)
    row = call.end_lineno - 1
    encoded = lines[row].encode()
    closing = call.end_col_offset - 1  # the `)`; ast columns count UTF-8 bytes
    head, tail = encoded[:closing].decode(), encoded[closing:].decode()
    if head.strip():
        separator = "" if head.rstrip().endswith((",", "(")) else ","
        lines[row] = f"{head.rstrip()}{separator} {argument}{tail}"
    else:
        # The `)` stands on a line of its own: the argument goes on a line before it.
        lines[row] = f"{head}    {argument},\n{head}{tail}"
    edited = "".join(lines)
    return _verified(
        edited,
        path,
        lambda tree: keyword_name in {k.arg for k in _returned_call(tree, path, function).keywords},
        f"{keyword_name}= in the call {function} returns",
    )


def add_to_sql_array(source: str, path: str, function: str, entry: str) -> str:
    """`'entry'` in the ARRAY[...] literal passed to the SQL call `function(...)`.

    The list is rewritten in its order with the entry last, wrapped with the
    indentation it had.
    """
    span = _sql_array(source, path, function)
    opening, closing = span
    items = re.findall(r"'([^']*)'", source[opening:closing])
    if entry in items:
        raise ScaffoldRefusedError(f"{path} already lists {entry!r} in {function}", "exists")
    line_start = source.rfind("\n", 0, opening) + 1
    outer = len(source[line_start:opening]) - len(source[line_start:opening].lstrip())
    indent = " " * (outer + 4)
    rendered = sql_strings([*items, entry], indent)
    edited = source[:opening] + "\n" + rendered + "\n" + " " * outer + source[closing:]
    new_opening, new_closing = _sql_array(edited, path, function)
    if re.findall(r"'([^']*)'", edited[new_opening:new_closing]) != [*items, entry]:
        raise ScaffoldRefusedError(f"{path}: could not add {entry!r} to {function}", "broken")
    return edited


def _sql_array(source: str, path: str, function: str) -> tuple[int, int]:
    """Offsets just inside `ARRAY[` and at its `]`, for the first call of `function`."""
    call = re.search(rf"\b{re.escape(function)}\s*\(", source)
    array = re.compile(r"ARRAY\s*\[", re.IGNORECASE).search(source, call.end()) if call else None
    closing = source.find("]", array.end()) if array else -1
    if call is None or array is None or closing < 0:
        raise ScaffoldRefusedError(
            f"{path} has no {function}(..., ARRAY[...]) list to add to", "broken"
        )
    return array.end(), closing


def _insert_lines(source: str, after_line: int, new_lines: list[str]) -> str:
    lines = source.splitlines(keepends=True)
    inserted = [line + "\n" for line in new_lines]
    return "".join([*lines[:after_line], *inserted, *lines[after_line:]])


def _parse(source: str, path: str) -> ast.Module:
    try:
        return ast.parse(source, path)
    except SyntaxError as error:
        raise ScaffoldRefusedError(f"{path} does not parse: {error}", "broken") from error


def _verified(edited: str, path: str, landed: Callable[[ast.Module], bool], what: str) -> str:
    try:
        tree = ast.parse(edited, path)
    except SyntaxError as error:
        raise ScaffoldRefusedError(
            f"{path}: adding {what} would break the file ({error.msg}); add it by hand", "broken"
        ) from error
    if not landed(tree):
        raise ScaffoldRefusedError(f"{path}: could not add {what}", "broken")
    return edited


def _imported(statement: str) -> tuple[str | None, set[str]]:
    node = ast.parse(statement).body[0]
    if not isinstance(node, ast.ImportFrom):
        raise TypeError(f"not a from-import: {statement}")
    return node.module, {alias.name for alias in node.names}


def _all_of(tree: ast.Module) -> set[str]:
    for statement in tree.body:
        if (
            isinstance(statement, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__all__" for t in statement.targets)
            and isinstance(statement.value, ast.List | ast.Tuple)
        ):
            return {str(e.value) for e in statement.value.elts if isinstance(e, ast.Constant)}
    return set()


def _class(tree: ast.Module, path: str, name: str) -> ast.ClassDef:
    found = next((s for s in tree.body if isinstance(s, ast.ClassDef) and s.name == name), None)
    if found is None:
        raise ScaffoldRefusedError(f"{path} has no class {name}", "broken")
    return found


def _returned_call(tree: ast.Module, path: str, function: str) -> ast.Call:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == function:
            for statement in ast.walk(node):
                if isinstance(statement, ast.Return) and isinstance(statement.value, ast.Call):
                    return statement.value
    raise ScaffoldRefusedError(f"{path} has no function {function} returning a call", "broken")
