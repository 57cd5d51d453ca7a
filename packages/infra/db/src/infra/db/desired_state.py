"""Desired-state SQL: idempotent scripts under packages/infra/db/schemas/, applied in path order."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection

SCHEMAS_DIR = Path(__file__).resolve().parents[3] / "schemas"


def desired_state_files(root: Path = SCHEMAS_DIR) -> list[Path]:
    return sorted(root.rglob("*.sql")) if root.is_dir() else []


def apply_desired_state(connection: Connection, root: Path = SCHEMAS_DIR) -> list[Path]:
    """Execute every desired-state file in the caller's transaction; return what ran."""
    files = desired_state_files(root)
    for path in files:
        # The files are committed, reviewed SQL; no runtime value is spliced in.
        connection.exec_driver_sql(path.read_text(encoding="utf-8"))
    return files
