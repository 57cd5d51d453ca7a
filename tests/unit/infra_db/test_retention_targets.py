"""The retention declaration: what the defaults, the reconcile SQL and the seed derive from."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql import ClauseElement

from core.retention.policy import RETENTION_SETTING_KEY
from devservers.retention_seed import factory_of
from infra.db.retention.reconcile_sql import render_reconcile_retention_settings_sql
from infra.db.retention.targets import (
    RETENTION_DEFAULTS,
    RETENTION_TARGETS,
    RetentionTargetDeclaration,
)

CUTOFF = datetime(2026, 1, 1, tzinfo=UTC)
TARGETS = pytest.mark.parametrize("target", RETENTION_TARGETS, ids=lambda t: t.name)


def compiled(statement: ClauseElement) -> str:
    text = str(statement.compile(dialect=postgresql.dialect()))
    return " ".join(text.split())


def test_each_logical_name_is_declared_once() -> None:
    names = [target.name for target in RETENTION_TARGETS]
    assert len(names) == len(set(names))


def test_the_defaults_are_the_declared_rules_in_declaration_order() -> None:
    assert list(RETENTION_DEFAULTS.items()) == [(t.name, t.default) for t in RETENTION_TARGETS]


def test_the_reconcile_sql_stores_every_declared_default() -> None:
    stored = re.search(
        rf"VALUES \('{re.escape(RETENTION_SETTING_KEY)}', '(\{{.*\}})'::jsonb",
        render_reconcile_retention_settings_sql(),
    )
    assert stored is not None
    assert json.loads(stored.group(1)) == {
        name: {"enabled": rule.enabled, "retention_days": rule.retention_days}
        for name, rule in RETENTION_DEFAULTS.items()
    }


@TARGETS
def test_a_prune_deletes_one_bounded_batch_skipping_locked_rows(
    target: RetentionTargetDeclaration,
) -> None:
    sql = compiled(target.prune(CUTOFF, 500))
    # The batch is chosen once (a MATERIALIZED CTE), then deleted.
    assert sql.startswith("WITH batch AS MATERIALIZED (SELECT ")
    assert f") DELETE FROM {target.table.name} WHERE " in sql
    assert "LIMIT" in sql
    assert "FOR UPDATE SKIP LOCKED" in sql


@TARGETS
def test_a_count_selects_the_rows_the_prune_would_delete(
    target: RetentionTargetDeclaration,
) -> None:
    prune, count = compiled(target.prune(CUTOFF, 500)), compiled(target.count(CUTOFF))
    # WITH batch AS MATERIALIZED (SELECT id FROM t WHERE <condition> ORDER BY ...
    condition = prune.split(" WHERE ")[1].split(" ORDER BY ")[0]
    assert count.startswith("SELECT count(*)")
    assert condition in count


@TARGETS
def test_the_seed_sample_names_real_columns_and_the_table_has_a_factory(
    target: RetentionTargetDeclaration,
) -> None:
    columns = set(target.table.c.keys())
    for row in target.sample.prunable + target.sample.exempt:
        assert {row.age_column, *row.values, *row.before} <= columns
    assert factory_of(target.table)._table is target.table
