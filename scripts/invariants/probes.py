"""Child interpreters for rules that must run project code (a rule declares its `Probe`).

The child puts the checked repository's source roots first on sys.path, so it
imports the code under check (not whatever copy is installed), and it runs
while the parent parses files, hiding its import time on a second core.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from invariants import layout

# Compiles the repository's own modules from source, never from __pycache__: a .pyc
# written in the same second for a file of the same size would hide an edit.
SOURCE_ONLY = """
import importlib.machinery, sys

class _SourceOnly(importlib.machinery.SourceFileLoader):
    def get_code(self, fullname):
        return compile(self.get_data(self.path), self.path, "exec", dont_inherit=True)

def _source_only(roots):
    finder = importlib.machinery.FileFinder.path_hook(
        (_SourceOnly, importlib.machinery.SOURCE_SUFFIXES)
    )
    def hook(path):
        if not any(path == r or path.startswith(r + "/") for r in roots):
            raise ImportError(path)
        return finder(path)
    sys.path_hooks.insert(0, hook)
    sys.path_importer_cache.clear()
    sys.path[:0] = roots
"""


@dataclass
class ChildProbe:
    """A running child interpreter whose JSON answer (last stdout line) is read on `result()`."""

    process: subprocess.Popen[str]

    def cancel(self) -> None:
        self.process.kill()
        self.process.communicate()

    def result(self) -> dict[str, Any]:
        stdout, stderr = self.process.communicate(timeout=120)
        try:
            answer = json.loads(stdout.strip().splitlines()[-1]) if stdout.strip() else {}
        except (json.JSONDecodeError, IndexError):
            answer = {}
        if not isinstance(answer, dict) or not answer:
            last = (stderr.strip().splitlines() or ["no output"])[-1]
            return {"error": f"the probe failed: {last}"}
        return answer


def source_roots(root: Path) -> list[str]:
    return [os.path.realpath(root / r) for r in layout.SOURCE_ROOTS if (root / r).is_dir()]


def start(code: str, root: Path, *arguments: str) -> ChildProbe:
    # -I: ignore PYTHON* variables and the user site; the code puts the repository's roots first.
    command = [sys.executable, "-I", "-c", code, *arguments, *source_roots(root)]
    process = subprocess.Popen(
        command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    return ChildProbe(process)


class Running(Protocol):
    """A started probe: its answer, or stopping it when the answer is not needed."""

    def result(self) -> dict[str, Any]: ...

    def cancel(self) -> None: ...


@dataclass(frozen=True)
class Launch:
    """What starting a probe gave: the running probe, or None when it was skipped, and why."""

    running: Running | None
    notice: str | None = None
