"""RT001: the retention registry, RETENTION_DEFAULTS and the committed desired-state SQL agree.

The SQL is regenerated in memory by `render_reconcile_retention_settings_sql()`
(in a child interpreter: the probe below) and compared with the file.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path
from typing import Any

from invariants import layout, probes
from invariants.model import Diagnostic, RuleInfo
from invariants.project import Project
from invariants.rule import Probe, ProbedRule
from invariants.values import keyword

REGENERATE = "run `strata db schemas generate` and commit the file"
REGISTRY = "RETENTION_REGISTRY"
DEFAULTS = "RETENTION_DEFAULTS"
KEY_ERROR = re.compile(r"KeyError: '([^']*)'")


RETENTION_PROBE = (
    probes.SOURCE_ONLY
    + """
import importlib, importlib.util, json, os
root = sys.argv[1]
_source_only(sys.argv[2:])
out = {}
def load(name):
    # Only the checked repository's own module counts, never an installed copy.
    spec = importlib.util.find_spec(name)
    origin = os.path.realpath(spec.origin or "") if spec is not None else ""
    if not origin.startswith(root + os.sep):
        raise ModuleNotFoundError(f"{name} is not in this repository")
    return importlib.import_module(name)
def rule(value):
    return None if value is None else [bool(value.enabled), int(value.retention_days)]
def first_line(error):
    return f"{type(error).__name__}: {error}".splitlines()[0]
try:
    defaults = load("infra.db.system_settings_defaults")
    out["defaults"] = {str(k): rule(v) for k, v in defaults.RETENTION_DEFAULTS.items()}
    out["sql"] = defaults.render_reconcile_retention_settings_sql()
except Exception as error:
    out["defaults_error"] = first_line(error)
try:
    registry = load("infra.db.retention_registry")
    entries = []
    for entry in registry.RETENTION_REGISTRY:
        names = [a for a in ("default", "default_rule") if hasattr(entry, a)]
        default = getattr(entry, names[0]) if names else None
        entries.append({"name": str(entry.name), "default": rule(default)})
    out["registry"] = entries
except Exception as error:
    out["registry_error"] = first_line(error)
print(json.dumps(out))
"""
)


def start(root: Path, offline: bool) -> probes.Launch:
    """The probe imports project code but needs no database, so it runs offline too."""
    return probes.Launch(probes.start(RETENTION_PROBE, root, os.path.realpath(root)))


def check(project: Project, answer: dict[str, Any]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    if "error" in answer:
        return [_rt001(layout.RETENTION_DEFAULTS, 1, f"could not evaluate: {answer['error']}")]
    for key, path in (
        ("defaults_error", layout.RETENTION_DEFAULTS),
        ("registry_error", layout.RETENTION_REGISTRY),
    ):
        if key in answer:
            line = _error_line(project, path, str(answer[key]))
            found.append(_rt001(path, line, f"cannot import {path}: {answer[key]}"))
    defaults: dict[str, Any] = answer.get("defaults") or {}
    registry: list[dict[str, Any]] = answer.get("registry") or []
    if "defaults" in answer and "registry" in answer:
        found += _names(project, defaults, registry)
    else:  # a module did not import (often the very mismatch): compare the names as written
        static_defaults, static_names = _static_names(project)
        if static_defaults is not None and static_names is not None:
            written = [{"name": name} for name in static_names]
            found += _names(project, dict.fromkeys(static_defaults), written)
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
                    _default_line(project, entry["name"]),
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
    """The first line with the string literal `name` in a module, else 1."""
    module = project.module(path)
    if module is None:
        return 1
    lines = [
        node.lineno
        for node in module.of(ast.Constant)
        if isinstance(node, ast.Constant) and node.value == name
    ]
    return min(lines, default=1)


def _registry_entries(project: Project) -> list[ast.Call] | None:
    """The entry calls of the RETENTION_REGISTRY tuple literal, or None when it is not one."""
    module = project.module(layout.RETENTION_REGISTRY)
    value = getattr(module.top_level.get(REGISTRY) if module else None, "value", None)
    if not isinstance(value, ast.Tuple | ast.List):
        return None
    return [e for e in value.elts if isinstance(e, ast.Call)]


def _entry_name(entry: ast.Call) -> str | None:
    value = keyword(entry, "name")
    return value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None


def _default_line(project: Project, name: str) -> int:
    """The line of `default=` in the registry entry called `name`."""
    for entry in _registry_entries(project) or []:
        default = keyword(entry, "default")
        if _entry_name(entry) == name and default is not None:
            return default.lineno
    return _line_of(project, layout.RETENTION_REGISTRY, name)


def _static_names(project: Project) -> tuple[list[str] | None, list[str] | None]:
    """RETENTION_DEFAULTS keys and registry entry names as written (None: not literals)."""
    module = project.module(layout.RETENTION_DEFAULTS)
    value = getattr(module.top_level.get(DEFAULTS) if module else None, "value", None)
    defaults = None
    if isinstance(value, ast.Dict) and all(isinstance(k, ast.Constant) for k in value.keys):
        defaults = [str(k.value) for k in value.keys if isinstance(k, ast.Constant)]
    entries = _registry_entries(project)
    names = None if entries is None else [n for e in entries if (n := _entry_name(e))]
    return defaults, names


def _error_line(project: Project, path: str, error: str) -> int:
    """For `KeyError: 'name'`, the line that looks the key up; else 1."""
    module = project.module(path)
    match = KEY_ERROR.match(error)
    if module is None or match is None:
        return 1
    for node in module.of(ast.Subscript):
        key = getattr(node, "slice", None)
        if isinstance(key, ast.Constant) and key.value == match.group(1):
            return getattr(node, "lineno", 1)
    return 1


def _rt001(path: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(path, line, 1, "RT001", message)


RT001 = RuleInfo(
    "RT001",
    "retention-in-step",
    "The retention registry, `RETENTION_DEFAULTS` and the committed "
    "`reconcile_retention_settings.sql` agree (the SQL is regenerated and compared).",
    "A table missing from one of them is silently never pruned, or pruned with the wrong default.",
    "Align the registry and the defaults, then run `strata db schemas generate`.",
)


RULE = ProbedRule(
    infos=(RT001,),
    probe=Probe("retention", start, cached_for=RETENTION_PROBE),
    check=check,
)
