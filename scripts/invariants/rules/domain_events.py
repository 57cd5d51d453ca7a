"""DE001: one writer of domain_events: `insert_domain_event_in_transaction`, nowhere else.

It numbers events from their aggregate's row in `domain_event_streams`, so
writes that create or move a stream are kept to it too. Updates of events (the
delivery states) and deletes of either table (retention) are legal elsewhere.
"""

from __future__ import annotations

import ast
import re

from invariants import layout, sql
from invariants.model import Diagnostic, RuleInfo
from invariants.modules import PythonModule
from invariants.project import Project
from invariants.rule import Rule

TABLE = "domain_events"
STREAMS = "domain_event_streams"
# The verbs only the writer may use, per table.
GUARDED_VERBS = {TABLE: frozenset({"insert"}), STREAMS: frozenset({"insert", "update"})}
WRITE_TEXT = re.compile(
    r"\b(insert\s+into|update)\s+(?:\w+\.)?\"?(domain_events|domain_event_streams)\b", re.I
)
STATEMENT_VERBS = {"InsertStmt": "insert", "UpdateStmt": "update"}


def check(project: Project) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for module in project.modules.values():
        if _writer_scope(module.path):
            found += _inline_writes(module)
    return found


def _writer_scope(path: str) -> bool:
    return (
        path.split("/", 1)[0] in {"packages", "migrations", "scripts"}
        and path != layout.DOMAIN_EVENTS_REPOSITORY
        and not layout.in_dir(path, "scripts/invariants")
    )


# --- DE001 -----------------------------------------------------------------------------------


def _inline_writes(module: PythonModule) -> list[Diagnostic]:
    if not any(table in module.source for table in GUARDED_VERBS):
        return []
    found = []
    for call in module.calls():
        table = _written_table(module, call)
        if table is not None:
            found.append(_de001(module, call, table))
    for constant in module.of(ast.Constant):
        assert isinstance(constant, ast.Constant)
        if isinstance(constant.value, str):
            table = _sql_writes(constant.value)
            if table is not None:
                found.append(_de001(module, constant, table))
    return found


def _de001(module: PythonModule, node: ast.AST, table: str) -> Diagnostic:
    what = "inline insert into domain_events" if table == TABLE else f"inline write to {table}"
    return Diagnostic.at(
        module.path,
        node,
        "DE001",
        f"{what}: call "
        "insert_domain_event_in_transaction(tx, event) from "
        "infra/db/repositories/domain_events.py",
    )


def _written_table(module: PythonModule, call: ast.Call) -> str | None:
    """The guarded table the call inserts into or updates with a guarded verb, if any."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    resolved = module.resolved(func) or ""
    if isinstance(func, ast.Attribute) and name in {"insert", "update"} and not call.args:
        return _guarded(name, _table_of(module, func.value))  # domain_events.insert()
    if name in {"insert", "bulk_insert"} or resolved.endswith(".insert"):
        return _guarded("insert", _first_argument_table(module, call))
    if name == "update" or resolved.endswith(".update"):
        return _guarded("update", _first_argument_table(module, call))
    return None


def _guarded(verb: str, table: str | None) -> str | None:
    return table if table is not None and verb in GUARDED_VERBS[table] else None


def _first_argument_table(module: PythonModule, call: ast.Call) -> str | None:
    return _table_of(module, call.args[0]) if call.args else None


def _table_of(module: PythonModule, node: ast.expr, depth: int = 0) -> str | None:
    """Which guarded table the expression stands for, if any."""
    if isinstance(node, ast.Name):
        return _name_table(module, node, depth)
    if isinstance(node, ast.Attribute):
        return _guarded_name(node.attr) if isinstance(node.value, ast.Name) else None
    if isinstance(node, ast.Subscript):  # metadata.tables["domain_events"]
        key = node.slice
        return _guarded_name(key.value) if isinstance(key, ast.Constant) else None
    return _named_table(node) if isinstance(node, ast.Call) else None


def _name_table(module: PythonModule, node: ast.Name, depth: int) -> str | None:
    local = module.values_assigned_in_scope(node)
    if local:  # events = sa.table("domain_events", ...) / metadata.tables["domain_events"]
        if depth >= 4:
            return None
        return next(
            (t for t in (_table_of(module, v, depth + 1) for v in local) if t is not None), None
        )
    origin = module.imports.get(node.id)
    if origin is not None:  # from <wherever> import domain_events [as events]
        return _guarded_name(origin[1])
    value = getattr(module.top_level.get(node.id), "value", None)
    if value is None:  # an unbound `domain_events` can only mean the table
        return _guarded_name(node.id)
    return _table_of(module, value, depth + 1) if depth < 4 else None


def _named_table(call: ast.Call) -> str | None:
    """table("domain_events", ...) / Table("domain_events", ...)."""
    first = call.args[0] if call.args else None
    return _guarded_name(first.value) if isinstance(first, ast.Constant) else None


def _guarded_name(name: object) -> str | None:
    return name if isinstance(name, str) and name in GUARDED_VERBS else None


def _sql_writes(text: str) -> str | None:
    """The guarded table the SQL text writes with a guarded verb, if any."""
    mentioned = [
        (verb.split()[0].lower(), table.lower()) for verb, table in WRITE_TEXT.findall(text)
    ]
    if not any(verb in GUARDED_VERBS[table] for verb, table in mentioned):
        return None
    try:
        statements = sql.statements(text)
    except sql.SqlSyntaxError:
        # A fragment such as "INSERT INTO domain_events (" + columns; prose that merely
        # mentions the statement (a docstring) does not start with it.
        start = text.lstrip().lower()
        return next(
            (table for verb, table in mentioned
             if start.startswith(verb) and verb in GUARDED_VERBS[table]),
            None,
        )  # fmt: skip
    for statement in statements:
        for kind, body in [(statement.kind, statement.body), *sql.walk(statement.body)]:
            table = _guarded(
                STATEMENT_VERBS.get(kind, ""),
                _guarded_name((body.get("relation") or {}).get("relname")),
            )
            if table is not None:
                return table
    return None


DE001 = RuleInfo(
    "DE001",
    "domain-events-single-writer",
    "Inserts into `domain_events`, and inserts into or updates of `domain_event_streams`, "
    "happen only in `repositories/domain_events.py`.",
    "Sequence numbers are only correct when one helper assigns them from the stream's version.",
    "Call `insert_domain_event_in_transaction(tx, event)` instead.",
)


RULE = Rule(infos=(DE001,), check=check)
