"""Fixture trees for the invariant checker.

A clean minimal repository is copied per test; a `Scenario` changes the copy and states every
finding the checker must then report, so one parametrized test can hold a rule's cases.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from _pytest.mark import ParameterSet

from invariants.checker import Report, run

CLEAN_TREE = Path(__file__).parent / "fixtures" / "clean"
INFRA = "packages/infra/db/src/infra/db"
SCHEMA = f"{INFRA}/schema.py"
ORG_FACTORY = f"{INFRA}/factories/organizations.py"
ROWS_INIT = f"{INFRA}/row_schemas/__init__.py"
ORG_REPOSITORY = f"{INFRA}/repositories/organizations.py"
USE_CASES = "packages/core/src/core/domains/organizations/use_cases.py"
APP_MODULE = "packages/app/src/app/reports.py"
EVENT_REGISTRY = "packages/core/src/core/event_registry.py"
OUTBOX_HANDLERS = "packages/app/src/app/outbox/registry.py"

# The fixture trees are data, not tests.
collect_ignore_glob = ["fixtures/*"]


Line = int | str
"""A line of a fixture file: its number, or a fragment of its text."""

Finding = tuple[str, str, Line]
"""An expected diagnostic: (code, path, line)."""


class Tree:
    """A writable copy of the clean fixture repository."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def read(self, path: str) -> str:
        return (self.root / path).read_text(encoding="utf-8")

    def write(self, path: str, text: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def edit(self, path: str, old: str, new: str) -> None:
        text = self.read(path)
        assert old in text, f"{old!r} not in {path}"
        self.write(path, text.replace(old, new, 1))

    def delete(self, path: str) -> None:
        (self.root / path).unlink()

    def append(self, path: str, code: str) -> None:
        self.write(path, self.read(path) + code)

    def line_of(self, path: str, fragment: str, occurrence: int = 1) -> int:
        """1-based line of the n-th line containing `fragment`."""
        lines = [
            number
            for number, line in enumerate(self.read(path).splitlines(), start=1)
            if fragment in line
        ]
        assert len(lines) >= occurrence, f"{fragment!r} not {occurrence}x in {path}"
        return lines[occurrence - 1]

    def check(self, select: set[str] | None = None) -> Report:
        return run(self.root, offline=True, select=select)

    def findings(self) -> list[tuple[str, str, int]]:
        return [(d.code, d.path, d.line) for d in self.check().diagnostics]

    def at(self, code: str, path: str, line: Line) -> tuple[str, str, int]:
        """The finding `code` at `line` of `path`, a fragment of a line standing for its number."""
        return code, path, line if isinstance(line, int) else self.line_of(path, line)

    def assert_findings(self, expected: Sequence[Finding]) -> None:
        assert self.findings() == [self.at(*finding) for finding in expected]

    def assert_only_code_among(self, code: str, path: str, line: Line) -> None:
        """`code` is reported at `line`, perhaps more than once, and nothing else is reported."""
        findings = self.findings()
        assert self.at(code, path, line) in findings
        assert {found for found, _, _ in findings} == {code}


def migration(docstring: str, revision: str, body: str) -> str:
    """An Alembic revision module following `revision` - 1, `body` after its header."""
    down_revision = f"{int(revision) - 1:04d}"
    header = f'"""{docstring}"""\n\nfrom alembic import op\n\n'
    return header + f'revision = "{revision}"\ndown_revision = "{down_revision}"\n' + body


Change = Callable[[Tree], None]
"""One change to a fixture tree."""


def replace(path: str, old: str, new: str) -> Change:
    """Replace the first `old` in `path` by `new`."""
    return lambda tree: tree.edit(path, old, new)


def write(path: str, text: str) -> Change:
    """Write `text` to `path`, replacing any file there."""
    return lambda tree: tree.write(path, text)


def append(path: str, code: str) -> Change:
    """Append `code` to the module at `path`."""
    return lambda tree: tree.append(path, code)


def delete(path: str) -> Change:
    """Remove the file at `path`."""
    return lambda tree: tree.delete(path)


@dataclass(frozen=True)
class Scenario:
    """Changes to the clean tree and every finding the checker must then report, in order."""

    changes: tuple[Change, ...]
    findings: tuple[Finding, ...]

    def check(self, tree: Tree) -> None:
        for change in self.changes:
            change(tree)
        tree.assert_findings(self.findings)


def scenario(sentence: str, *changes: Change, findings: Sequence[Finding] = ()) -> ParameterSet:
    """A parametrize row named by the sentence it proves."""
    return pytest.param(Scenario(changes, tuple(findings)), id=sentence)


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    root = tmp_path / "repo"
    shutil.copytree(CLEAN_TREE, root)
    return Tree(root)
