"""pytest-alembic runs against a scratch database so it can go up and down freely."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.config import Config
from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import NullPool

from devservers.stack import DatabaseTarget, create_scratch_database, drop_database
from infra.db.migrator import alembic_config as project_alembic_config

SCRATCH_DATABASE = "strata_alembic_test"


@pytest.fixture
def alembic_config() -> Config:
    return project_alembic_config()


@pytest.fixture
def alembic_engine(database: DatabaseTarget) -> Iterator[Engine]:
    url = create_scratch_database(database.owner_url, SCRATCH_DATABASE)
    engine = create_engine(url, poolclass=NullPool)
    yield engine
    engine.dispose()
    drop_database(database.owner_url, SCRATCH_DATABASE)
