"""RT001: the committed desired-state SQL is what the retention declaration renders.

Each target is declared once (`infra/db/retention/targets.py`), so defaults and
targets cannot disagree. What can still go wrong: the committed
`reconcile_retention_settings.sql` left behind a changed declaration (or edited
by hand), a logical name declared twice (the second silently wins), or a
declaration that does not import. The SQL is rendered in a child interpreter
(see `invariants.probes`) and compared with the file.
"""

from __future__ import annotations

import ast
from typing import Any

from invariants import layout
from invariants.model import Diagnostic
from invariants.project import Project

REGENERATE = "run `strata db schemas generate` and commit the file"


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
