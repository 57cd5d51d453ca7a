"""The bench's pure helpers: which columns copies vary, moving a row in time, the p99."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table, Text, UniqueConstraint, Uuid

from devservers.bench.latency import p99
from devservers.bench.seeding import TemplateRow, columns_to_vary
from infra.db.retention.targets import RETENTION_TARGETS, RetentionTargetDeclaration
from infra.db.schema import domain_events, invitations


@pytest.mark.parametrize("target", RETENTION_TARGETS, ids=lambda target: target.name)
def test_every_retention_target_can_be_copied_with_a_fresh_primary_key(
    target: RetentionTargetDeclaration,
) -> None:
    assert "id" in columns_to_vary(target.table)


def test_copies_of_invitations_vary_the_token_and_the_email_not_the_organization() -> None:
    assert columns_to_vary(invitations) == {"id", "token_hash", "email"}


def test_copies_of_domain_events_each_start_a_stream_of_their_own() -> None:
    assert columns_to_vary(domain_events) == {"id", "aggregate_id"}


def test_a_unique_key_made_only_of_foreign_keys_cannot_be_copied() -> None:
    metadata = MetaData()
    Table("parent", metadata, Column("id", Integer, primary_key=True))
    child = Table(
        "child",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("parent_id", Integer, ForeignKey("parent.id")),
        Column("note", Text),
        UniqueConstraint("parent_id"),
    )

    with pytest.raises(ValueError, match="parent_id"):
        columns_to_vary(child)


def test_a_shifted_row_moves_every_timestamp_and_keeps_other_values() -> None:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    row = TemplateRow(invitations, {"created_at": at, "expires_at": at + timedelta(days=7),
                                    "email": "a@b.c"}, "created_at")  # fmt: skip

    moved = row.shifted(timedelta(days=400))

    assert moved.values["created_at"] == at + timedelta(days=400)
    assert moved.values["expires_at"] == at + timedelta(days=407)
    assert moved.values["email"] == "a@b.c"


def test_the_p99_of_fewer_than_a_hundred_samples_is_the_largest() -> None:
    assert p99([0.001, 0.002, 0.5]) == 0.5


def test_the_p99_of_many_samples_ignores_the_single_worst() -> None:
    samples = [0.001] * 199 + [9.0]

    assert p99(samples) < 9.0
