"""System settings: upsert, the retention setting as read by the repository, the reconcile SQL."""

from __future__ import annotations

import pytest
from returns.unsafe import unsafe_perform_io
from sqlalchemy import Connection, Engine, literal_column, select

from core.retention.policy import (
    RETENTION_SETTING_KEY,
    MalformedRetentionEntry,
    RetentionRule,
    RetentionSettings,
)
from infra.db.repositories.retention import SqlRetentionSettingsReader
from infra.db.repositories.system_settings import SqlSystemSettingsRepository
from infra.db.retention.reconcile_sql import (
    RECONCILE_RETENTION_SETTINGS_SQL,
    render_reconcile_retention_settings_sql,
)
from infra.db.retention.targets import RETENTION_DEFAULTS
from infra.db.schema import system_settings
from infra.db.transactions import savepoint_transaction

# xmin moves on any rewrite of the row, even one that leaves every column as it was.
READ_STORED_ROW = select(
    system_settings.c.value, system_settings.c.updated_at, literal_column("xmin::text")
).where(system_settings.c.key == RETENTION_SETTING_KEY)


def value(outcome: object) -> object:
    return unsafe_perform_io(outcome).unwrap()


@pytest.fixture
def owner_connection(owner_engine: Engine) -> Connection:
    with owner_engine.connect() as conn:
        transaction = conn.begin()
        yield conn
        transaction.rollback()


def retention_settings(connection: Connection) -> RetentionSettings:
    reader = SqlRetentionSettingsReader(savepoint_transaction(connection))
    settings = value(reader.get_retention_settings())
    assert isinstance(settings, RetentionSettings)
    return settings


def stored_retention(connection: Connection) -> object:
    statement = select(system_settings.c.value).where(
        system_settings.c.key == RETENTION_SETTING_KEY
    )
    return connection.execute(statement).scalar_one_or_none()


def test_upsert_inserts_then_replaces_the_value_and_keeps_the_description(
    connection: Connection,
) -> None:
    settings = SqlSystemSettingsRepository(connection)
    settings.upsert("feature.flags", {"beta": True}, "toggles")
    replaced = value(settings.upsert("feature.flags", {"beta": False}))
    assert (replaced.value, replaced.description) == ({"beta": False}, "toggles")
    assert value(settings.get("feature.flags")) == replaced


def test_a_malformed_retention_entry_is_reported_and_the_good_ones_returned(
    connection: Connection,
) -> None:
    SqlSystemSettingsRepository(connection).upsert(RETENTION_SETTING_KEY, {
        "audit_events": {"enabled": True, "retention_days": 0},
        "invitations": {"enabled": True, "retention_days": 180},
        "sessions": {"enabled": True, "retention_days": 5},
    })  # fmt: skip
    settings = retention_settings(connection)
    assert settings.rules == {"invitations": RetentionRule(True, 180)}
    assert {entry.table for entry in settings.malformed} == {"audit_events", "sessions"}


def test_a_retention_setting_stored_as_json_null_is_reported_not_ignored(
    connection: Connection,
) -> None:
    SqlSystemSettingsRepository(connection).upsert(RETENTION_SETTING_KEY, None)
    settings = retention_settings(connection)
    assert settings.rules == {}
    assert settings.malformed[0] == MalformedRetentionEntry(
        "*", "expected an object of tables, got null"
    )


def test_the_reconcile_sql_adds_missing_entries_and_keeps_an_operator_change(
    owner_connection: Connection,
) -> None:
    reconcile = render_reconcile_retention_settings_sql()
    owner_connection.execute(
        system_settings.delete().where(system_settings.c.key == RETENTION_SETTING_KEY)
    )
    owner_connection.exec_driver_sql(reconcile)
    operator_value = {"audit_events": {"enabled": False, "retention_days": 7}}
    owner_connection.execute(
        system_settings.update()
        .where(system_settings.c.key == RETENTION_SETTING_KEY)
        .values(value=operator_value)
    )
    owner_connection.exec_driver_sql(reconcile)
    reconciled = stored_retention(owner_connection)
    assert reconciled["audit_events"] == {"enabled": False, "retention_days": 7}
    assert set(reconciled) == set(RETENTION_DEFAULTS)


def test_applying_the_reconcile_sql_twice_changes_nothing(owner_connection: Connection) -> None:
    reconcile = render_reconcile_retention_settings_sql()
    owner_connection.exec_driver_sql(reconcile)
    first = owner_connection.execute(READ_STORED_ROW).one()
    owner_connection.exec_driver_sql(reconcile)
    second = owner_connection.execute(READ_STORED_ROW).one()
    assert tuple(first) == tuple(second)


def test_the_committed_reconcile_sql_is_what_the_defaults_render() -> None:
    committed = RECONCILE_RETENTION_SETTINGS_SQL.read_text(encoding="utf-8")
    assert committed == render_reconcile_retention_settings_sql()
