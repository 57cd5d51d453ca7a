"""RT001: the retention registry, RETENTION_DEFAULTS and the committed desired-state SQL agree.

The SQL is regenerated in memory by `render_reconcile_retention_settings_sql()`
(in a child interpreter, see `invariants.probes`) and compared with the file.
"""

from __future__ import annotations

import ast
from typing import Any

from invariants import layout
from invariants.model import Diagnostic
from invariants.project import Project

REGENERATE = "run `strata db schemas generate` and commit the file"


def check(project: Project, answer: dict[str, Any]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    if "error" in answer:
        return [_rt001(layout.RETENTION_DEFAULTS, 1, f"could not evaluate: {answer['error']}")]
    for key, path in (
        ("defaults_error", layout.RETENTION_DEFAULTS),
        ("registry_error", layout.RETENTION_REGISTRY),
    ):
        if key in answer:
            found.append(_rt001(path, 1, f"cannot import {path}: {answer[key]}"))
    defaults: dict[str, Any] = answer.get("defaults") or {}
    registry: list[dict[str, Any]] = answer.get("registry") or []
    if "defaults" in answer and "registry" in answer:
        found += _names(project, defaults, registry)
    if "sql" in answer:
        found += _committed_sql(project, str(answer["sql"]))
    return found


def _names(
    project: Project, defaults: dict[str, Any], registry: list[dict[str, Any]]
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    names = [entry["name"] for entry in registry]
    for name in sorted({n for n in names if names.count(n) > 1}):
        found.append(
            _rt001(
                layout.RETENTION_REGISTRY,
                _line_of(project, layout.RETENTION_REGISTRY, name),
                f"{name!r} appears twice in RETENTION_REGISTRY: keep one entry",
            )
        )
    for name in sorted(set(names) - defaults.keys()):
        found.append(
            _rt001(
                layout.RETENTION_REGISTRY,
                _line_of(project, layout.RETENTION_REGISTRY, name),
                f"registry entry {name!r} has no default: add it to RETENTION_DEFAULTS "
                f"in {layout.RETENTION_DEFAULTS}",
            )
        )
    for name in sorted(defaults.keys() - set(names)):
        found.append(
            _rt001(
                layout.RETENTION_DEFAULTS,
                _line_of(project, layout.RETENTION_DEFAULTS, name),
                f"default {name!r} has no entry in RETENTION_REGISTRY: register its "
                "prune and count functions, or remove the default",
            )
        )
    for entry in registry:
        default, expected = entry.get("default"), defaults.get(entry["name"])
        if default is not None and expected is not None and default != expected:
            found.append(
                _rt001(
                    layout.RETENTION_REGISTRY,
                    _line_of(project, layout.RETENTION_REGISTRY, entry["name"]),
                    f"registry entry {entry['name']!r} carries default {default} but "
                    f"RETENTION_DEFAULTS says {expected}: use RETENTION_DEFAULTS",
                )
            )
    return found


def _committed_sql(project: Project, generated: str) -> list[Diagnostic]:
    path = layout.RECONCILE_RETENTION_SQL
    committed = project.texts.get(path)
    if committed is None:
        if any(p.path == path for p in project.problems):
            return []
        return [_rt001(path, 1, f"the generated desired-state SQL is missing: {REGENERATE}")]
    if committed == generated:
        return []
    ours, theirs = committed.splitlines(), generated.splitlines()
    line = next(
        (i + 1 for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b),
        min(len(ours), len(theirs)) + 1,
    )
    return [
        _rt001(
            path,
            line,
            "differs from render_reconcile_retention_settings_sql() "
            f"(first difference on this line): {REGENERATE}",
        )
    ]


def _line_of(project: Project, path: str, name: str) -> int:
    """The line of the string literal `name` in a module, else 1."""
    module = project.module(path)
    if module is None:
        return 1
    for node in module.of(ast.Constant):
        if isinstance(node, ast.Constant) and node.value == name:
            return node.lineno
    return 1


def _rt001(path: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(path, line, 1, "RT001", message)
