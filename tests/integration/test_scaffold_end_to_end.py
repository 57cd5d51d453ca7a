"""`strata scaffold` in a copy of this repository: the result passes the gates with no edit.

A table with a nullable JSONB column, an enum and foreign keys is scaffolded into
a copy; the checker and mypy judge the copy, its generated integration test runs
on a database migrated by its own migrations, and so do its pgTAP suites. A
scaffolded trigger's suite fails, saying what to write.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.scaffold.checkout import SCHEMA
from app.scaffold.cli import scaffold_app
from devservers.pgtap import HELPERS, libpq_environment
from devservers.stack import DatabaseTarget, scratch_database
from tests.checkout_copies import REPOSITORY, copy_of_the_repository

# A name of the test's own, so the test still passes in a checkout where someone has
# scaffolded `widgets` (the README's example) for real.
TABLE = "scaffold_probes"
COLUMNS = (
    "name:text",
    "settings:jsonb:nullable",
    "status:enum(draft,live,retired):default=draft",
    "organization_id:fk(organizations)",
    "owner_id:fk(users):nullable",
    "quantity:integer:default=0",
    "active:boolean:default=true",
    "labels:jsonb:default={}",
    "due_at:timestamptz:nullable",
    "seen_at:timestamptz:default=now",
    "ref:uuid:nullable:default=random",
    "code:text:default=none yet",
)
GENERATED_PYTHON = (
    f"packages/core/src/core/domains/{TABLE}",
    "packages/infra/db/src/infra/db/row_schemas",
    "packages/infra/db/src/infra/db/factories",
    f"packages/infra/db/src/infra/db/repositories/{TABLE}.py",
    "packages/infra/db/src/infra/db/provider.py",
    "packages/core/src/core/unit_of_work.py",
    SCHEMA,
)
SOURCE_ROOTS = ("packages/core/src", "packages/infra/db/src", "packages/app/src", "scripts")


def scaffold(root: Path, *arguments: str) -> None:
    result = CliRunner().invoke(scaffold_app, [*arguments, "--repository", str(root)])
    assert result.exit_code == 0, result.output


def in_copy(root: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """An environment whose Python imports the copy's sources before this checkout's."""
    paths = [str(root / source) for source in SOURCE_ROOTS]
    return {**os.environ, "PYTHONPATH": os.pathsep.join([*paths, str(root)]), **(extra or {})}


def run(root: Path, command: list[str], extra: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        command, cwd=root, env=in_copy(root, extra), capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def prove(owner_url: str, root: Path, *suites: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **libpq_environment(owner_url)}
    psql = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(HELPERS)]
    subprocess.run(psql, env=environment, check=True, capture_output=True)
    pg_prove = shutil.which("pg_prove") or "pg_prove"
    return subprocess.run(
        [pg_prove, "--verbose", *suites], cwd=root, env=environment,
        capture_output=True, text=True, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_of_the_repository(tmp_path_factory.mktemp("scaffolded"))
    cache = REPOSITORY / ".mypy_cache"
    if cache.is_dir():
        # Third-party modules' entries still apply: only the copy's own files are re-checked.
        shutil.copytree(cache, root / ".mypy_cache")
    scaffold(root, "table", TABLE, *(f"--column={column}" for column in COLUMNS))
    return root


@pytest.fixture
def scratch(database: DatabaseTarget) -> Iterator[dict[str, str]]:
    with scratch_database(database, "strata_scaffold_test") as environment:
        yield environment


def test_the_scaffolded_table_passes_the_invariant_checker_and_mypy(scaffolded: Path) -> None:
    checker = run(scaffolded, [sys.executable, "-m", "invariants", "--offline", str(scaffolded)])
    run(scaffolded, [sys.executable, "-m", "mypy", *GENERATED_PYTHON])

    assert "invariants: clean" in checker


def test_the_generated_integration_test_pgtap_suites_and_drift_check_pass_on_the_migrated_copy(
    scaffolded: Path, scratch: dict[str, str]
) -> None:
    tests = run(
        scaffolded,
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         f"tests/integration/data_layer/test_{TABLE}_repository.py"],
        scratch,
    )  # fmt: skip
    # The generated test's session migrated the scratch database: schema.py must match it.
    drift = run(scaffolded, [sys.executable, "-m", "invariants", "--select", "DB006",
                             str(scaffolded)], scratch)  # fmt: skip
    proved = prove(
        scratch["MIGRATION_DATABASE_URL"],
        scaffolded,
        f"sql_tests/{TABLE}/structure.sql",
        "sql_tests/public/tables_and_types.sql",
    )

    assert "2 passed" in tests
    assert "invariants: clean" in drift
    assert proved.returncode == 0, proved.stdout + proved.stderr


def test_a_scaffolded_triggers_suite_fails_saying_what_to_write(
    scaffolded: Path, scratch: dict[str, str], tmp_path: Path
) -> None:
    root = shutil.copytree(
        scaffolded, tmp_path / "with_trigger", ignore=shutil.ignore_patterns(".mypy_cache")
    )
    scaffold(root, "trigger", "stamp_scaffold_probe", "--table", TABLE, "--when", "BEFORE",
             "--events", "INSERT,UPDATE")  # fmt: skip
    run(root, [sys.executable, "-c", "from app.cli.main import main; main()", "db", "migrate"],
        scratch)  # fmt: skip

    proved = prove(
        scratch["MIGRATION_DATABASE_URL"], root, "sql_tests/stamp_scaffold_probe/fires.sql"
    )

    assert proved.returncode != 0
    assert f"not ok 3 - write this: insert or update a {TABLE} row" in proved.stdout
