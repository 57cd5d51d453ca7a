"""The pre-commit hooks pass on a clean clone and stop a commit that breaks a gate.

Run in a fresh clone of the committed tree with its own locked environment, as a
new contributor's `pre-commit install` would run them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# mypy runs cold in a fresh clone (a minute on two cores); scripts/check runs it on every
# tree, and the hook's entry is that same command.
SKIPPED_HOOKS = "mypy"


def _environment() -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "UV_"))}
    bootstrapped_uv = ROOT / ".strata" / "tools" / "bin"
    if shutil.which("uv") is None and bootstrapped_uv.is_dir():
        # The clone would otherwise install its own uv from the package index.
        environment["PATH"] = f"{bootstrapped_uv}{os.pathsep}{environment['PATH']}"
    return environment | {"SKIP": SKIPPED_HOOKS}


def _run(clone: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*arguments], cwd=clone, env=_environment(), capture_output=True, text=True,
        check=False, timeout=600,
    )  # fmt: skip


def _pre_commit(clone: Path) -> subprocess.CompletedProcess[str]:
    return _run(clone, "scripts/hook", "pre-commit", "run", "--all-files", "--show-diff-on-failure")


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    target = tmp_path_factory.mktemp("pre-commit") / "strata"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(target)], check=True)
    yield target
    shutil.rmtree(target, ignore_errors=True)


def test_every_hook_passes_on_the_clean_tree(clone: Path) -> None:
    done = _pre_commit(clone)

    assert done.returncode == 0, done.stdout + done.stderr
    for hook in ("ruff", "ruff format", "import-linter", "invariant checker", "uv.lock"):
        assert hook in done.stdout


def test_planted_violations_fail_the_hooks_that_guard_them(clone: Path) -> None:
    core_module = clone / "packages/core/src/core/clock.py"
    planted_import = "\nimport sqlalchemy  # planted\n\nDRIVER = sqlalchemy.__name__\n"
    core_module.write_text(core_module.read_text() + planted_import)
    pyproject = clone / "packages/app/pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"rich>=13",', '"rich>=13",\n    "six",'))

    done = _pre_commit(clone)

    assert done.returncode != 0
    for hook in ("import-linter contracts", "uv.lock matches pyproject.toml"):
        assert re.search(rf"^{re.escape(hook)}\.+Failed$", done.stdout, re.MULTILINE), done.stdout
