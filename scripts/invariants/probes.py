"""Checks that must run project code (RT001, DB006), each in a child interpreter.

The child puts the checked repository's source roots first on sys.path, so it
imports the code under check (not whatever copy is installed), and it runs
while the parent parses files, hiding its import time on a second core.
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

from invariants import layout

# Compiles the repository's own modules from source, never from __pycache__: a .pyc
# written in the same second for a file of the same size would hide an edit.
SOURCE_ONLY = """
import importlib.machinery, sys

class _SourceOnly(importlib.machinery.SourceFileLoader):
    def get_code(self, fullname):
        return compile(self.get_data(self.path), self.path, "exec", dont_inherit=True)

def _source_only(roots):
    finder = importlib.machinery.FileFinder.path_hook(
        (_SourceOnly, importlib.machinery.SOURCE_SUFFIXES)
    )
    def hook(path):
        if not any(path == r or path.startswith(r + "/") for r in roots):
            raise ImportError(path)
        return finder(path)
    sys.path_hooks.insert(0, hook)
    sys.path_importer_cache.clear()
    sys.path[:0] = roots
"""

RETENTION_PROBE = (
    SOURCE_ONLY
    + """
import importlib, importlib.util, json, os, traceback
root = sys.argv[1]
_source_only(sys.argv[2:])
out = {}
def load(name):
    # Only the checked repository's own module counts, never an installed copy.
    spec = importlib.util.find_spec(name)
    origin = os.path.realpath(spec.origin or "") if spec is not None else ""
    if not origin.startswith(root + os.sep):
        raise ModuleNotFoundError(f"{name} is not in this repository")
    return importlib.import_module(name)
def where(error):
    # The innermost frame in the repository: the line that raised (or failed to parse).
    frames = [(f.filename, f.lineno) for f in traceback.extract_tb(error.__traceback__)]
    if isinstance(error, SyntaxError) and error.filename:
        frames.append((error.filename, error.lineno))
    mine = [(os.path.relpath(os.path.realpath(f), root), n) for f, n in frames
            if os.path.realpath(f).startswith(root + os.sep)]
    return list(mine[-1]) if mine else None
try:
    targets = load("infra.db.retention.targets")
    out["names"] = [str(target.name) for target in targets.RETENTION_TARGETS]
    out["sql"] = load("infra.db.retention.reconcile_sql").render_reconcile_retention_settings_sql()
except Exception as error:
    out["declaration_error"] = f"{type(error).__name__}: {error}".splitlines()[0]
    out["at"] = where(error)
print(json.dumps(out))
"""
)

DRIFT_PROBE = (
    SOURCE_ONLY
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


@dataclass
class Probe:
    """A running child interpreter whose JSON answer is read on `result()`."""

    process: subprocess.Popen[str]

    def cancel(self) -> None:
        self.process.kill()
        self.process.communicate()

    def result(self) -> dict[str, Any]:
        stdout, stderr = self.process.communicate(timeout=120)
        try:
            answer = json.loads(stdout.strip().splitlines()[-1]) if stdout.strip() else {}
        except (json.JSONDecodeError, IndexError):
            answer = {}
        if not isinstance(answer, dict) or not answer:
            last = (stderr.strip().splitlines() or ["no output"])[-1]
            return {"error": f"the probe failed: {last}"}
        return answer


def source_roots(root: Path) -> list[str]:
    return [os.path.realpath(root / r) for r in layout.SOURCE_ROOTS if (root / r).is_dir()]


def start(code: str, root: Path, *arguments: str) -> Probe:
    # -I: ignore PYTHON* variables and the user site; the code puts the repository's roots first.
    command = [sys.executable, "-I", "-c", code, *arguments, *source_roots(root)]
    process = subprocess.Popen(
        command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    return Probe(process)


def start_retention(root: Path) -> Probe:
    return start(RETENTION_PROBE, root, os.path.realpath(root))


def start_drift(root: Path, url: str) -> Probe:
    return start(DRIFT_PROBE, root, url)


@dataclass
class ThrowawayDrift:
    """DB006 in a child `python -m devservers run`: a throw-away, freshly migrated PostgreSQL."""

    process: subprocess.Popen[str]
    sarif: Path

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
    own = [*source_roots(root), os.path.realpath(root / "scripts")]
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
