"""DB006 against the migrated test database: no drift, then a column added only in schema.py."""

from __future__ import annotations

import re
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


def test_the_throwaway_database_is_built_by_the_checked_trees_own_migrations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MIGRATION_DATABASE_URL", raising=False)
    for part in ("alembic.ini", "migrations", "packages", "scripts"):
        source = REPOSITORY / part
        if source.is_dir():
            ignored = shutil.ignore_patterns("__pycache__", ".mypy_cache", "*.egg-info")
            shutil.copytree(source, tmp_path / part, ignore=ignored)
        else:
            shutil.copy2(source, tmp_path / part)
    versions = tmp_path / "migrations/versions"
    latest = sorted(p for p in versions.glob("*.py") if p.name[0].isdigit())[-1]
    head = re.search(r'^revision\b[^=]*= "(\w+)"', latest.read_text("utf-8"), re.MULTILINE)
    assert head is not None
    (versions / "9999_nickname.py").write_text(
        '"""A column only the migrations know.\n\nRevision ID: 9999\n"""\n\n'
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f'revision = "9999"\ndown_revision = "{head.group(1)}"\n\n\n'
        "def upgrade() -> None:\n"
        '    op.add_column("users", sa.Column("nickname", sa.Text(), nullable=True))\n',
        encoding="utf-8",
    )
    report = run(tmp_path, select={"DB006"})
    users = (tmp_path / SCHEMA).read_text(encoding="utf-8").splitlines().index("users = Table(")
    assert [(d.code, d.path, d.line) for d in report.diagnostics] == [("DB006", SCHEMA, users + 1)]
    assert "users.nickname" in report.diagnostics[0].message
