"""DE003: every registered event type has an outbox handler entry, and child workflows dedupe.

The handler registry (`EVENT_HANDLERS` in `app/outbox/registry.py`) is a dict
literal keyed by event type; a value is a handler or the `NOT_DELIVERED`
marker, and either counts as a decision. Core's `EVENT_PAYLOAD_TYPES` is read
as DE002 reads it; when it is missing or malformed, DE002 says so and the
registries are not compared.

A child workflow started in packages/app must take its id from the event it
handles (`event_id`, `x.event_id`, or `.id` of something named like an event),
directly or through a variable of the function, so that Temporal itself refuses
a second start when the event is redelivered.
"""

from __future__ import annotations

import ast

from invariants import layout
from invariants.model import Diagnostic, RuleInfo
from invariants.modules import PythonModule
from invariants.project import Project
from invariants.rule import Rule
from invariants.rules.event_types import REGISTRY_NAME
from invariants.values import keyword

HANDLERS_NAME = "EVENT_HANDLERS"
NOT_DELIVERED = "NOT_DELIVERED"
CHILD_WORKFLOW_STARTS = frozenset({"start_child_workflow", "execute_child_workflow"})
# Calls whose result differs on every delivery: an id mixing one in dedupes nothing.
FRESH_VALUES = frozenset(
    {
        "uuid1",
        "uuid4",
        "random",
        "randint",
        "getrandbits",
        "token_hex",
        "token_urlsafe",
        "urandom",
        "now",
        "utcnow",
        "time",
        "time_ns",
        "monotonic",
        "perf_counter",
    }
)
# How many assignments of a function's variables an id is followed through.
FOLLOWED_ASSIGNMENTS = 3
SHOWN_ID = 60


def check(project: Project) -> list[Diagnostic]:
    registered = _registered(project)
    found = _registries(project, registered) if registered is not None else []
    for module in project.modules.values():
        if layout.in_dir(module.path, layout.APP) and "child_workflow" in module.source:
            found += _child_workflows(module)
    return found


# --- the two registries ------------------------------------------------------------------------


def _registered(project: Project) -> dict[str, ast.Constant] | None:
    """Core's event types with their keys (first entry of each), or None when DE002 objects."""
    module = project.module(layout.EVENT_REGISTRY)
    statement = module.top_level.get(REGISTRY_NAME) if module is not None else None
    value = getattr(statement, "value", None)
    if not isinstance(value, ast.Dict):
        return None
    registered: dict[str, ast.Constant] = {}
    for key in value.keys:
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            registered.setdefault(key.value, key)
    return registered


def _registries(project: Project, registered: dict[str, ast.Constant]) -> list[Diagnostic]:
    module = project.module(layout.OUTBOX_HANDLERS)
    statement = module.top_level.get(HANDLERS_NAME) if module is not None else None
    value = getattr(statement, "value", None)
    if module is None or statement is None:
        if not registered or (module is None and layout.OUTBOX_HANDLERS in project.texts):
            return []  # nothing to hand out, or the file does not parse (IO002)
        return [_missing_registry(module)]
    if not isinstance(value, ast.Dict) or isinstance(statement, ast.AugAssign):
        return [
            _de003(
                module.path,
                statement,
                f"{HANDLERS_NAME} must be one module-level dict literal mapping each event "
                f"type to its handler or {NOT_DELIVERED}, neither built nor extended otherwise: "
                "the checker cannot verify anything else",
            )
        ]
    handled, found = _entries(module, value, registered)
    for name, key in registered.items():
        if name not in handled:
            found.append(
                _de003(
                    layout.EVENT_REGISTRY,
                    key,
                    f"event type {name!r} has no entry in {HANDLERS_NAME} "
                    f"({layout.OUTBOX_HANDLERS}): map it to its handler or to {NOT_DELIVERED}",
                )
            )
    return found


def _missing_registry(module: PythonModule | None) -> Diagnostic:
    shape = f"`{HANDLERS_NAME} = {{event type: handler or {NOT_DELIVERED}, ...}}`"
    if module is None:
        message = f"no outbox handler registry: create {layout.OUTBOX_HANDLERS} with {shape}"
    else:
        message = f"the outbox handler registry defines no {HANDLERS_NAME}: write {shape}"
    return Diagnostic(layout.OUTBOX_HANDLERS, 1, 1, "DE003", message)


def _entries(
    module: PythonModule, value: ast.Dict, registered: dict[str, ast.Constant]
) -> tuple[set[str], list[Diagnostic]]:
    """The event types the registry has an entry for, and what is wrong with its entries."""
    handled: set[str] = set()
    found: list[Diagnostic] = []
    for key, handler in zip(value.keys, value.values, strict=True):
        if key is None:
            found.append(
                _de003(
                    module.path,
                    handler,
                    f"the checker cannot verify `**{_shown(handler)}` in {HANDLERS_NAME}: "
                    "write each event type's entry in the literal",
                )
            )
        elif not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            found.append(
                _de003(
                    module.path,
                    key,
                    f"the checker cannot verify the key `{_shown(key)}` in {HANDLERS_NAME}: "
                    "write the event type as a string literal",
                )
            )
        elif key.value in handled:
            found.append(
                _de003(
                    module.path,
                    key,
                    f"event type {key.value!r} has two entries in {HANDLERS_NAME}: keep one",
                )
            )
        else:
            handled.add(key.value)
            if key.value not in registered:
                found.append(
                    _de003(
                        module.path,
                        key,
                        f"{HANDLERS_NAME} has an entry for {key.value!r}, which is not registered "
                        f"in {REGISTRY_NAME} ({layout.EVENT_REGISTRY}): register the event type "
                        "or remove the entry",
                    )
                )
    return handled, found


# --- child workflows ---------------------------------------------------------------------------


def _child_workflows(module: PythonModule) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for call in module.calls():
        if _callee(call) not in CHILD_WORKFLOW_STARTS:
            continue
        problem = _id_problem(module, call)
        if problem is not None:
            found.append(_de003(module.path, call, problem))
    return found


def _id_problem(module: PythonModule, call: ast.Call) -> str | None:
    workflow_id = keyword(call, "id")
    if workflow_id is None:
        if any(item.arg is None for item in call.keywords):
            return "the checker cannot verify a child workflow id passed through `**…`: pass `id=`"
        return (
            "child workflow started without `id=`: derive the id from the event id "
            '(`id=f"<step>-{event.id}"`) so Temporal refuses a second start for one event'
        )
    derived, fresh = _judge(module, workflow_id, 0)
    if fresh is not None:
        return (
            f"child workflow id `{_shown(workflow_id)}` mixes in `{_shown(fresh)}`, which "
            "differs on every delivery: derive the id from the event id alone"
        )
    if not derived:
        return (
            f"child workflow id `{_shown(workflow_id)}` is not derived from the event id: "
            "build it from `event.id` (or an `event_id`) so a redelivered event cannot start "
            "a second child"
        )
    return None


def _judge(module: PythonModule, node: ast.expr, depth: int) -> tuple[bool, ast.Call | None]:
    """(whether `node` refers to the event id, a fresh value it mixes in), through variables."""
    derived, fresh = False, None
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call):
            if fresh is None and _callee(inner) in FRESH_VALUES:
                fresh = inner
        elif _is_event_id(inner):
            derived = True
        elif isinstance(inner, ast.Name) and depth < FOLLOWED_ASSIGNMENTS:
            values = module.values_assigned_in_scope(inner)
            judged = [_judge(module, value, depth + 1) for value in values]
            derived = derived or (bool(judged) and all(ok for ok, _ in judged))
            fresh = fresh or next((mixed for _, mixed in judged if mixed is not None), None)
    return derived, fresh


def _is_event_id(node: ast.AST) -> bool:
    """`event_id`, `x.event_id`, or `.id` of a name or attribute whose name says event."""
    if isinstance(node, ast.Name):
        return node.id == "event_id"
    if not isinstance(node, ast.Attribute):
        return False
    if node.attr == "event_id":
        return True
    owner = node.value
    owner_name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
    return node.attr == "id" and "event" in owner_name.lower()


def _callee(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return call.func.id if isinstance(call.func, ast.Name) else None


def _shown(node: ast.AST) -> str:
    text = ast.unparse(node)
    return text if len(text) <= SHOWN_ID else text[: SHOWN_ID - 1] + "…"


def _de003(path: str, node: ast.AST, message: str) -> Diagnostic:
    return Diagnostic.at(path, node, "DE003", message)


DE003 = RuleInfo(
    "DE003",
    "outbox-handlers",
    f"Every event type in `{REGISTRY_NAME}` has exactly one entry in the outbox's "
    f"`{HANDLERS_NAME}` (`app/outbox/registry.py`, a dict literal with string-literal keys): "
    f"its handler or `{NOT_DELIVERED}`; no entry names an unregistered type; every child "
    "workflow started in packages/app gets an `id=` derived from the event id.",
    "An event type without a decision is never delivered, or delivered by accident; a child "
    "workflow id taken from the event id makes Temporal refuse a duplicate start on redelivery.",
    f"Add the entry (a handler or `{NOT_DELIVERED}`), remove the stray one, or build the child "
    'workflow id from the event id (`id=f"<step>-{event.id}"`).',
)


RULE = Rule(infos=(DE003,), check=check)
