"""Reads every checked file once: Python parsed with `ast`, SQL kept as text for pglast.

Rules share the parsed trees through `Project`; nothing re-reads or re-parses a file.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TypeVar, cast

from invariants import layout
from invariants.model import Diagnostic, RuleInfo
from invariants.modules import PythonModule, SqlFile

T = TypeVar("T")


IO001 = RuleInfo(
    "IO001",
    "unreadable-file",
    "Every checked file can be read: UTF-8, no broken symlink, no symlink loop.",
    "A file the checker cannot read is a file nobody checks.",
    "Re-encode the file as UTF-8 or fix the link.",
)


IO002 = RuleInfo(
    "IO002",
    "unparsable-file",
    "Every checked Python file and SQL text parses (Python's parser, PostgreSQL's parser "
    "via pglast).",
    "A file that does not parse cannot be checked, and will not run.",
    "Fix the syntax error at the reported position.",
)


@dataclass
class Project:
    """Every checked file of one repository, read and parsed once."""

    root: Path
    modules: dict[str, PythonModule] = field(default_factory=dict)
    sql_files: dict[str, SqlFile] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    _derived: dict[Callable[[Project], object], object] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path) -> Project:
        project = cls(root=root)
        for relative, absolute in discover(root, project.problems):
            project.read(relative, absolute)
        return project

    def read(self, relative: str, absolute: str) -> None:
        try:
            with open(absolute, "rb") as handle:
                raw = handle.read()
        except OSError as error:
            self.problems.append(unreadable(relative, error.strerror or str(error)))
            return
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            self.problems.append(
                Diagnostic(relative, line, 1, "IO001", "file is not valid UTF-8: re-encode it")
            )
            return
        self.texts[relative] = text
        if relative.endswith((".sql", ".psql")):
            self.sql_files[relative] = SqlFile(relative, text)
            return
        try:
            tree = ast.parse(text, filename=relative)
        except SyntaxError as error:
            self.problems.append(syntax_error(relative, error))
            return
        except ValueError as error:  # source with NUL bytes
            self.problems.append(Diagnostic(relative, 1, 1, "IO002", f"cannot parse: {error}"))
            return
        self.modules[relative] = PythonModule(relative, text, tree)

    @cached_property
    def by_dotted(self) -> dict[str, PythonModule]:
        return {m.dotted: m for m in self.modules.values() if m.dotted}

    def derived(self, reader: Callable[[Project], T]) -> T:
        """What `reader` finds in this project, computed once and shared by every rule."""
        if reader not in self._derived:
            self._derived[reader] = reader(self)
        return cast(T, self._derived[reader])

    def under(self, directory: str) -> list[PythonModule]:
        return [m for path, m in sorted(self.modules.items()) if layout.in_dir(path, directory)]

    def module(self, path: str) -> PythonModule | None:
        return self.modules.get(path)

    def definition(
        self, module: PythonModule, name: str, depth: int = 0
    ) -> tuple[PythonModule, ast.stmt] | None:
        """Follow imports inside the project to the statement that defines `name`."""
        statement = module.top_level.get(name)
        if statement is not None and not isinstance(statement, ast.AugAssign):
            return module, statement
        origin = module.imports.get(name)
        if origin is None or origin[1] is None or depth > 8:
            return None
        target = self.by_dotted.get(origin[0])
        if target is None:
            submodule = self.by_dotted.get(f"{origin[0]}.{origin[1]}")
            return (
                (submodule, submodule.tree.body[0]) if submodule and submodule.tree.body else None
            )
        return self.definition(target, origin[1], depth + 1)


def unreadable(path: str, reason: str) -> Diagnostic:
    return Diagnostic(path, 1, 1, "IO001", f"cannot read file: {reason}")


def syntax_error(path: str, error: SyntaxError) -> Diagnostic:
    line = error.lineno or 1
    column = max(error.offset or 1, 1)
    return Diagnostic(path, line, column, "IO002", f"syntax error: {error.msg}; fix it")


def discover(root: Path, problems: list[Diagnostic]) -> Iterator[tuple[str, str]]:
    """Yield (relative, absolute) paths of the checked files; report symlink loops."""
    for top, suffixes in layout.CHECKED_ROOTS.items():
        start = root / top
        if start.is_dir():
            yield from _walk(root, str(start), suffixes, problems, set())


def _walk(
    root: Path,
    directory: str,
    suffixes: tuple[str, ...],
    problems: list[Diagnostic],
    seen: set[tuple[int, int]],
) -> Iterator[tuple[str, str]]:
    try:
        status = os.stat(directory)
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError as error:
        problems.append(unreadable(_relative(root, directory), error.strerror or str(error)))
        return
    identity = (status.st_dev, status.st_ino)
    if identity in seen:
        problems.append(
            Diagnostic(
                _relative(root, directory),
                1,
                1,
                "IO001",
                "symlink loop: this directory links back to one of its parents; remove the link",
            )
        )
        return
    seen = seen | {identity}
    for entry in entries:
        relative = _relative(root, entry.path)
        if entry.name in layout.EXCLUDED_DIRS or relative in layout.EXCLUDED_PATHS:
            continue
        if entry.is_symlink() and not os.path.exists(entry.path):
            problems.append(unreadable(relative, "broken symlink or symlink loop; fix the link"))
        elif entry.is_dir():
            yield from _walk(root, entry.path, suffixes, problems, seen)
        elif entry.name.endswith(suffixes):
            yield relative, entry.path


def _relative(root: Path, path: str) -> str:
    # Every walked path starts with the root it was joined to; slicing beats os.path.relpath.
    prefix = str(root) + os.sep
    relative = path[len(prefix) :] if path.startswith(prefix) else os.path.relpath(path, root)
    return relative.replace(os.sep, "/")
