"""Data-layer fixtures: a fixed clock, and a unit of work inside the test's transaction."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, Engine, create_engine, delete

from devservers.stack import DatabaseTarget
from infra.db.provider import SqlUnitOfWork
from infra.db.schema import domain_events
from tests.conftest import migrated_scratch_database

OUTBOX_DATABASE = "strata_outbox_test"


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current


@pytest.fixture
def clock() -> FixedClock:
    # Rows also get server timestamps (created_at), so the clock must agree with the server.
    return FixedClock(datetime.now(UTC))


@pytest.fixture(scope="session")
def outbox_database(database: DatabaseTarget) -> Iterator[dict[str, str]]:
    """A scratch database for the outbox tests: their claims and status reads see whole
    tables and commit, which the rolled-back test transaction cannot give them."""
    yield from migrated_scratch_database(database, OUTBOX_DATABASE)


@pytest.fixture(scope="session")
def outbox_engine(outbox_database: dict[str, str]) -> Iterator[Engine]:
    engine = create_engine(outbox_database["DATABASE_URL"], pool_size=4)
    yield engine
    engine.dispose()


@pytest.fixture
def empty_outbox(outbox_engine: Engine) -> None:
    with outbox_engine.begin() as connection:
        connection.execute(delete(domain_events))


@pytest.fixture
def uow(connection: Connection) -> SqlUnitOfWork:
    """Each unit runs in a savepoint of the test's transaction, which is rolled back after."""
    return SqlUnitOfWork.in_savepoints(connection)
