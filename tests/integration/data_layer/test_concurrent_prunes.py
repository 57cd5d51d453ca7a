"""Two prunes at once share the expired rows: no deadlock, no row counted twice, none left.

The rows are committed (each prune needs its own connection), dated decades
before anything else in the database so no other test's rows qualify.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import factory.random
import pytest
from returns.unsafe import unsafe_perform_io
from sqlalchemy import Engine, delete, func, select

from infra.db.factories import AuthAuditEventsFactory
from infra.db.repositories.retention import retention_targets
from infra.db.schema import auth_audit_events

ROWS = 2_000
LONG_AGO = datetime(1980, 1, 1, tzinfo=UTC)
CUTOFF = datetime(1990, 1, 1, tzinfo=UTC)


@pytest.fixture
def ancient_audit_events(runtime_engine: Engine) -> Iterator[None]:
    factory.random.reseed_random(1980)
    with runtime_engine.begin() as connection:
        AuthAuditEventsFactory.create_batch(ROWS, connection=connection, created_at=LONG_AGO)
    yield
    with runtime_engine.begin() as connection:
        connection.execute(delete(auth_audit_events).where(auth_audit_events.c.created_at < CUTOFF))


def test_two_concurrent_prunes_delete_every_expired_row_exactly_once(
    runtime_engine: Engine, ancient_audit_events: None
) -> None:
    target = retention_targets(runtime_engine)["audit_events"]

    def prune_until_empty(prune: int) -> int:
        deleted = 0
        while batch := unsafe_perform_io(target.prune_batch(CUTOFF, 50, f"prune-{prune}")).unwrap():
            deleted += batch
        return deleted

    with ThreadPoolExecutor(max_workers=2) as pool:
        per_prune = list(pool.map(prune_until_empty, range(2)))
    with runtime_engine.connect() as connection:
        left = connection.execute(
            select(func.count()).where(auth_audit_events.c.created_at < CUTOFF)
        ).scalar_one()
    assert (sum(per_prune), left) == (ROWS, 0)
    assert unsafe_perform_io(target.count_expired(CUTOFF)).unwrap() == 0
