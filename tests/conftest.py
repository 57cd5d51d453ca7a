"""Session-wide servers: one PostgreSQL (migrated once) and, on demand, one Temporal dev server.

When DATABASE_URL/MIGRATION_DATABASE_URL or TEMPORAL_ADDRESS are set (as
`scripts/test` does) those servers are used; otherwise throw-away ones are
started here and removed when the session ends.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.pool import NullPool

from devservers.stack import (
    DatabaseTarget,
    TemporalTarget,
    database_target,
    scratch_database,
    temporal_target,
)
from infra.db.env import DatabaseSettings
from infra.db.maintenance import migrate


@pytest.fixture(scope="session")
def database() -> Iterator[DatabaseTarget]:
    with database_target("strata_test") as target:
        # Idempotent: a no-op when scripts/test already migrated this database.
        migrate(DatabaseSettings.model_validate(target.environment))
        yield target


@pytest.fixture(scope="session")
def runtime_engine(database: DatabaseTarget) -> Iterator[Engine]:
    engine = create_engine(database.runtime_url, pool_size=10)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def owner_engine(database: DatabaseTarget) -> Iterator[Engine]:
    engine = create_engine(database.owner_url, poolclass=NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(runtime_engine: Engine) -> Iterator[Connection]:
    """A runtime-role connection inside a transaction that is rolled back after the test."""
    with runtime_engine.connect() as conn:
        transaction = conn.begin()
        try:
            yield conn
        finally:
            transaction.rollback()


@pytest.fixture(scope="session")
def temporal() -> Iterator[TemporalTarget]:
    with temporal_target() as target:
        yield target


def migrated_scratch_database(database: DatabaseTarget, name: str) -> Iterator[dict[str, str]]:
    """A migrated database of its own next to the test database, for tests whose work commits.

    Yields the environment pointing Strata at it; the database is dropped afterwards.
    """
    with scratch_database(database, name) as environment:
        migrate(DatabaseSettings.model_validate(environment))
        yield environment
