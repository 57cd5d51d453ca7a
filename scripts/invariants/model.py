"""What a rule reports (`Diagnostic`) and what it documents about itself (`RuleInfo`).

Rule codes are stable: never renumber or reuse one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One violation at `path:line:column` (path relative to the root, 1-based line and column)."""

    path: str
    line: int
    column: int
    code: str
    message: str

    @classmethod
    def at(cls, path: str, node: object, code: str, message: str) -> Diagnostic:
        """At a syntax node's line and column (0-based in `ast`); line 1 for a node without."""
        line, column = getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1
        return cls(path, line, column, code, message)

    def render(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}"


@dataclass(frozen=True)
class RuleInfo:
    """What a rule enforces, why, and how to fix a violation (shown in SARIF and the README)."""

    code: str
    name: str
    summary: str
    why: str
    fix: str


class CheckerCouldNotRunError(Exception):
    """The checker could not do its job (exit 2), as opposed to finding violations (exit 1)."""
