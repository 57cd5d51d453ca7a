"""Run the Alembic migrations in `migrations/` as the migration owner."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

# packages/infra/db/src/infra/db/migrator.py -> repository root
REPOSITORY_ROOT = Path(__file__).resolve().parents[6]
ALEMBIC_INI = REPOSITORY_ROOT / "alembic.ini"


def alembic_config(connection: Connection | None = None) -> Config:
    """The project's Alembic config, optionally bound to an open connection."""
    config = Config(str(ALEMBIC_INI))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_to_head(connection: Connection) -> None:
    """Apply every pending revision in the connection's transaction."""
    command.upgrade(alembic_config(connection), "head")


def head_revision(alembic_ini: Path = ALEMBIC_INI) -> str | None:
    """The newest revision in the script directory `alembic_ini` names; None when it is empty.

    Raises:
        alembic.util.CommandError: the revisions have more than one head.
    """
    return ScriptDirectory.from_config(Config(str(alembic_ini))).get_current_head()
