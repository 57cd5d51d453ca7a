"""Workflow tests: a real Temporal dev server and a scratch PostgreSQL database of their own.

Retention runs commit their deletes, so they get a database nobody else's
per-test rollback relies on; every test starts from empty prunable tables and
no retention setting, and gets a fresh task queue.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, delete
from sqlalchemy.pool import NullPool

from devservers.stack import DatabaseTarget, TemporalTarget
from infra.db.schema import (
    auth_audit_events,
    domain_events,
    idempotency_keys,
    invitations,
    organizations,
    processed_events,
    retention_prune_batches,
    system_settings,
    users,
)
from tests.conftest import migrated_scratch_database
from tests.workflows.harness import RetentionStack

SCRATCH_DATABASE = "strata_workflows_test"


@pytest.fixture(scope="session")
def retention_database(database: DatabaseTarget) -> Iterator[dict[str, str]]:
    yield from migrated_scratch_database(database, SCRATCH_DATABASE)


@pytest.fixture(scope="session")
def scratch_owner(retention_database: dict[str, str]) -> Iterator[Engine]:
    engine = create_engine(retention_database["MIGRATION_DATABASE_URL"], poolclass=NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def stack(
    retention_database: dict[str, str], scratch_owner: Engine, temporal: TemporalTarget
) -> RetentionStack:
    """Empty prunable tables and ledger, no retention setting, a task queue of this test's own."""
    with scratch_owner.begin() as connection:
        for table in (
            auth_audit_events, domain_events, idempotency_keys, invitations, users, organizations,
            retention_prune_batches, processed_events,
        ):  # fmt: skip
            connection.execute(delete(table))
        connection.execute(delete(system_settings))
    return RetentionStack(
        environment={
            **retention_database,
            **temporal.environment,
            "TEMPORAL_TASK_QUEUE": f"strata-test-{uuid.uuid4()}",
            "RETENTION_SCHEDULE_ID": f"strata-test-schedule-{uuid.uuid4()}",
        },
        owner=scratch_owner,
    )
