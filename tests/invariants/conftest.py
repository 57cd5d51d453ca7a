"""Fixture trees for the invariant checker: a clean minimal repository, copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from invariants.checker import Report, run

CLEAN_TREE = Path(__file__).parent / "fixtures" / "clean"
INFRA = "packages/infra/db/src/infra/db"

# The fixture trees are data, not tests.
collect_ignore_glob = ["fixtures/*"]


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


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    root = tmp_path / "repo"
    shutil.copytree(CLEAN_TREE, root)
    return Tree(root)
