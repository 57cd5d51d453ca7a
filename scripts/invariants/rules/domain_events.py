"""DE001-DE002: one writer of domain_events, and one registry of well-named, typed event types."""

from __future__ import annotations

import ast
import re

from invariants import layout, sql
from invariants.model import Diagnostic, RuleInfo
from invariants.modules import PythonModule
from invariants.project import Project
from invariants.rule import Rule

TABLE = "domain_events"
EVENT_NAME = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")
DOTTED_WORDS = re.compile(r"^[A-Za-z_]+\.[A-Za-z_]+$")
INSERT_TEXT = re.compile(r"\binsert\s+into\s+(?:\w+\.)?\"?domain_events\b", re.I)
REGISTRY_NAME = "EVENT_PAYLOAD_TYPES"
NOT_PAYLOAD_TYPES = frozenset({"None", "dict", "object", "str", "Any", "typing.Any", "Mapping"})
MENTIONS_EVENTS = re.compile(r"event_type|EVENT_TYPE|event_name|EVENT_NAME|EVENT_PAYLOAD_TYPES")
EVENT_TYPE_TARGETS = frozenset({"event_type", "EVENT_TYPE", "event_name", "EVENT_NAME"})


DE001 = RuleInfo(
    "DE001",
    "domain-events-single-writer",
    "Inserts into `domain_events` happen only in `repositories/domain_events.py`.",
    "Sequence numbers are only correct when one helper assigns them.",
    "Call `insert_domain_event_in_transaction(tx, event)` instead.",
)


DE002 = RuleInfo(
    "DE002",
    "domain-event-registry",
    "Event type names are registered in `EVENT_PAYLOAD_TYPES`, match "
    "`^[a-z][a-z_]*\\.[a-z][a-z_]*$`, and each has a payload class.",
    "Consumers decode events by name; an unregistered name cannot be decoded.",
    "Register the name with its payload class in `core/event_registry.py`.",
)


def check(project: Project) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    registered = _registry(project, found)
    for module in project.modules.values():
        if _writer_scope(module.path):
            found += _inline_inserts(module)
        if layout.is_application_code(module.path) and module.path != layout.EVENT_REGISTRY:
            found += _event_names(module, registered)
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
    return Diagnostic(
        module.path,
        getattr(node, "lineno", 1),
        getattr(node, "col_offset", 0) + 1,
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
    local = _local_values(module, node)
    if local:  # events = sa.table("domain_events", ...) / metadata.tables["domain_events"]
        return depth < 4 and any(_is_table(module, v, depth + 1) for v in local)
    origin = module.imports.get(node.id)
    if origin is not None:  # from <wherever> import domain_events [as events]
        return origin[1] == TABLE
    value = getattr(module.top_level.get(node.id), "value", None)
    if value is None:  # an unbound `domain_events` can only mean the table
        return node.id == TABLE
    return depth < 4 and _is_table(module, value, depth + 1)


def _local_values(module: PythonModule, node: ast.Name) -> list[ast.expr]:
    """Values assigned to the name in the function that uses it (none at module level)."""
    scope = module.enclosing_function(node)
    if scope is None:
        return []
    return [
        assign.value
        for assign in module.within(ast.Assign, scope)
        if isinstance(assign, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == node.id for t in assign.targets)
    ]


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


# --- DE002 -----------------------------------------------------------------------------------


def _registry(project: Project, found: list[Diagnostic]) -> set[str]:
    module = project.module(layout.EVENT_REGISTRY)
    if module is None:
        if layout.EVENT_REGISTRY not in project.texts:
            found.append(
                Diagnostic(
                    layout.EVENT_REGISTRY,
                    1,
                    1,
                    "DE002",
                    f"no domain event registry: create it with `{REGISTRY_NAME} = {{...}}`",
                )
            )
        return set()
    statement = module.top_level.get(REGISTRY_NAME)
    value = getattr(statement, "value", None)
    if not isinstance(value, ast.Dict):
        node = statement or module.tree
        found.append(
            _de002(
                module,
                node,
                f"{REGISTRY_NAME} must be a module-level dict literal "
                "mapping each event type name to its payload class",
            )
        )
        return set()
    registered: set[str] = set()
    for key, payload in zip(value.keys, value.values, strict=True):
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            found.append(_de002(module, key or payload, "event type names must be string literals"))
            continue
        found += _registry_entry(project, module, key, payload, registered)
        registered.add(key.value)
    return registered


def _registry_entry(
    project: Project,
    module: PythonModule,
    key: ast.Constant,
    payload: ast.expr,
    registered: set[str],
) -> list[Diagnostic]:
    name = str(key.value)
    if name in registered:
        return [_de002(module, key, f"event type {name!r} is registered twice: keep one entry")]
    if not EVENT_NAME.match(name):
        return [
            _de002(
                module,
                key,
                f"event type {name!r} must be named <aggregate>.<verb_past>, "
                "lower case (^[a-z][a-z_]*\\.[a-z][a-z_]*$)",
            )
        ]
    if not _is_payload_class(project, module, payload):
        return [
            _de002(
                module,
                payload,
                f"event type {name!r} needs a payload class (a class "
                "defined in the project), not a builtin, Any or None",
            )
        ]
    return []


def _is_payload_class(project: Project, module: PythonModule, node: ast.expr) -> bool:
    if not isinstance(node, ast.Name) or node.id in NOT_PAYLOAD_TYPES:
        return False
    found = project.definition(module, node.id)
    return found is not None and isinstance(found[1], ast.ClassDef)


def _de002(module: PythonModule, node: ast.AST, message: str) -> Diagnostic:
    line, column = getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1
    return Diagnostic(module.path, line, column, "DE002", message)


def _event_names(module: PythonModule, registered: set[str]) -> list[Diagnostic]:
    source = module.source
    if ("event" not in source and "EVENT" not in source) or not MENTIONS_EVENTS.search(source):
        return []
    found: list[Diagnostic] = []
    for constant, domain_event in _event_type_constants(module):
        name = constant.value
        assert isinstance(name, str)
        if not DOTTED_WORDS.match(name) and not domain_event:
            continue  # e.g. an audit event type such as "login_failed"
        if name not in registered:
            found.append(
                _de002(
                    module,
                    constant,
                    f"event type {name!r} is not registered: add it "
                    f"with its payload class to {REGISTRY_NAME} in "
                    f"{layout.EVENT_REGISTRY}",
                )
            )
    for node in module.of(ast.Name):
        assert isinstance(node, ast.Name)
        if node.id == REGISTRY_NAME and _is_mutated(module, node):
            found.append(
                _de002(
                    module,
                    node,
                    f"{REGISTRY_NAME} is changed outside the registry: "
                    "register event types in one place",
                )
            )
    return found


def _event_type_constants(module: PythonModule) -> list[tuple[ast.Constant, bool]]:
    found: list[tuple[ast.Constant, bool]] = []
    for call in module.calls():
        callee = (
            call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        )
        for item in call.keywords:
            if item.arg in EVENT_TYPE_TARGETS and _is_str(item.value):
                assert isinstance(item.value, ast.Constant)
                found.append((item.value, "DomainEvent" in callee))
    for node in module.of(ast.Assign) + module.of(ast.AnnAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]  # type: ignore[attr-defined]
        value = getattr(node, "value", None)
        if _is_str(value) and any(
            isinstance(t, ast.Name) and t.id in EVENT_TYPE_TARGETS for t in targets
        ):
            assert isinstance(value, ast.Constant)
            found.append((value, False))
    return found


def _is_str(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _is_mutated(module: PythonModule, node: ast.Name) -> bool:
    for subscript in module.of(ast.Subscript):
        assert isinstance(subscript, ast.Subscript)
        if subscript.value is node and isinstance(subscript.ctx, ast.Store | ast.Del):
            return True
    for call in module.calls():
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and func.value is node
            and func.attr in {"update", "setdefault", "pop", "clear", "__setitem__"}
        ):
            return True
    return False


RULE = Rule(
    infos=(
        DE001,
        DE002,
    ),
    check=check,
)
