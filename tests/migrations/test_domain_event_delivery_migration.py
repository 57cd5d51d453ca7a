"""Revision 0008 backfills the delivery state of existing events, and its downgrade undoes it."""

from __future__ import annotations

from typing import Any

from pytest_alembic import MigrationContext
from sqlalchemy import Engine, text

DELIVERY = "0008"
INSERT_EVENT = text(
    "INSERT INTO domain_events (event_type, aggregate_type, aggregate_id, sequence_number, "
    "payload, status, attempts, occurred_at) "
    "VALUES ('organization.created', 'organization', gen_random_uuid(), 1, '{}', "
    ":status, :attempts, now())"
)
READ_DELIVERY = text(
    "SELECT status::text AS status, available_at <= now() AS available, "
    "locked_until <= now() AS lease_over FROM domain_events ORDER BY status"
)
PLAIN_REQUEUE = text("UPDATE domain_events SET status = 'pending' WHERE status = 'failed'")


def rows(engine: Engine, statement: Any) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(statement).mappings()]


def test_existing_events_become_available_and_a_processing_one_gets_a_lease_already_over(
    alembic_runner: MigrationContext, alembic_engine: Engine
) -> None:
    alembic_runner.migrate_up_before(DELIVERY)
    with alembic_engine.begin() as connection:
        connection.execute(INSERT_EVENT, {"status": "pending", "attempts": 0})
        connection.execute(INSERT_EVENT, {"status": "processing", "attempts": 1})
    alembic_runner.migrate_up_one()
    assert rows(alembic_engine, READ_DELIVERY) == [
        {"status": "pending", "available": True, "lease_over": None},
        {"status": "processing", "available": True, "lease_over": True},
    ]


def test_the_downgrade_drops_the_delivery_columns_and_restores_the_previous_guard(
    alembic_runner: MigrationContext, alembic_engine: Engine
) -> None:
    alembic_runner.migrate_up_to(DELIVERY)
    alembic_runner.migrate_down_one()
    columns = text(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'domain_events' AND column_name IN "
        "('available_at', 'locked_until', 'last_error')"
    )
    assert rows(alembic_engine, columns) == []
    with alembic_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO domain_events (event_type, aggregate_type, aggregate_id, "
                "sequence_number, payload, status, attempts, occurred_at, failed_at, "
                "failure_reason) VALUES ('organization.created', 'organization', "
                "gen_random_uuid(), 1, '{}', 'failed', 1, now(), now(), 'x')"
            )
        )
        # Before 0008 the guard let any UPDATE requeue a failed event.
        assert connection.execute(PLAIN_REQUEUE).rowcount == 1
