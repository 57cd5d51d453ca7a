"""RT001: the committed desired-state SQL is what the retention declaration renders.

Each target is declared once (`infra/db/retention/targets.py`), so defaults and
targets cannot disagree. What can still go wrong: the committed
`reconcile_retention_settings.sql` left behind a changed declaration (or edited
by hand), a logical name declared twice (the second silently wins), or a
declaration that does not import. The SQL is rendered in a child interpreter
(the probe below) and compared with the file.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Any

from invariants import layout, probes
from invariants.model import Diagnostic, RuleInfo
from invariants.project import Project
from invariants.rule import Probe, ProbedRule

REGENERATE = "run `strata db schemas generate` and commit the file"


RETENTION_PROBE = (
    probes.SOURCE_ONLY
    + """
import importlib, importlib.util, json, os, traceback
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
def where(error):
    # The innermost frame in the repository: the line that raised (or failed to parse).
    frames = [(f.filename, f.lineno) for f in traceback.extract_tb(error.__traceback__)]
    if isinstance(error, SyntaxError) and error.filename:
        frames.append((error.filename, error.lineno))
    mine = [(os.path.relpath(os.path.realpath(f), root), n) for f, n in frames
            if os.path.realpath(f).startswith(root + os.sep)]
    return list(mine[-1]) if mine else None
try:
    targets = load("infra.db.retention.targets")
    out["names"] = [str(target.name) for target in targets.RETENTION_TARGETS]
    out["sql"] = load("infra.db.retention.reconcile_sql").render_reconcile_retention_settings_sql()
except Exception as error:
    out["declaration_error"] = f"{type(error).__name__}: {error}".splitlines()[0]
    out["at"] = where(error)
print(json.dumps(out))
"""
)


def start(root: Path, offline: bool) -> probes.Launch:
    """The probe imports project code but needs no database, so it runs offline too."""
    return probes.Launch(probes.start(RETENTION_PROBE, root, os.path.realpath(root)))


def check(project: Project, answer: dict[str, Any]) -> list[Diagnostic]:
    if "error" in answer:
        return [_rt001(layout.RETENTION_TARGETS, 1, f"could not evaluate: {answer['error']}")]
    if "declaration_error" in answer:
        path, line = answer.get("at") or (layout.RETENTION_TARGETS, 1)
        message = f"the retention declaration does not import: {answer['declaration_error']}"
        return [_rt001(str(path), int(line), message)]
    return _duplicates(project, [str(n) for n in answer.get("names", [])]) + _committed_sql(
        project, str(answer.get("sql", ""))
    )


def _duplicates(project: Project, names: list[str]) -> list[Diagnostic]:
    return [
        _rt001(
            layout.RETENTION_TARGETS,
            _line_of(project, name, occurrence=2),
            f"retention target {name!r} is declared twice: keep one declaration",
        )
        for name in sorted({n for n in names if names.count(n) > 1})
    ]


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


def _line_of(project: Project, name: str, occurrence: int) -> int:
    """The line of the n-th string literal `name` in the declaration module, else 1."""
    module = project.module(layout.RETENTION_TARGETS)
    if module is None:
        return 1
    lines = sorted(
        node.lineno
        for node in module.of(ast.Constant)
        if isinstance(node, ast.Constant) and node.value == name
    )
    return lines[occurrence - 1] if len(lines) >= occurrence else 1


def _rt001(path: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(path, line, 1, "RT001", message)


RT001 = RuleInfo(
    "RT001",
    "retention-in-step",
    "The committed `reconcile_retention_settings.sql` is what the retention "
    "declaration (`infra/db/retention/targets.py`) renders, and no target is declared "
    "twice (the SQL is regenerated and compared).",
    "A stale file leaves a new target without its default setting, or reverts an "
    "operator-visible default.",
    "Run `strata db schemas generate` and commit the file.",
)


RULE = ProbedRule(
    infos=(RT001,),
    probe=Probe("retention", start, cached_for=RETENTION_PROBE),
    check=check,
)
