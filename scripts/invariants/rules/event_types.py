"""DE002: one registry of well-named, typed event types, and every event type used is in it.

The registry is changed nowhere else. Names are followed through their
spellings: the registry under an import alias (`from core.event_registry
import EVENT_PAYLOAD_TYPES as REG`), through its module (`import
core.event_registry as er; er.EVENT_PAYLOAD_TYPES`) or an alias assigned to it;
event types written as module-level constants (`CREATED = "organization.created"`),
here or imported from another module.
"""

from __future__ import annotations

import ast
import re

from invariants import layout
from invariants.model import Diagnostic, RuleInfo
from invariants.modules import PythonModule
from invariants.project import Project
from invariants.rule import Rule
from invariants.values import assigned_value, constant_strings

EVENT_NAME = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")
DOTTED_WORDS = re.compile(r"^[A-Za-z_]+\.[A-Za-z_]+$")
REGISTRY_NAME = "EVENT_PAYLOAD_TYPES"
REGISTRY = f"{layout.dotted_name(layout.EVENT_REGISTRY)}.{REGISTRY_NAME}"
NOT_PAYLOAD_TYPES = frozenset({"None", "dict", "object", "str", "Any", "typing.Any", "Mapping"})
MENTIONS_EVENTS = re.compile(
    r"event_type|EVENT_TYPE|event_name|EVENT_NAME|EVENT_PAYLOAD_TYPES|event_registry"
)
EVENT_TYPE_TARGETS = frozenset({"event_type", "EVENT_TYPE", "event_name", "EVENT_NAME"})
MUTATORS = frozenset(
    {"update", "setdefault", "pop", "popitem", "clear", "__setitem__", "__delitem__", "__ior__"}
)
LOOKUPS = frozenset({"get", "__getitem__", "__contains__"})


def check(project: Project) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    registered = _registry(project, found)
    for module in project.modules.values():
        if layout.is_application_code(module.path) and module.path != layout.EVENT_REGISTRY:
            found += _uses(project, module, registered)
    return found


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
    return Diagnostic.at(module.path, node, "DE002", message)


def _uses(project: Project, module: PythonModule, registered: set[str]) -> list[Diagnostic]:
    source = module.source
    if ("event" not in source and "EVENT" not in source) or not MENTIONS_EVENTS.search(source):
        return []
    found: list[Diagnostic] = []
    for node, name, domain_event in _event_types(project, module):
        if not DOTTED_WORDS.match(name) and not domain_event:
            continue  # e.g. an audit event type such as "login_failed"
        if name not in registered:
            found.append(_unregistered(module, node, name))
    for node, name in _registry_lookups(project, module):
        if name not in registered:
            found.append(_unregistered(module, node, name))
    for node in _registry_mutations(project, module):
        found.append(
            _de002(
                module,
                node,
                f"{REGISTRY_NAME} is changed outside the registry: "
                "register event types in one place",
            )
        )
    return found


def _unregistered(module: PythonModule, node: ast.AST, name: str) -> Diagnostic:
    return _de002(
        module,
        node,
        f"event type {name!r} is not registered: add it with its payload class to "
        f"{REGISTRY_NAME} in {layout.EVENT_REGISTRY}",
    )


def _event_types(project: Project, module: PythonModule) -> list[tuple[ast.expr, str, bool]]:
    """(where, event type, inside a DomainEvent call) for every `event_type=...` given or bound."""
    found: list[tuple[ast.expr, str, bool]] = []
    for call in module.calls():
        callee = (
            call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        )
        for item in call.keywords:
            name = _string(project, module, item.value) if item.arg in EVENT_TYPE_TARGETS else None
            if name is not None:
                found.append((item.value, name, "DomainEvent" in callee))
    for node in [*module.of(ast.Assign), *module.of(ast.AnnAssign)]:
        assert isinstance(node, ast.Assign | ast.AnnAssign)
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if node.value is None or not any(
            isinstance(t, ast.Name) and t.id in EVENT_TYPE_TARGETS for t in targets
        ):
            continue
        name = _string(project, module, node.value)
        if name is not None:
            found.append((node.value, name, False))
    return found


def _string(project: Project, module: PythonModule, node: ast.expr) -> str | None:
    """The one string a literal or a module-level constant (here or imported) holds, else None."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.Name):
        strings = constant_strings(project, module, node)
    elif isinstance(node, ast.Attribute):  # events.CREATED, with `events` an imported module
        owner = project.by_dotted.get(module.resolved(node.value) or "")
        value = assigned_value(project, owner, node.attr) if owner is not None else None
        strings = constant_strings(project, value[0], value[1]) if value is not None else None
    else:
        return None
    return strings[0] if strings is not None and len(strings) == 1 else None


def _registry_lookups(project: Project, module: PythonModule) -> list[tuple[ast.expr, str]]:
    """(key, event type) for `REGISTRY[key]`, `REGISTRY.get(key)` and `key in REGISTRY`."""
    keys: list[ast.expr] = []
    for subscript in module.of(ast.Subscript):
        assert isinstance(subscript, ast.Subscript)
        if isinstance(subscript.ctx, ast.Load) and _is_registry(project, module, subscript.value):
            keys.append(subscript.slice)
    keys += [call.args[0] for call, _ in _registry_calls(project, module, LOOKUPS) if call.args]
    for compare in module.of(ast.Compare):
        assert isinstance(compare, ast.Compare)
        if (
            len(compare.ops) == 1
            and isinstance(compare.ops[0], ast.In | ast.NotIn)
            and _is_registry(project, module, compare.comparators[0])
        ):
            keys.append(compare.left)
    found = []
    for key in keys:
        name = _string(project, module, key)
        if name is not None:
            found.append((key, name))
    return found


def _registry_mutations(project: Project, module: PythonModule) -> list[ast.expr]:
    """The registry's spelling wherever it is assigned into, deleted from or updated."""
    found: list[ast.expr] = []
    for subscript in module.of(ast.Subscript):
        assert isinstance(subscript, ast.Subscript)
        if isinstance(subscript.ctx, ast.Store | ast.Del) and _is_registry(
            project, module, subscript.value
        ):
            found.append(subscript.value)
    found += [method.value for _, method in _registry_calls(project, module, MUTATORS)]
    for augmented in module.of(ast.AugAssign):
        assert isinstance(augmented, ast.AugAssign)
        if _is_registry(project, module, augmented.target):
            found.append(augmented.target)
    return found


def _registry_calls(
    project: Project, module: PythonModule, methods: frozenset[str]
) -> list[tuple[ast.Call, ast.Attribute]]:
    """Calls of the registry's `methods` (`REG.get(...)`), with the called attribute."""
    return [
        (call, call.func)
        for call in module.calls()
        if isinstance(call.func, ast.Attribute)
        and call.func.attr in methods
        and _is_registry(project, module, call.func.value)
    ]


def _is_registry(project: Project, module: PythonModule, node: ast.expr, depth: int = 0) -> bool:
    """Whether `node` denotes EVENT_PAYLOAD_TYPES, under whatever name or alias."""
    if depth > 4:
        return False
    if isinstance(node, ast.Name):
        if node.id == REGISTRY_NAME:
            return True
        origin = module.imports.get(node.id)
        if origin is not None:
            return origin[1] is not None and (
                f"{origin[0]}.{origin[1]}" == REGISTRY
                or _defines_registry(project.definition(module, node.id))
            )
        aliases = module.values_assigned_in_scope(node)
        module_level = module.top_level.get(node.id)
        if not aliases and isinstance(module_level, ast.Assign | ast.AnnAssign):
            aliases = [module_level.value] if module_level.value is not None else []
        return any(_is_registry(project, module, value, depth + 1) for value in aliases)
    if isinstance(node, ast.Attribute) and node.attr == REGISTRY_NAME:
        prefix = module.resolved(node.value)
        owner = project.by_dotted.get(prefix or "")
        return f"{prefix}.{REGISTRY_NAME}" == REGISTRY or (
            owner is not None and _defines_registry(project.definition(owner, REGISTRY_NAME))
        )
    return False


def _defines_registry(found: tuple[PythonModule, ast.stmt] | None) -> bool:
    if found is None:
        return False
    owner, statement = found
    return owner.path == layout.EVENT_REGISTRY and owner.top_level.get(REGISTRY_NAME) is statement


DE002 = RuleInfo(
    "DE002",
    "domain-event-registry",
    "Event type names are registered in `EVENT_PAYLOAD_TYPES`, match "
    "`^[a-z][a-z_]*\\.[a-z][a-z_]*$`, and each has a payload class; every event type the "
    "code uses (a literal or a constant, under any import spelling) is registered, and the "
    "registry is changed nowhere else.",
    "Consumers decode events by name; an unregistered name cannot be decoded.",
    "Register the name with its payload class in `core/event_registry.py`.",
)


RULE = Rule(infos=(DE002,), check=check)
