"""`python -m invariants.bench [--tables 300]`: checker time / time to merely parse the same files.

Builds a generated repository with N tables laid out like Strata (schema,
row schemas, factories, repositories, core entities and ports, an integration
test module, one migration with a trigger and one pgTAP suite per table,
retention declaration and desired-state SQL; 8 files per table, where this
repository has about 30 per table), then
times, best of three: (a) reading every file and parsing it with `ast.parse`
(Python) or `pglast` (SQL); (b) a full offline checker run. Prints the ratio.
"""

from __future__ import annotations

import argparse
import ast
import json
import resource
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pglast import parser

from invariants import layout
from invariants.checker import run

TARGET_RATIO = 2.0


def table_name(index: int) -> str:
    return f"table_{index:04d}"


def write(root: Path, path: str, text: str) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def build_tree(root: Path, tables: int) -> None:
    """Write a clean, Strata-shaped repository with `tables` tables under `root`."""
    names = [table_name(i) for i in range(tables)]
    write(root, layout.SCHEMA_MODULE, _schema(names))
    write(root, layout.JSON_SCHEMA_MODULE, JSON_SCHEMA)
    write(root, f"{layout.INFRA_DB}/__init__.py", "")
    for kind, render in (("row_schemas", _row_schema), ("factories", _factory)):
        suffix = "RowSchema" if kind == "row_schemas" else "Factory"
        lines = [f"from infra.db.{kind}.{n} import {layout.pascal_case(n)}{suffix}" for n in names]
        write(root, f"{layout.INFRA_DB}/{kind}/__init__.py", "\n".join(lines) + "\n")
        for name in names:
            write(root, f"{layout.INFRA_DB}/{kind}/{name}.py", render(name))
    for index, name in enumerate(names):
        write(root, f"packages/core/src/core/domains/{name}/entities.py", _entities(name))
        write(root, f"packages/core/src/core/domains/{name}/ports.py", _ports(name))
        write(root, f"tests/integration/test_{name}.py", _tests(name))
        write(root, f"{layout.REPOSITORIES}/{name}.py", _repository(name))
        write(root, f"migrations/versions/{index + 1:04d}_{name}.py", _migration(index, name))
        write(root, f"sql_tests/{name}/updated_at.sql", _suite(name))
    _retention(root, names[:3])


def _schema(names: list[str]) -> str:
    header = (
        "from sqlalchemy import Column, DateTime, Enum, MetaData, Table, Text\n"
        "from sqlalchemy.dialects.postgresql import JSONB, UUID\n\n"
        "metadata = MetaData()\n"
        'STATUSES = ("active", "archived")\n'
        'status = Enum(*STATUSES, name="status", metadata=metadata)\n'
    )
    tables = "".join(
        f"\n{n} = Table(\n"
        f'    "{n}",\n    metadata,\n'
        '    Column("id", UUID(as_uuid=True), primary_key=True),\n'
        '    Column("name", Text, nullable=False),\n'
        '    Column("status", status, nullable=False),\n'
        '    Column("data", JSONB, nullable=True),\n'
        '    Column("created_at", DateTime(timezone=True), nullable=False),\n'
        '    Column("updated_at", DateTime(timezone=True), nullable=False),\n'
        ")\n"
        for n in names
    )
    return header + tables


JSON_SCHEMA = (
    "from typing_extensions import TypeAliasType\n\n"
    'JsonValue = TypeAliasType("JsonValue", "str | int | None | list[JsonValue] | '
    'dict[str, JsonValue]")\n'
    'JsonObject = TypeAliasType("JsonObject", dict[str, JsonValue])\n'
)


def _row_schema(name: str) -> str:
    stem = layout.pascal_case(name)
    return (
        "from typing import Literal\nfrom uuid import UUID\n\n"
        "from pydantic import AwareDatetime, BaseModel\n\n"
        "from infra.db.json_schema import JsonObject\n\n"
        'Status = Literal["active", "archived"]\n\n\n'
        f"class {stem}RowSchema(BaseModel):\n"
        "    id: UUID\n    name: str\n    status: Status\n    data: JsonObject | None\n"
        "    created_at: AwareDatetime\n    updated_at: AwareDatetime\n"
    )


def _factory(name: str) -> str:
    stem = layout.pascal_case(name)
    return (
        f"import factory\n\nfrom infra.db.row_schemas.{name} import {stem}RowSchema\n\n\n"
        f"class {stem}Factory(factory.Factory):\n    class Meta:\n"
        f'        model = {stem}RowSchema\n\n    name = "example"\n'
    )


def _entities(name: str) -> str:
    stem = layout.pascal_case(name)
    return (
        f'"""{stem}: the domain entity and its rules."""\n\n'
        "from dataclasses import dataclass\nfrom datetime import datetime\n"
        "from typing import Literal\nfrom uuid import UUID\n\n"
        'Status = Literal["active", "archived"]\n\n\n'
        f"@dataclass(frozen=True)\nclass {stem}:\n"
        '    """One stored row, as the domain sees it."""\n\n'
        "    id: UUID\n    name: str\n    status: Status\n    created_at: datetime\n"
        "    updated_at: datetime\n\n"
        "    def is_active(self) -> bool:\n"
        '        return self.status == "active"\n\n'
        "    def renamed(self, name: str) -> str:\n"
        "        cleaned = name.strip()\n"
        "        if not cleaned:\n"
        '            raise ValueError("a name cannot be blank")\n'
        "        return cleaned\n"
    )


def _ports(name: str) -> str:
    stem = layout.pascal_case(name)
    return (
        "from typing import Protocol\nfrom uuid import UUID\n\n"
        f"from core.domains.{name}.entities import {stem}\n\n\n"
        f"class {stem}Repository(Protocol):\n"
        f'    """Stores and loads {name}."""\n\n'
        f"    def get(self, key: UUID) -> {stem}:\n        ...\n\n"
        "    def count(self) -> int:\n        ...\n"
    )


def _tests(name: str) -> str:
    stem = layout.pascal_case(name)
    return (
        "import pytest\n\n"
        f"from infra.db.factories.{name} import {stem}Factory\n\n\n"
        f"def test_a_built_{name}_is_active() -> None:\n"
        f"    row = {stem}Factory.build()\n"
        '    assert row.status == "active"\n\n\n'
        f"def test_a_{name}_name_is_kept() -> None:\n"
        f'    row = {stem}Factory.build(name="kept")\n'
        '    assert row.name == "kept"\n\n\n'
        f"def test_a_{name}_without_a_name_is_refused() -> None:\n"
        "    with pytest.raises(ValueError):\n"
        f"        {stem}Factory.build(name=None)\n"
    )


def _repository(name: str) -> str:
    stem = layout.pascal_case(name)
    return (
        "from returns.io import IOResult, IOSuccess\n"
        "from sqlalchemy import Connection, func, select\n\n"
        f"from infra.db.row_schemas.{name} import {stem}RowSchema\n"
        f"from infra.db.schema import {name}\n\n\n"
        f"def get(connection: Connection, key: object) -> IOResult[{stem}RowSchema, str]:\n"
        f"    row = connection.execute(select({name}).where({name}.c.id == key)).mappings().one()\n"
        f"    return IOSuccess({stem}RowSchema.model_validate(row))\n\n\n"
        "def count(connection: Connection) -> IOResult[int, str]:\n"
        f"    statement = select(func.count()).select_from({name})\n"
        "    return IOSuccess(connection.execute(statement).scalar_one())\n"
    )


def _migration(index: int, name: str) -> str:
    previous = f'"{index:04d}"' if index else "None"
    function = (
        "CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN\n    NEW.updated_at := now();\n    RETURN NEW;\nEND\n$$;\n"
        if index == 0
        else ""
    )
    return (
        f'"""Table {name}."""\n\nimport sqlalchemy as sa\nfrom alembic import op\n\n'
        f'revision = "{index + 1:04d}"\ndown_revision = {previous}\n\n'
        f'TRIGGER = """\n{function}CREATE TRIGGER {name}_set_updated_at BEFORE UPDATE ON {name}\n'
        '    FOR EACH ROW EXECUTE FUNCTION set_updated_at();\n"""\n\n\n'
        "def upgrade() -> None:\n"
        f'    op.create_table("{name}", sa.Column("id", sa.Uuid(), primary_key=True))\n'
        "    op.execute(TRIGGER)\n\n\n"
        "def downgrade() -> None:\n"
        f'    op.execute("DROP TRIGGER {name}_set_updated_at ON {name};")\n'
        f'    op.drop_table("{name}")\n'
    )


def _suite(name: str) -> str:
    # Text of a generated pgTAP file, never executed here.
    return (
        "BEGIN;\nSELECT plan(2);\n"  # noqa: S608
        f"SELECT has_trigger('{name}', '{name}_set_updated_at', 'exists');\n"
        f"INSERT INTO {name} (id, name, status, created_at, updated_at)\n"
        "VALUES ('00000000-0000-0000-0000-000000000001', 'a', 'active', now(), now());\n"
        f"UPDATE {name} SET name = 'b' WHERE id = '00000000-0000-0000-0000-000000000001';\n"
        f"SELECT is((SELECT name FROM {name}), 'b', 'updated');\n"
        "SELECT * FROM finish();\nROLLBACK;\n"
    )


def _retention(root: Path, names: list[str]) -> None:
    write(root, "packages/core/src/core/__init__.py", "")
    write(
        root,
        "packages/core/src/core/event_registry.py",
        "EVENT_PAYLOAD_TYPES = {}\n",
    )
    defaults = {n: [True, 30] for n in names}
    write(
        root,
        layout.RETENTION_TARGETS,
        "class Target:\n    def __init__(self, name):\n"
        "        self.name, self.enabled, self.retention_days = name, True, 30\n\n\n"
        f"RETENTION_TARGETS = tuple(Target(n) for n in {names!r})\n",
    )
    write(
        root,
        layout.RETENTION_TARGETS.replace("targets.py", "reconcile_sql.py"),
        "import json\n\nfrom infra.db.retention.targets import RETENTION_TARGETS\n\n\n"
        "def render_reconcile_retention_settings_sql():\n"
        "    value = {t.name: [t.enabled, t.retention_days] for t in RETENTION_TARGETS}\n"
        '    return f"-- {json.dumps(value, sort_keys=True)}\\n"\n',
    )
    write(root, layout.RECONCILE_RETENTION_SQL, f"-- {json.dumps(defaults, sort_keys=True)}\n")


def parse_only(root: Path) -> None:
    """The baseline: read every checked file and parse it, nothing else."""
    for path in sorted(root.rglob("*")):
        if path.suffix == ".py":
            ast.parse(path.read_text(encoding="utf-8"))
        elif path.suffix == ".sql":
            parser.parse_sql_json(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float  # this process plus finished children (the RT001 probe)


def best_of(runs: int, action: Callable[[], object]) -> Timing:
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), _cpu()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(_cpu() - cpu)
    return Timing(min(walls), min(cpus))


def _cpu() -> float:
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(tables: int, runs: int = 5) -> tuple[Timing, Timing, int]:
    """(checker timing, parse-only timing, violations) on a generated tree."""
    with tempfile.TemporaryDirectory(prefix="strata-bench-") as directory:
        root = Path(directory)
        build_tree(root, tables)
        violations = len(run(root, offline=True, cache=False).diagnostics)
        baseline = best_of(runs, lambda: parse_only(root))
        # Cold runs: the RT001 probe runs every time, as on a fresh checkout.
        checker = best_of(runs, lambda: run(root, offline=True, cache=False))
    return checker, baseline, violations


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--tables", type=int, default=300)
    arguments.add_argument("--runs", type=int, default=5)
    options = arguments.parse_args()
    checker, baseline, violations = measure(options.tables, options.runs)
    print("| tables | measure | checker (s) | parse only (s) | ratio | target |")
    print("| ---: | --- | ---: | ---: | ---: | ---: |")
    for label, ours, theirs in (
        ("wall", checker.wall, baseline.wall),
        ("cpu", checker.cpu, baseline.cpu),
    ):
        ratio = ours / theirs
        verdict = "ok" if ratio <= TARGET_RATIO else "ABOVE"
        print(
            f"| {options.tables} | {label} | {ours:.3f} | {theirs:.3f} | {ratio:.2f} | "
            f"<= {TARGET_RATIO} {verdict} |"
        )
    if violations:
        print(f"warning: the generated tree has {violations} violation(s); the generator is off")


if __name__ == "__main__":
    main()
