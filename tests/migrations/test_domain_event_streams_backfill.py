"""Revision 0006 gives every aggregate that already has events its stream, at its last number."""

from __future__ import annotations

from uuid import UUID, uuid4

from pytest_alembic import MigrationContext
from sqlalchemy import Engine, select

from infra.db.schema import domain_event_streams

STREAMS_REVISION = "0006"


def event(aggregate_id: UUID, sequence_number: int) -> dict[str, object]:
    return {
        "event_type": "organization.created",
        "aggregate_type": "organization",
        "aggregate_id": aggregate_id,
        "sequence_number": sequence_number,
        "payload": {"organization_id": str(aggregate_id), "name": "Acme",
                    "billing_email": "billing@acme.test"},
        "occurred_at": "2026-01-01T00:00:00+00:00",
    }  # fmt: skip


def test_existing_streams_start_at_their_highest_sequence_number(
    alembic_runner: MigrationContext, alembic_engine: Engine
) -> None:
    # Retention may already have pruned a stream's first events: the highest number counts.
    pruned_early, single = uuid4(), uuid4()
    alembic_runner.migrate_up_before(STREAMS_REVISION)
    alembic_runner.insert_into(
        "domain_events", [event(pruned_early, 4), event(pruned_early, 5), event(single, 1)]
    )
    alembic_runner.migrate_up_one()
    statement = select(domain_event_streams.c.aggregate_id, domain_event_streams.c.version)
    with alembic_engine.connect() as connection:
        streams = {row.aggregate_id: row.version for row in connection.execute(statement)}
    assert streams == {pruned_early: 5, single: 1}


def test_the_downgrade_leaves_the_events_and_drops_the_streams(
    alembic_runner: MigrationContext, alembic_engine: Engine
) -> None:
    aggregate_id = uuid4()
    alembic_runner.migrate_up_before(STREAMS_REVISION)
    alembic_runner.insert_into("domain_events", [event(aggregate_id, 1)])
    alembic_runner.migrate_up_one()
    alembic_runner.migrate_down_one()
    with alembic_engine.connect() as connection:
        tables = set(alembic_engine.dialect.get_table_names(connection))
    assert "domain_event_streams" not in tables
    assert "domain_events" in tables
