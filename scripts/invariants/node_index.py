"""Every node of a syntax tree grouped by type, built in one pass (rules share the index)."""

from __future__ import annotations

import ast
from collections.abc import Callable
from operator import attrgetter

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
