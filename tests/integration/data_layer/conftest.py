"""Data-layer fixtures: a fixed clock, and a unit of work inside the test's transaction."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection

from infra.db.provider import SqlUnitOfWork


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current


@pytest.fixture
def clock() -> FixedClock:
    # Rows also get server timestamps (created_at), so the clock must agree with the server.
    return FixedClock(datetime.now(UTC))


@pytest.fixture
def uow(connection: Connection) -> SqlUnitOfWork:
    """Each unit runs in a savepoint of the test's transaction, which is rolled back after."""
    return SqlUnitOfWork.in_savepoints(connection)
