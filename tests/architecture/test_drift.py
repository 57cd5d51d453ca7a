"""DB006 against the migrated test database: no drift, then a column added only in schema.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from devservers.stack import DatabaseTarget
from invariants.checker import run

REPOSITORY = Path(__file__).resolve().parents[2]
INFRA_SRC = "packages/infra/db/src"
SCHEMA = f"{INFRA_SRC}/infra/db/schema.py"

pytestmark = pytest.mark.integration


@pytest.fixture
def migrated(database: DatabaseTarget, monkeypatch: pytest.MonkeyPatch) -> DatabaseTarget:
    monkeypatch.setenv("MIGRATION_DATABASE_URL", database.owner_url)
    return database


def test_the_migrations_build_exactly_the_schema_of_schema_py(migrated: DatabaseTarget) -> None:
    report = run(REPOSITORY, select={"DB006"})
    assert [d.render() for d in report.diagnostics] == []


def test_a_column_only_in_schema_py_is_db006_at_that_column(
    migrated: DatabaseTarget, tmp_path: Path
) -> None:
    shutil.copytree(REPOSITORY / INFRA_SRC, tmp_path / INFRA_SRC)
    schema = tmp_path / SCHEMA
    text = schema.read_text(encoding="utf-8")
    anchor = '    Column("display_name", Text, nullable=False),\n'
    schema.write_text(text.replace(anchor, anchor + '    Column("nickname", Text),\n'), "utf-8")
    line = (
        schema.read_text(encoding="utf-8").splitlines().index('    Column("nickname", Text),') + 1
    )
    report = run(tmp_path, select={"DB006"})
    assert [(d.code, d.path, d.line) for d in report.diagnostics] == [("DB006", SCHEMA, line)]
    assert "users.nickname" in report.diagnostics[0].message
