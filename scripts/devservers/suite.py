"""Steps shared by the `python -m devservers` commands: run a command, migrate, apply schemas."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from rich.console import Console

from devservers.stack import ensure_reachable

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
console = Console(highlight=False)
errors = Console(highlight=False, stderr=True)


class StepFailedError(RuntimeError):
    """A step exited non-zero; its own output already explained why."""

    def __init__(self, title: str, returncode: int) -> None:
        super().__init__(f"{title} failed (exit {returncode})")
        self.returncode = returncode


def run_step(title: str, command: Sequence[str], environment: Mapping[str, str]) -> None:
    """Run one step with the stack's environment, streaming its output."""
    console.rule(f"[bold]{title}")
    result = subprocess.run(
        list(command), env={**os.environ, **environment}, cwd=REPOSITORY_ROOT, check=False
    )
    if result.returncode != 0:
        raise StepFailedError(title, result.returncode)


def strata(*arguments: str) -> list[str]:
    return [str(Path(sys.executable).parent / "strata"), *arguments]


def prepare_database(environment: Mapping[str, str]) -> None:
    run_step("migrate (strata db migrate)", strata("db", "migrate"), environment)
    run_step("desired state (strata db schemas apply)", strata("db", "schemas", "apply"),
             environment)  # fmt: skip
    # The runtime role exists only from the first migration on, so its
    # connection is checked now rather than before migrating.
    ensure_reachable(environment["DATABASE_URL"])
