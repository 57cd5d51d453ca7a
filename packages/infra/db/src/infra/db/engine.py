"""Engine construction; engines are created by the composition root, never at import time."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import NullPool

from infra.db.env import DatabaseSettings


def runtime_engine(settings: DatabaseSettings) -> Engine:
    """A pooled engine connecting as the runtime (DML-only) role."""
    return create_engine(
        settings.runtime_url,
        pool_size=settings.pool_size,
        pool_pre_ping=True,
        connect_args={"connect_timeout": settings.connect_timeout_seconds},
    )


def owner_engine(settings: DatabaseSettings) -> Engine:
    """A short-lived engine for schema changes as the migration owner."""
    return create_engine(
        settings.owner_url,
        poolclass=NullPool,
        connect_args={"connect_timeout": settings.connect_timeout_seconds},
    )
