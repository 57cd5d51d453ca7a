"""SQ001: SQL text handed to the database is never built at run time from strings.

Sinks: `text()`, `.execute()`, `.executemany()`, `.exec_driver_sql()`,
`op.execute()`, `psycopg.sql.SQL()`. Building: an f-string, `%` formatting,
`str.format`, `+` or `str.join` that takes in anything that is not a constant
(a parameter, an attribute, a call result...). Names are followed to their
assignments in the same function and at module level, so constants, constant
concatenations and formatting of constants only are legal, and so is psycopg's
own `sql.SQL(...).format(sql.Identifier(...))` composition.
"""

from __future__ import annotations

import ast

from invariants.model import Diagnostic, RuleInfo
from invariants.modules import PythonModule
from invariants.project import Project
from invariants.rule import Rule

EXECUTORS = frozenset({"execute", "executemany", "exec_driver_sql", "executescript"})
CONSTRUCTORS = frozenset({"text", "SQL", "literal_column", "DDL"})
Function = ast.FunctionDef | ast.AsyncFunctionDef
SINK_WORDS = ("text", "SQL", "literal_column", "DDL")
# Text that every way of building a string leaves in the source: an f-string prefix
# (also rf"", f"""), %, +, .format, .join. A module without any of them builds nothing.
BUILDING_MARKS = ('f"', "f'", 'F"', "F'", "%", "+", ".format", ".join")


def check(project: Project) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for module in project.modules.values():
        if module.path.startswith("scripts/invariants/"):
            continue
        found += _module(module)
    return found


def _module(module: PythonModule) -> list[Diagnostic]:
    source = module.source
    if "exec" not in source and not any(word in source for word in SINK_WORDS):
        return []
    if not any(marker in source for marker in BUILDING_MARKS):
        return []  # nothing in this module can build a string at run time
    found: list[Diagnostic] = []
    for call in module.calls():
        sink = _sink(module, call)
        if sink is None or not call.args:
            continue
        argument = call.args[0]
        if isinstance(argument, ast.Call) and _sink(module, argument):
            continue  # execute(text(...)): reported at the inner text()
        scope = module.enclosing_function(call)
        how = _built(module, scope, argument, 0)
        if how:
            found.append(
                Diagnostic(
                    module.path,
                    argument.lineno,
                    argument.col_offset + 1,
                    "SQ001",
                    f"SQL passed to {sink} is built at run time ({how}): use bind "
                    "parameters, SQLAlchemy Core or psycopg.sql composition",
                )
            )
    return found


def _sink(module: PythonModule, call: ast.Call) -> str | None:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if isinstance(func, ast.Attribute) and name in EXECUTORS:
        return f".{name}()"
    if name in CONSTRUCTORS:
        origin = module.resolved(func) or ""
        unbound = (
            isinstance(func, ast.Name)
            and name not in module.imports
            and name not in module.top_level
        )
        if unbound or origin.startswith(("sqlalchemy", "psycopg", "alembic")):
            return f"{name}()"
    return None


def _built(  # noqa: PLR0911 - one answer per kind of expression
    module: PythonModule, scope: Function | None, node: ast.expr, depth: int
) -> str | None:
    """How an expression builds SQL at run time, or None when it is constant or unknown."""
    if depth > 6:
        return None
    if isinstance(node, ast.JoinedStr):
        if _constant(module, scope, node, depth):
            return None
        return f"an f-string on line {node.lineno}"
    if (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Mod)
        and _stringy(module, scope, node.left, depth)
        and not _constant(module, scope, node.right, depth)
    ):
        return f"% formatting on line {node.lineno}"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        if _constant(module, scope, node, depth):
            return None
        return f"+ concatenation on line {node.lineno}"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return _method_building(module, scope, node, depth)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return _helper_building(module, node.func.id, depth)
    if isinstance(node, ast.Name):
        return _name_building(module, scope, node.id, depth)
    return None


def _method_building(
    module: PythonModule, scope: Function | None, node: ast.Call, depth: int
) -> str | None:
    assert isinstance(node.func, ast.Attribute)
    receiver = node.func.value
    arguments = [*node.args, *(k.value for k in node.keywords)]
    if (
        node.func.attr == "format"
        and _stringy(module, scope, receiver, depth)
        and not all(_constant(module, scope, a, depth) for a in arguments)
    ):
        return f"str.format on line {node.lineno}"
    if (
        node.func.attr == "join"
        and _stringy(module, scope, receiver, depth)
        and not all(_constant(module, scope, a, depth) for a in node.args)
    ):
        return f"str.join on line {node.lineno}"
    return None


def _helper_building(module: PythonModule, name: str, depth: int) -> str | None:
    """SQL returned by a function of the same module: `text(_where(column))`."""
    helper = module.top_level.get(name)
    if not isinstance(helper, ast.FunctionDef | ast.AsyncFunctionDef):
        return None
    for statement in module.within(ast.Return, helper):
        value = getattr(statement, "value", None)
        how = _built(module, helper, value, depth + 1) if isinstance(value, ast.expr) else None
        if how:
            return f"{how}, returned by {name}()"
    return None


def _name_building(
    module: PythonModule, scope: Function | None, name: str, depth: int
) -> str | None:
    for value in _assignments(module, scope, name):
        how = _built(module, scope, value, depth + 1)
        if how:
            return how
    return None


def _assignments(module: PythonModule, scope: Function | None, name: str) -> list[ast.expr]:
    """Values assigned to `name` in the enclosing function, else at module level."""
    if scope is not None:
        local = _local_assignments(module, scope, name)
        if local is not None:
            return local
    statement = module.top_level.get(name)
    value = getattr(statement, "value", None)
    return [value] if isinstance(value, ast.expr) else []


def _local_assignments(module: PythonModule, scope: Function, name: str) -> list[ast.expr] | None:
    values: list[ast.expr] = []
    bound = False
    kinds = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.arg)
    for node in (n for kind in kinds for n in module.within(kind, scope)):
        if isinstance(node, ast.Assign) and any(_binds(t, name) for t in node.targets):
            values.append(node.value)
            bound = True
        elif isinstance(node, ast.AnnAssign | ast.AugAssign) and _binds(node.target, name):
            bound = True
            if node.value is not None:
                values.append(node.value if isinstance(node, ast.AnnAssign) else _as_concat(node))
        elif isinstance(node, ast.arg) and node.arg == name:
            bound = True
    return values if bound else None


def _as_concat(node: ast.AugAssign) -> ast.expr:
    if isinstance(node.op, ast.Add | ast.Mod):
        joined = ast.BinOp(left=node.target, op=node.op, right=node.value)
        return ast.copy_location(joined, node)
    return node.value


def _binds(target: ast.expr, name: str) -> bool:
    return isinstance(target, ast.Name) and target.id == name


def _stringy(module: PythonModule, scope: Function | None, node: ast.expr, depth: int) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Name) and depth < 6:
        return any(
            _stringy(module, scope, v, depth + 1) for v in _assignments(module, scope, node.id)
        )
    if isinstance(node, ast.BinOp):
        return _stringy(module, scope, node.left, depth + 1)
    return False


def _constant(  # noqa: PLR0911 - one answer per kind of expression
    module: PythonModule, scope: Function | None, node: ast.expr, depth: int
) -> bool:
    """A compile-time constant string: literals, constant names, and + of those."""
    if depth > 6:
        return False
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.JoinedStr):  # an f-string of constants only
        return all(
            not isinstance(v, ast.FormattedValue) or _constant(module, scope, v.value, depth + 1)
            for v in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _constant(module, scope, node.left, depth + 1) and _constant(
            module, scope, node.right, depth + 1
        )
    if isinstance(node, ast.Tuple | ast.List):
        return all(_constant(module, scope, e, depth + 1) for e in node.elts)
    if isinstance(node, ast.Name):
        values = _assignments(module, scope, node.id)
        return bool(values) and all(_constant(module, scope, v, depth + 1) for v in values)
    return False


SQ001 = RuleInfo(
    "SQ001",
    "no-sql-string-building",
    "SQL text given to `text()`, `exec_driver_sql`, `execute` or `sql.SQL` is never built "
    "with f-strings, `%`, `.format` or `+`/`join` of runtime values.",
    "String-built SQL is how injection happens.",
    "Use bind parameters, SQLAlchemy Core, or `psycopg.sql` composition.",
)


RULE = Rule(infos=(SQ001,), check=check)
