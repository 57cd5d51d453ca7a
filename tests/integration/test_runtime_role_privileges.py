"""The application's database role reads and writes rows and can do nothing else."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import ProgrammingError

from infra.db.roles import OWNER_ROLE, RUNTIME_ROLE

INSUFFICIENT_PRIVILEGE = "42501"

REFUSED_STATEMENTS = [
    "CREATE TABLE runtime_may_not_create (id int)",
    "CREATE TEMPORARY TABLE runtime_may_not_create_temporary (id int)",
    "DROP TABLE organizations",
    "TRUNCATE organizations",
    "ALTER TABLE organizations ADD COLUMN extra text",
    "ALTER TABLE organizations DISABLE TRIGGER organizations_set_updated_at",
    "ALTER TABLE invitations DISABLE TRIGGER ALL",
    "CREATE INDEX runtime_may_not_index ON users (display_name)",
    "DROP FUNCTION set_updated_at()",
]


def test_the_application_connects_as_the_runtime_role(connection: Connection) -> None:
    assert connection.execute(text("SELECT current_user")).scalar_one() == RUNTIME_ROLE


@pytest.mark.parametrize("statement", REFUSED_STATEMENTS)
def test_the_runtime_role_is_refused_ddl_truncate_and_trigger_changes(
    connection: Connection, statement: str
) -> None:
    # The savepoint keeps the test's transaction usable after the refusal.
    with pytest.raises(ProgrammingError) as refused, connection.begin_nested():
        connection.execute(text(statement))
    assert getattr(refused.value.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE


def test_the_runtime_role_can_insert_update_and_delete_rows(connection: Connection) -> None:
    organization_id = connection.execute(
        text(
            "INSERT INTO organizations (name, billing_email) "
            "VALUES ('Acme', 'billing@acme.test') RETURNING id"
        )
    ).scalar_one()
    updated = connection.execute(
        text("UPDATE organizations SET name = 'Acme Ltd' WHERE id = :id"), {"id": organization_id}
    )
    deleted = connection.execute(
        text("DELETE FROM organizations WHERE id = :id"), {"id": organization_id}
    )
    assert (updated.rowcount, deleted.rowcount) == (1, 1)


def test_every_table_is_owned_by_the_migration_owner(connection: Connection) -> None:
    owners = connection.execute(
        text("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")
    ).scalars()
    assert set(owners) == {OWNER_ROLE}
