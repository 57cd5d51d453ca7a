"""Run the installed `strata` command as an operator would, with only the given database;
and the scratch database a CLI test module runs it against."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import NullPool

from devservers.stack import DatabaseTarget
from tests.conftest import migrated_scratch_database

STRATA = str(Path(sys.executable).parent / "strata")


def run_strata(*arguments: str, **environment: str) -> subprocess.CompletedProcess[str]:
    """`strata ARGUMENTS` with no database variables but those given."""
    base = {k: v for k, v in os.environ.items() if "DATABASE_URL" not in k}
    return subprocess.run(
        [STRATA, *arguments], env={**base, **environment}, capture_output=True, text=True,
        check=False, timeout=60,
    )  # fmt: skip


def scratch_database_fixtures(name: str) -> tuple[object, object]:
    """A test module's own migrated scratch database (`cli_database`: its environment) and
    an owner engine on it (`owner`), both for the module; assign both names in the module."""

    @pytest.fixture(scope="module", name="cli_database")
    def cli_database(database: DatabaseTarget) -> Iterator[dict[str, str]]:
        yield from migrated_scratch_database(database, name)

    @pytest.fixture(scope="module", name="owner")
    def owner(cli_database: dict[str, str]) -> Iterator[Engine]:
        engine = create_engine(cli_database["MIGRATION_DATABASE_URL"], poolclass=NullPool)
        yield engine
        engine.dispose()

    return cli_database, owner
