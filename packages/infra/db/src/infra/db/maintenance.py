"""Schema maintenance run by `strata db …`: migrations and desired-state SQL, as the owner."""

from __future__ import annotations

from pathlib import Path

from infra.db.connectivity import owner_transaction
from infra.db.desired_state import apply_desired_state
from infra.db.engine import owner_engine
from infra.db.env import DatabaseSettings
from infra.db.migrator import upgrade_to_head


def migrate(settings: DatabaseSettings) -> None:
    """Upgrade the database to the head revision in one transaction."""
    engine = owner_engine(settings)
    try:
        with owner_transaction(engine) as connection:
            upgrade_to_head(connection)
    finally:
        engine.dispose()


def apply_schemas(settings: DatabaseSettings) -> list[Path]:
    """Apply every desired-state SQL file in one transaction; return the files applied."""
    engine = owner_engine(settings)
    try:
        with owner_transaction(engine) as connection:
            return apply_desired_state(connection)
    finally:
        engine.dispose()
