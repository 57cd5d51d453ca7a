"""Run the installed `strata` command as an operator would, with only the given database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

STRATA = str(Path(sys.executable).parent / "strata")


def run_strata(*arguments: str, **environment: str) -> subprocess.CompletedProcess[str]:
    """`strata ARGUMENTS` with no database variables but those given."""
    base = {k: v for k, v in os.environ.items() if "DATABASE_URL" not in k}
    return subprocess.run(
        [STRATA, *arguments], env={**base, **environment}, capture_output=True, text=True,
        check=False, timeout=60,
    )  # fmt: skip
