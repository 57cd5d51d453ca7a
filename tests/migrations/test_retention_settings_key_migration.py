"""Revision 0010 moves the retention policy to `retention_settings`; its downgrade moves it back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pytest_alembic import MigrationContext
from returns.unsafe import unsafe_perform_io
from sqlalchemy import Engine, select

from core.retention.policy import RETENTION_SETTING_KEY, RetentionRule
from infra.db.repositories.retention import SqlRetentionSettingsReader
from infra.db.retention.reconcile_sql import render_reconcile_retention_settings_sql
from infra.db.retention.targets import RETENTION_DEFAULTS
from infra.db.schema import system_settings

KEY_MOVE = "0010"
OLD_KEY = "retention"  # what revisions before 0010 read; history, so written out here
OPERATOR_VALUE = {
    "audit_events": {"enabled": False, "retention_days": 7},
    "invitations": {"enabled": True, "retention_days": 365},
}
EDITED_AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def stored(engine: Engine) -> dict[str, dict[str, Any]]:
    columns = system_settings.c
    statement = select(columns.key, columns.value, columns.description, columns.updated_at)
    with engine.connect() as connection:
        return {
            row.key: {"value": row.value, "description": row.description, "at": row.updated_at}
            for row in connection.execute(statement)
            if row.key in (OLD_KEY, RETENTION_SETTING_KEY)
        }


def rules_in_force(engine: Engine) -> dict[str, RetentionRule]:
    reader = SqlRetentionSettingsReader.on_engine(engine)
    settings = unsafe_perform_io(reader.get_retention_settings()).unwrap()
    return dict(settings.rules)


def test_an_operators_retention_entry_is_in_force_under_the_new_key_after_the_upgrade(
    alembic_runner: MigrationContext, alembic_engine: Engine
) -> None:
    alembic_runner.migrate_up_before(KEY_MOVE)
    alembic_runner.insert_into("system_settings", [
        {"key": OLD_KEY, "value": OPERATOR_VALUE, "description": "edited by ops",
         "updated_at": EDITED_AT},
    ])  # fmt: skip
    alembic_runner.migrate_up_one()
    assert stored(alembic_engine) == {
        RETENTION_SETTING_KEY: {"value": OPERATOR_VALUE, "description": "edited by ops",
                                "at": EDITED_AT},
    }  # fmt: skip
    assert rules_in_force(alembic_engine) == {
        "audit_events": RetentionRule(False, 7),
        "invitations": RetentionRule(True, 365),
    }


def test_when_defaults_were_applied_first_the_operators_entries_win_and_the_rest_are_kept(
    alembic_runner: MigrationContext, alembic_engine: Engine
) -> None:
    # `strata db schemas apply` of the new code ran before the migration did.
    alembic_runner.migrate_up_before(KEY_MOVE)
    alembic_runner.insert_into("system_settings", [{"key": OLD_KEY, "value": OPERATOR_VALUE}])
    with alembic_engine.begin() as connection:
        connection.exec_driver_sql(render_reconcile_retention_settings_sql())
    alembic_runner.migrate_up_one()
    value = stored(alembic_engine)[RETENTION_SETTING_KEY]["value"]
    assert OLD_KEY not in stored(alembic_engine)
    assert set(value) == set(RETENTION_DEFAULTS)
    assert {name: value[name] for name in OPERATOR_VALUE} == OPERATOR_VALUE
    default = RETENTION_DEFAULTS["domain_events"]
    assert value["domain_events"] == {
        "enabled": default.enabled,
        "retention_days": default.retention_days,
    }


def test_a_non_object_value_the_operator_wrote_replaces_the_defaults_whole(
    alembic_runner: MigrationContext, alembic_engine: Engine
) -> None:
    alembic_runner.migrate_up_before(KEY_MOVE)
    alembic_runner.insert_into("system_settings", [{"key": OLD_KEY, "value": "disabled by hand"}])
    with alembic_engine.begin() as connection:
        connection.exec_driver_sql(render_reconcile_retention_settings_sql())
    alembic_runner.migrate_up_one()
    assert stored(alembic_engine)[RETENTION_SETTING_KEY]["value"] == "disabled by hand"


def test_the_downgrade_moves_the_operators_value_back_to_the_old_key(
    alembic_runner: MigrationContext, alembic_engine: Engine
) -> None:
    alembic_runner.migrate_up_before(KEY_MOVE)
    alembic_runner.insert_into("system_settings", [
        {"key": OLD_KEY, "value": OPERATOR_VALUE, "description": "edited by ops",
         "updated_at": EDITED_AT},
    ])  # fmt: skip
    alembic_runner.migrate_up_one()
    alembic_runner.migrate_down_one()
    assert stored(alembic_engine) == {
        OLD_KEY: {"value": OPERATOR_VALUE, "description": "edited by ops", "at": EDITED_AT},
    }


def test_without_a_retention_setting_the_upgrade_and_downgrade_write_nothing(
    alembic_runner: MigrationContext, alembic_engine: Engine
) -> None:
    alembic_runner.migrate_up_to(KEY_MOVE)
    assert stored(alembic_engine) == {}
    alembic_runner.migrate_down_one()
    assert stored(alembic_engine) == {}
