"""`strata db schemas generate` rewrites the committed retention SQL only when defaults move."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from infra.db.retention.reconcile_sql import (
    RECONCILE_RETENTION_SETTINGS_SQL,
    render_reconcile_retention_settings_sql,
)

STRATA = str(Path(sys.executable).parent / "strata")


def test_generating_on_a_clean_tree_leaves_the_committed_file_as_it_is() -> None:
    before = RECONCILE_RETENTION_SETTINGS_SQL.read_bytes()
    result = subprocess.run(
        [STRATA, "db", "schemas", "generate"], capture_output=True, text=True, check=False,
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    assert RECONCILE_RETENTION_SETTINGS_SQL.read_bytes() == before
    assert before.decode() == render_reconcile_retention_settings_sql()
