"""What the checker reads from the environment: only the database DB006 compares against."""

from __future__ import annotations

import os

DATABASE_VARIABLE = "MIGRATION_DATABASE_URL"


def migration_database_url() -> str | None:
    """The migrated database's owner URL (as `python -m devservers test` sets it), if any."""
    url = os.environ.get(DATABASE_VARIABLE, "").strip()
    if not url:
        return None
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url
