"""DE001: one writer of domain_events: `insert_domain_event_in_transaction`, nowhere else."""

from __future__ import annotations

import ast
import re

from invariants import layout, sql
from invariants.model import Diagnostic, RuleInfo
from invariants.modules import PythonModule
from invariants.project import Project
from invariants.rule import Rule

TABLE = "domain_events"
INSERT_TEXT = re.compile(r"\binsert\s+into\s+(?:\w+\.)?\"?domain_events\b", re.I)


def check(project: Project) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for module in project.modules.values():
        if _writer_scope(module.path):
            found += _inline_inserts(module)
    return found


def _writer_scope(path: str) -> bool:
    return (
        path.split("/", 1)[0] in {"packages", "migrations", "scripts"}
        and path != layout.DOMAIN_EVENTS_REPOSITORY
        and not layout.in_dir(path, "scripts/invariants")
    )


# --- DE001 -----------------------------------------------------------------------------------


def _inline_inserts(module: PythonModule) -> list[Diagnostic]:
    if TABLE not in module.source:
        return []
    found = []
    for call in module.calls():
        if _inserts_into_domain_events(module, call):
            found.append(_de001(module, call))
    for constant in module.of(ast.Constant):
        assert isinstance(constant, ast.Constant)
        if isinstance(constant.value, str) and _sql_inserts(constant.value):
            found.append(_de001(module, constant))
    return found


def _de001(module: PythonModule, node: ast.AST) -> Diagnostic:
    return Diagnostic.at(
        module.path,
        node,
        "DE001",
        "inline insert into domain_events: call "
        "insert_domain_event_in_transaction(tx, event) from "
        "infra/db/repositories/domain_events.py",
    )


def _inserts_into_domain_events(module: PythonModule, call: ast.Call) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if isinstance(func, ast.Attribute) and name == "insert" and not call.args:
        return _is_table(module, func.value)  # domain_events.insert()
    if name in {"insert", "bulk_insert"} or (module.resolved(func) or "").endswith(".insert"):
        return bool(call.args) and _is_table(module, call.args[0])
    return False


def _is_table(module: PythonModule, node: ast.expr, depth: int = 0) -> bool:
    if isinstance(node, ast.Name):
        return _name_is_table(module, node, depth)
    if isinstance(node, ast.Attribute):
        return node.attr == TABLE and isinstance(node.value, ast.Name)
    if isinstance(node, ast.Subscript):  # metadata.tables["domain_events"]
        key = node.slice
        return isinstance(key, ast.Constant) and key.value == TABLE
    return isinstance(node, ast.Call) and _names_table(node)


def _name_is_table(module: PythonModule, node: ast.Name, depth: int) -> bool:
    local = module.values_assigned_in_scope(node)
    if local:  # events = sa.table("domain_events", ...) / metadata.tables["domain_events"]
        return depth < 4 and any(_is_table(module, v, depth + 1) for v in local)
    origin = module.imports.get(node.id)
    if origin is not None:  # from <wherever> import domain_events [as events]
        return origin[1] == TABLE
    value = getattr(module.top_level.get(node.id), "value", None)
    if value is None:  # an unbound `domain_events` can only mean the table
        return node.id == TABLE
    return depth < 4 and _is_table(module, value, depth + 1)


def _names_table(call: ast.Call) -> bool:
    """table("domain_events", ...) / Table("domain_events", ...)."""
    first = call.args[0] if call.args else None
    return isinstance(first, ast.Constant) and first.value == TABLE


def _sql_inserts(text: str) -> bool:
    if not INSERT_TEXT.search(text):
        return False
    try:
        statements = sql.statements(text)
    except sql.SqlSyntaxError:
        # A fragment such as "INSERT INTO domain_events (" + columns; prose that merely
        # mentions the statement (a docstring) does not start with it.
        return text.lstrip().upper().startswith("INSERT")
    return any(
        kind == "InsertStmt" and (body.get("relation") or {}).get("relname") == TABLE
        for statement in statements
        for kind, body in [(statement.kind, statement.body), *sql.walk(statement.body)]
    )


DE001 = RuleInfo(
    "DE001",
    "domain-events-single-writer",
    "Inserts into `domain_events` happen only in `repositories/domain_events.py`.",
    "Sequence numbers are only correct when one helper assigns them.",
    "Call `insert_domain_event_in_transaction(tx, event)` instead.",
)


RULE = Rule(infos=(DE001,), check=check)
