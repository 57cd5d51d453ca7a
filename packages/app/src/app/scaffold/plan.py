"""A scaffold as files: new ones and edited ones, all in memory, then written at once.

Writing is all or nothing: each file goes through a temporary file in its own
directory and `os.replace`; on any failure the files already written are put
back as they were (new ones removed, edited ones restored, new directories
removed), and the error goes on.
"""

from __future__ import annotations

import os
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from app.scaffold.errors import ScaffoldRefusedError


@dataclass(frozen=True)
class FileChange:
    """The full new text of one file; `created` when the file must not exist yet."""

    path: str
    text: str
    created: bool


@dataclass(frozen=True)
class Plan:
    """Every file a scaffold writes, relative to the checkout's root."""

    changes: tuple[FileChange, ...]

    def refuse_existing(self, root: Path) -> None:
        """Refuse before writing when a file to create is already there.

        Raises:
            ScaffoldRefusedError: naming the first such file.
        """
        for change in self.changes:
            if change.created and (root / change.path).exists():
                raise ScaffoldRefusedError(f"{change.path} already exists", "exists")

    def write(self, root: Path) -> None:
        """Write every change, or none: a failure restores what was written before it."""
        self.refuse_existing(root)
        undo: list[tuple[Path, bytes | None]] = []
        made: list[Path] = []
        try:
            for change in self.changes:
                target = root / change.path
                made += _make_parents(target.parent)
                undo.append((target, None if change.created else target.read_bytes()))
                _replace(target, change.text)
        except BaseException:
            _undo(undo, made)
            raise


def _undo(undo: list[tuple[Path, bytes | None]], made: list[Path]) -> None:
    """Put back every file written and remove every directory made, as far as possible.

    Each step stands alone: a step that cannot be undone (its file was never
    created) must not keep the others from running.
    """
    for target, before in reversed(undo):
        with suppress(OSError):
            if before is None:
                target.unlink(missing_ok=True)
            else:
                target.write_bytes(before)
    for directory in reversed(made):
        with suppress(OSError):
            directory.rmdir()


def _make_parents(directory: Path) -> list[Path]:
    """Create `directory` and its missing parents; the ones created, outermost first."""
    missing: list[Path] = []
    while not directory.exists():
        missing.append(directory)
        directory = directory.parent
    for created in reversed(missing):
        created.mkdir()
    return list(reversed(missing))


def _replace(target: Path, text: str) -> None:
    temporary = target.with_name(f".{target.name}.scaffold")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
