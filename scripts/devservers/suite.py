"""Steps shared by the `python -m devservers` commands: run a command, migrate, apply schemas."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console

from devservers.stack import (
    DatabaseTarget,
    ensure_reachable,
    scratch_database,
)

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
BENCH_DATABASE = "strata_bench"
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


def strata_json(title: str, arguments: list[str], environment: Mapping[str, str]) -> dict[str, Any]:
    """Run one `strata … --json` step, show its output, and return what it printed."""
    console.rule(f"[bold]{title}")
    result = strata_captured([*arguments, "--json"], environment)
    console.print(result.stdout.strip(), soft_wrap=True)
    if result.returncode != 0:
        console.print(result.stderr.strip(), soft_wrap=True)
        raise StepFailedError(title, result.returncode)
    decoded: dict[str, Any] = json.loads(result.stdout)
    return decoded


def strata_captured(
    arguments: Sequence[str], environment: Mapping[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run `strata` with the stack's environment, keeping its output for the caller."""
    return subprocess.run(
        strata(*arguments), env={**os.environ, **environment}, cwd=REPOSITORY_ROOT,
        capture_output=True, text=True, check=False,
    )  # fmt: skip


def prepare_database(environment: Mapping[str, str]) -> None:
    run_step("migrate (strata db migrate)", strata("db", "migrate"), environment)
    run_step("desired state (strata db schemas apply)", strata("db", "schemas", "apply"),
             environment)  # fmt: skip
    # The runtime role exists only from the first migration on, so its
    # connection is checked now rather than before migrating.
    ensure_reachable(environment["DATABASE_URL"])


def run_quick_bench(database: DatabaseTarget, temporal_environment: Mapping[str, str]) -> None:
    """`bench --quick` in a scratch database next to the target: proves the bench runs.

    The bench empties tables, so it gets a database of its own (dropped
    afterwards). Its tally is not judged here; only a crashed row fails the step.
    """
    bench = [sys.executable, "-m", "devservers", "bench", "--quick", "--allow-existing-database"]
    with scratch_database(database, BENCH_DATABASE) as environment:
        run_step("bench --quick (proves scripts/bench runs; speed is never asserted)", bench,
                 {**temporal_environment, **environment})  # fmt: skip
