"""A copy of this checkout in a temporary directory, for tests that generate into one."""

from __future__ import annotations

import subprocess
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]


def copy_of_the_repository(target: Path) -> Path:
    """The tracked and untracked-but-not-ignored files of this checkout, under `target`."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=REPOSITORY, check=True, capture_output=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for relative in filter(None, listed):
        source = REPOSITORY / relative
        if source.is_file():
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            (target / relative).write_bytes(source.read_bytes())
    return target
