"""WF001: workflow code is deterministic (Temporal replays it).

Checked: every feature's `workflow.py` (`app/<feature>/workflow.py`), every
module under a `workflows/` package of packages/, and every module defining a
`@workflow.defn` class. Functions decorated `@activity.defn`
are skipped: activities may do I/O.
"""

from __future__ import annotations

import ast

from invariants import layout
from invariants.model import Diagnostic, RuleInfo
from invariants.modules import PythonModule
from invariants.project import Project
from invariants.rule import Rule

FORBIDDEN_CALLS = {
    "datetime.datetime.now": "the wall clock: use workflow.now()",
    "datetime.datetime.utcnow": "the wall clock: use workflow.now()",
    "datetime.datetime.today": "the wall clock: use workflow.now()",
    "datetime.date.today": "the wall clock: use workflow.now().date()",
    "time.time": "the wall clock: use workflow.now()",
    "time.time_ns": "the wall clock: use workflow.now()",
    "time.monotonic": "the wall clock: use workflow.now()",
    "time.monotonic_ns": "the wall clock: use workflow.now()",
    "time.perf_counter": "the wall clock: use workflow.now()",
    "time.perf_counter_ns": "the wall clock: use workflow.now()",
    "time.sleep": "a blocking sleep: use `await asyncio.sleep(...)` or workflow.sleep()",
    "uuid.uuid1": "a random id: use workflow.uuid4()",
    "uuid.uuid4": "a random id: use workflow.uuid4()",
    "os.urandom": "randomness: use workflow.random()",
    "os.system": "I/O: move it into an activity",
    "os.popen": "I/O: move it into an activity",
    "open": "file I/O: move it into an activity",
    "input": "I/O: move it into an activity",
}
FORBIDDEN_MODULES = {
    "random": "randomness: use workflow.random()",
    "secrets": "randomness: use workflow.random()",
    "threading": "threads: use asyncio inside the workflow or an activity",
    "multiprocessing": "processes: move the work into an activity",
    "concurrent": "threads: use asyncio inside the workflow or an activity",
    "subprocess": "I/O: move it into an activity",
    "socket": "network I/O: move it into an activity",
    "requests": "network I/O: move it into an activity",
    "httpx": "network I/O: move it into an activity",
    "aiohttp": "network I/O: move it into an activity",
    "urllib": "network I/O: move it into an activity",
    "urllib3": "network I/O: move it into an activity",
    "http": "network I/O: move it into an activity",
    "sqlite3": "database I/O: move it into an activity",
}
FILE_METHODS = frozenset({"read_text", "write_text", "read_bytes", "write_bytes"})


def check(project: Project) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for module in project.modules.values():
        if layout.is_application_code(module.path) and _is_workflow_module(module):
            found += _module(module)
    return found


def _is_workflow_module(module: PythonModule) -> bool:
    if "/workflows/" in module.path or module.path.endswith("/workflow.py"):
        return True
    return "workflow.defn" in module.source and any(
        _decorated(cls, "workflow.defn") for cls in module.of(ast.ClassDef)
    )


def _decorated(node: ast.AST, suffix: str) -> bool:
    decorators = getattr(node, "decorator_list", [])
    for decorator in decorators:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if ast.unparse(target).endswith(suffix):
            return True
    return False


def _module(module: PythonModule) -> list[Diagnostic]:
    skipped = _activity_lines(module)
    found: list[Diagnostic] = []
    for node in module.of(ast.Import) + module.of(ast.ImportFrom):
        reason = _forbidden_import(module, node)
        if reason and not _in(node, skipped):
            found.append(_wf001(module, node, reason))
    for call in module.calls():
        if _in(call, skipped):
            continue
        reason = _forbidden_call(module, call)
        if reason:
            found.append(_wf001(module, call, reason))
    return found


def _activity_lines(module: PythonModule) -> list[tuple[int, int]]:
    return [
        (f.lineno, f.end_lineno or f.lineno)
        for f in module.functions
        if _decorated(f, "activity.defn")
    ]


def _in(node: ast.AST, spans: list[tuple[int, int]]) -> bool:
    line = getattr(node, "lineno", 0)
    return any(start <= line <= end for start, end in spans)


def _forbidden_import(module: PythonModule, node: ast.AST) -> str | None:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom) and not node.level:
        names = [node.module or ""]
    else:
        return None
    for name in names:
        reason = FORBIDDEN_MODULES.get(name.split(".")[0])
        if reason:
            return f"import of {name}: {reason}"
    return None


def _forbidden_call(module: PythonModule, call: ast.Call) -> str | None:
    origin = _origin(module, call.func)
    if origin in FORBIDDEN_CALLS:
        return f"{origin}() is {FORBIDDEN_CALLS[origin]}"
    top = (origin or "").split(".")[0]
    if top in FORBIDDEN_MODULES:
        return f"{origin}() is {FORBIDDEN_MODULES[top]}"
    if isinstance(call.func, ast.Attribute) and call.func.attr in FILE_METHODS:
        return f".{call.func.attr}() is file I/O: move it into an activity"
    return None


def _origin(module: PythonModule, func: ast.expr) -> str | None:
    """Dotted origin of a callee bound by an import (or an unshadowed builtin), else None."""
    head = func
    while isinstance(head, ast.Attribute):
        head = head.value
    if not isinstance(head, ast.Name):
        return None
    if head.id in module.imports:
        return module.resolved(func)
    if func is head and head.id in FORBIDDEN_CALLS and head.id not in module.top_level:
        return head.id
    return None


def _wf001(module: PythonModule, node: ast.AST, reason: str) -> Diagnostic:
    return Diagnostic.at(
        module.path, node, "WF001", f"workflow code must be deterministic: {reason}"
    )


WF001 = RuleInfo(
    "WF001",
    "deterministic-workflows",
    "Workflow code uses no wall clock, sleep, random, uuid4, I/O or threads.",
    "Temporal replays workflow code; anything non-deterministic breaks replay.",
    "Use `workflow.now()`, `workflow.uuid4()`, `workflow.random()`, `asyncio.sleep` / "
    "`workflow.sleep`, or move the work into an activity.",
)


RULE = Rule(infos=(WF001,), check=check)
