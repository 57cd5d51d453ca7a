"""DB006: the migrated database matches schema.py (Alembic's autogenerate comparison).

Its probe compares against MIGRATION_DATABASE_URL (as `python -m devservers
test` provides) or, when that is unset, a throw-away PostgreSQL migrated for
it; `--offline` skips it with a notice.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from invariants import layout, probes, settings
from invariants.model import CheckerCouldNotRunError, Diagnostic, RuleInfo
from invariants.project import Project
from invariants.rule import Probe, ProbedRule
from invariants.schema_reader import read_schema

DRIFT_PROBE = (
    probes.SOURCE_ONLY
    + """
import json
url = sys.argv[1]
_source_only(sys.argv[2:])
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool
from infra.db.schema import metadata

IN_SCHEMA = "schema.py but not in the migrated database"
IN_DATABASE = "the migrated database but not in schema.py"

def flatten(diffs):
    for diff in diffs:
        if isinstance(diff, list):
            yield from flatten(diff)
        else:
            yield diff

def describe(diff):
    kind = diff[0]
    where = IN_SCHEMA if kind.startswith("add_") else IN_DATABASE
    if kind.startswith("modify_"):
        table, column, old, new = diff[2], diff[3], diff[5], diff[6]
        what = kind.removeprefix("modify_")
        detail = f"{table}.{column}: {what} is {old!r} in the database, {new!r} in schema.py"
        return {"table": table, "column": column, "detail": detail}
    if kind in ("add_column", "remove_column"):
        table, column = diff[2], diff[3].name
        detail = f"column {table}.{column} is in {where}"
        return {"table": table, "column": column, "detail": detail}
    thing = diff[1]
    name = getattr(thing, "name", None)
    owner = getattr(thing, "table", None)
    table = name if kind.endswith("_table") else getattr(owner, "name", None)
    noun = kind.split("_", 1)[-1]
    detail = f"{noun} {name or thing} (table {table}) is in {where}"
    return {"table": table, "column": None, "detail": detail}

engine = create_engine(url, poolclass=NullPool)
try:
    with engine.connect() as connection:
        options = {"compare_type": True, "compare_server_default": True}
        context = MigrationContext.configure(connection, opts=options)
        diffs = [describe(d) for d in flatten(compare_metadata(context, metadata))]
    print(json.dumps({"diffs": diffs}))
except Exception as error:
    print(json.dumps({"error": f"{type(error).__name__}: {error}".splitlines()[0]}))
finally:
    engine.dispose()
"""
)


def start(root: Path, offline: bool) -> probes.Launch:
    if offline:
        return probes.Launch(None, "DB006 (schema drift) skipped: --offline")
    url = settings.migration_database_url()
    if url is None:
        return probes.Launch(
            start_throwaway_drift(root),
            f"DB006 (schema drift): {settings.DATABASE_VARIABLE} is not set, so it runs against a "
            "throw-away PostgreSQL migrated for it (pass --offline to skip)",
        )
    return probes.Launch(probes.start(DRIFT_PROBE, root, url))


@dataclass
class ThrowawayDrift:
    """DB006 in a child `python -m devservers run`: a throw-away, freshly migrated PostgreSQL."""

    process: subprocess.Popen[str]
    sarif: Path

    def cancel(self) -> None:
        self.process.kill()
        self.process.communicate()
        self.sarif.unlink(missing_ok=True)

    def result(self) -> dict[str, Any]:
        output, _ = self.process.communicate(timeout=600)
        try:
            document = json.loads(self.sarif.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            last = (output.strip().splitlines() or ["no output"])[-1]
            return {"error": f"could not start a throw-away PostgreSQL: {last}"}
        finally:
            self.sarif.unlink(missing_ok=True)
        return {"diagnostics": [_from_sarif(r) for r in document["runs"][0]["results"]]}


def _from_sarif(result: dict[str, Any]) -> dict[str, Any]:
    location = result["locations"][0]["physicalLocation"]
    region = location["region"]
    return {
        "path": location["artifactLocation"]["uri"],
        "line": region["startLine"],
        "column": region["startColumn"],
        "code": result["ruleId"],
        "message": result["message"]["text"],
    }


def start_throwaway_drift(root: Path) -> ThrowawayDrift:
    handle, name = tempfile.mkstemp(prefix="strata-db006-", suffix=".sarif")
    os.close(handle)
    os.unlink(name)  # the child writes it; its absence means the child never got that far
    checker = [sys.executable, "-m", "invariants", "--select", "DB006", "--format", "json"]
    command = [sys.executable, "-m", "devservers", "run", "--", *checker,
               "--sarif-output", name, str(root)]  # fmt: skip
    # The checked tree's own code first: its migrations must build the database (infra.db finds
    # alembic.ini next to itself), not those of whichever checkout is installed in the venv.
    own = [*probes.source_roots(root), os.path.realpath(root / "scripts")]
    inherited = os.environ.get("PYTHONPATH")
    # Only reached when MIGRATION_DATABASE_URL is unset: a lone DATABASE_URL
    # must not stop devservers from starting the throw-away server.
    configured = {"DATABASE_URL", "MIGRATION_DATABASE_URL"}
    environment = {
        **{name: value for name, value in os.environ.items() if name not in configured},
        "PYTHONPATH": os.pathsep.join([*own, *([inherited] if inherited else [])]),
    }
    process = subprocess.Popen(
        command,
        cwd=root,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return ThrowawayDrift(process, Path(name))


def check(project: Project, answer: dict[str, Any]) -> list[Diagnostic]:
    if "error" in answer:
        raise CheckerCouldNotRunError(
            f"DB006 could not compare the schema: {answer['error']} (or pass --offline)"
        )
    schema = read_schema(project)
    found = [Diagnostic(**d) for d in answer.get("diagnostics", [])]  # from a child checker
    for diff in answer.get("diffs", []):
        table = schema.by_name.get(diff.get("table") or "")
        path, line, column = layout.SCHEMA_MODULE, 1, 1
        if table is not None:
            path, line, column = table.path, table.line, table.column
            column_def = table.by_name.get(diff.get("column") or "")
            if column_def is not None and column_def.node is not None:
                line, column = column_def.node.lineno, column_def.node.col_offset + 1
        found.append(
            Diagnostic(
                path,
                line,
                column,
                "DB006",
                f"schema drift: {diff['detail']}; write a migration (or fix "
                "schema.py) so both agree",
            )
        )
    return found


DB006 = RuleInfo(
    "DB006",
    "no-schema-drift",
    "The migrations produce exactly the schema declared in `schema.py` (Alembic "
    "autogenerate comparison against a migrated database).",
    "Code written against `schema.py` must match the database the migrations build.",
    "Write a migration for the change (or fix `schema.py`); `alembic revision "
    "--autogenerate` shows the difference.",
)


RULE = ProbedRule(infos=(DB006,), probe=Probe("drift", start), check=check)
