"""RP001-RP003: only repositories run queries; they decode rows and return containers unopened."""

from __future__ import annotations

import ast

from invariants import layout
from invariants.model import Diagnostic, RuleInfo
from invariants.modules import PythonModule, method_position
from invariants.project import Project
from invariants.rule import Rule

EXECUTING_METHODS = frozenset({"execute", "exec_driver_sql", "executemany", "executescript"})
SCALAR_METHODS = frozenset({"scalar", "scalars"})  # executing when given a statement
# Applying committed desired-state SQL files is schema maintenance run as the owner, not a query.
MAINTENANCE_MODULES = frozenset({f"{layout.INFRA_DB}/desired_state.py"})
ROW_FETCHES = frozenset(
    {
        "mappings",
        "one",
        "one_or_none",
        "first",
        "all",
        "fetchone",
        "fetchall",
        "fetchmany",
        "partitions",
        "tuples",
    }
)
DECODERS = frozenset(
    {
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "validate_python",
        "validate_json",
        "validate_strings",
        "decode_rows",  # an EntityDecoder (repositories/_entities.py): strict, straight to entities
    }
)
UNWRAPPERS = frozenset({"unwrap", "failure", "value_or", "unwrap_or", "_inner_value"})
CONTAINER_PATTERNS = frozenset(
    {"Success", "Failure", "IOSuccess", "IOFailure", "Some", "Nothing", "IOResult", "Result"}
)


def check(project: Project) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for module in project.modules.values():
        if not layout.is_application_code(module.path):
            continue
        if layout.in_dir(module.path, layout.REPOSITORIES):
            found += _decoding(project, module)
            found += _unwrapping(module)
        elif module.path not in MAINTENANCE_MODULES:
            found += _queries(module)
    return found


def is_query_call(call: ast.Call) -> bool:
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    return func.attr in EXECUTING_METHODS or (func.attr in SCALAR_METHODS and bool(call.args))


def _queries(module: PythonModule) -> list[Diagnostic]:
    if "exec" not in module.source and "scalar" not in module.source:
        return []
    return [
        Diagnostic(
            module.path,
            *method_position(call.func),
            "RP001",
            f"`.{call.func.attr}(...)` runs a query outside infra/db/repositories/: move "
            "the statement into a repository function",
        )
        for call in module.calls()
        if is_query_call(call) and isinstance(call.func, ast.Attribute)
    ]


# --- RP002 -----------------------------------------------------------------------------------


def _decoding(project: Project, module: PythonModule) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for call in module.calls():
        if isinstance(call.func, ast.Attribute) and call.func.attr == "model_construct":
            found.append(
                Diagnostic(
                    module.path,
                    *method_position(call.func),
                    "RP002",
                    "model_construct() skips validation: decode rows with "
                    "<Table>RowSchema.model_validate(...)",
                )
            )
    for function in _top_functions(module):
        if _fetches_rows(module, function) and not _decodes(project, module, function, set()):
            found.append(
                Diagnostic(
                    module.path,
                    function.lineno,
                    function.col_offset + 1,
                    "RP002",
                    f"{function.name}() fetches rows without decoding them: pass "
                    "each row through <Table>RowSchema.model_validate(...) "
                    "or the rows through an EntityDecoder's decode_rows(...)",
                )
            )
    return found


def _top_functions(module: PythonModule) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """Module-level functions and methods of module-level classes (nested ones belong to them)."""
    found: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
    for statement in module.tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            found.append(statement)
        elif isinstance(statement, ast.ClassDef):
            found += [
                s for s in statement.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)
            ]
    return found


def _fetches_rows(module: PythonModule, function: ast.AST) -> bool:
    results = _result_names(module, function)
    kinds = (ast.Call, ast.For, ast.comprehension, ast.Attribute)
    for node in (n for kind in kinds for n in module.within(kind, function)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ROW_FETCHES
            and not _after_scalars(node.func.value)
        ):
            return True
        if isinstance(node, ast.For | ast.comprehension) and _is_execution(node.iter, results):
            return True
        if (  # list(result), tuple(result)
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"list", "tuple"}
            and node.args
            and _is_execution(node.args[0], results)
        ):
            return True
        if isinstance(node, ast.Attribute) and node.attr == "_mapping":
            return True
    return False


def _after_scalars(node: ast.expr) -> bool:
    """`....scalars(...).all()` and `.scalar_one()` chains fetch values, not rows."""
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Attribute) and node.attr.startswith("scalar"):
            return True
        node = node.func if isinstance(node, ast.Call) else node.value
    return False


def _is_execution(node: ast.expr, results: set[str]) -> bool:
    if isinstance(node, ast.Name):
        return node.id in results
    return isinstance(node, ast.Call) and is_query_call(node)


def _result_names(module: PythonModule, function: ast.AST) -> set[str]:
    """Local names bound to the result of executing a statement: `result = conn.execute(...)`."""
    return {
        target.id
        for assign in module.within(ast.Assign, function)
        if isinstance(assign, ast.Assign) and _is_execution(assign.value, set())
        for target in assign.targets
        if isinstance(target, ast.Name)
    }


def _decodes(project: Project, module: PythonModule, function: ast.AST, seen: set[int]) -> bool:
    seen.add(id(function))
    kinds = (ast.Attribute, ast.Name, ast.Call)
    for node in (n for kind in kinds for n in module.within(kind, function)):
        if isinstance(node, ast.Attribute) and node.attr in DECODERS:
            return True
        if (
            isinstance(node, ast.Name)
            and node.id.endswith("RowSchema")
            and id(node) not in module.passive_node_ids
        ):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            helper = project.definition(module, node.func.id)
            if (
                helper is not None
                and isinstance(helper[1], ast.FunctionDef | ast.AsyncFunctionDef)
                and id(helper[1]) not in seen
                and _decodes(project, helper[0], helper[1], seen)
            ):
                return True
    return False


# --- RP003 -----------------------------------------------------------------------------------


def _unwrapping(module: PythonModule) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for node in module.of(ast.Attribute):
        assert isinstance(node, ast.Attribute)
        if node.attr in UNWRAPPERS and id(node) not in module.passive_node_ids:
            found.append(_rp003(module, node, f"`.{node.attr}` unwraps a returns container", node))
    for call in module.calls() if "unsafe_perform_io" in module.source else ():
        if (module.resolved(call.func) or "").endswith("unsafe_perform_io"):
            found.append(_rp003(module, call, "unsafe_perform_io() unwraps an IO container"))
    for match in module.of(ast.Match):
        assert isinstance(match, ast.Match)
        for case in match.cases:
            pattern = case.pattern
            if (
                isinstance(pattern, ast.MatchClass)
                and _pattern_name(pattern.cls) in CONTAINER_PATTERNS
            ):
                found.append(_rp003(module, pattern, "matching on a returns container unwraps it"))
    return found


def _pattern_name(node: ast.expr) -> str:
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def _rp003(
    module: PythonModule, node: ast.AST, what: str, attribute: ast.Attribute | None = None
) -> Diagnostic:
    message = f"{what} in a repository: return the container and compose with map/bind/alt/lash"
    if attribute is None:
        return Diagnostic.at(module.path, node, "RP003", message)
    line, column = method_position(attribute)
    return Diagnostic(module.path, line, column, "RP003", message)


RP001 = RuleInfo(
    "RP001",
    "queries-only-in-repositories",
    "Only modules under `infra/db/repositories/` execute queries.",
    "One place to look for every statement, its error translation and its decoding.",
    "Move the statement into a repository function and call that through a port.",
)


RP002 = RuleInfo(
    "RP002",
    "repositories-decode-rows",
    "A repository function that fetches rows decodes them through a `<Table>RowSchema`.",
    "Raw rows leak untyped, unvalidated data into the domain.",
    "Decode each row with `<Table>RowSchema.model_validate(...)` (or a helper that does).",
)


RP003 = RuleInfo(
    "RP003",
    "repositories-do-not-unwrap",
    "Repositories do not unwrap `returns` containers (`unwrap`, `failure`, `value_or`, "
    "`unsafe_perform_io`, matching on Success/Failure).",
    "Only entry points (CLI, activities) decide what a failure means.",
    "Compose with `map`/`bind`/`alt`/`lash` and return the container.",
)


RULE = Rule(
    infos=(
        RP001,
        RP002,
        RP003,
    ),
    check=check,
)
