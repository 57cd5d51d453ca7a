"""RetentionPruneWorkflow on a real Temporal dev server against a real PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from core.retention.plan import RetentionRunSummary, TableProgress, TableStatus
from devservers.retention_seed import PRUNABLE_TABLES, SeededRows, seed_retention_sample
from infra.db.retention.targets import RETENTION_TARGETS
from tests.workflows.harness import RetentionStack

# Every target at its default days (90, 180, 30, …): a new target is seeded, pruned and
# checked like the others instead of being left out of `seed_retention_sample`.
# Every declared target but the ledger: a run writes its own ledger entries while it
# prunes, so the ledger's survivors are never just the seeded ones (and its entries
# are what the tests read back to count batches).
SELF_WRITTEN_TARGETS = {"retention_ledger"}
DAYS = {
    target.name: target.default.retention_days
    for target in RETENTION_TARGETS
    if target.name not in SELF_WRITTEN_TARGETS
}
ALL_ENABLED = {name: {"enabled": True, "retention_days": days} for name, days in DAYS.items()}


def reference_time() -> datetime:
    # Whole seconds in the past: the run's cutoffs are exactly one second from the rows.
    return datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)


def seed(stack: RetentionStack, as_of: datetime, per_side: int = 1) -> SeededRows:
    with stack.owner.begin() as connection:
        return seed_retention_sample(connection, as_of, DAYS, per_side=per_side)


def tables(summary: RetentionRunSummary) -> dict[str, TableProgress]:
    return {table.table: table for table in summary.tables}


def assert_survivors_are_exactly(stack: RetentionStack, expected: SeededRows) -> None:
    for name in DAYS:
        assert stack.ids(PRUNABLE_TABLES[name]) == expected.kept[name], name


def test_a_run_deletes_exactly_the_rows_older_than_each_cutoff(stack: RetentionStack):
    as_of = reference_time()
    seeded = seed(stack, as_of)
    stack.set_retention(ALL_ENABLED)

    summary = asyncio.run(stack.run(as_of=as_of, batch_size=2))

    assert_survivors_are_exactly(stack, seeded)
    for name, days in DAYS.items():
        table = tables(summary)[name]
        assert table.status is TableStatus.PRUNED
        assert table.cutoff == as_of - timedelta(days=days)
        assert table.deleted == len(seeded.expired[name])
        assert table.batches == table.deleted // 2 + 1


def test_disabled_and_malformed_entries_skip_their_tables_with_the_reason(
    stack: RetentionStack,
):
    as_of = reference_time()
    seeded = seed(stack, as_of)
    stack.set_retention(
        {
            "audit_events": {"enabled": False, "retention_days": 90},
            "invitations": {"enabled": True, "retention_days": "180"},
            "domain_events": {"enabled": True, "retention_days": 30},
            "sessions": {"enabled": True, "retention_days": 1},
        }
    )

    summary = tables(asyncio.run(stack.run(as_of=as_of)))

    assert summary["audit_events"].reason == "disabled"
    assert summary["invitations"].status is TableStatus.SKIPPED
    assert (summary["invitations"].reason or "").startswith("malformed: retention_days")
    assert (summary["sessions"].reason or "").startswith("malformed: unknown table")
    assert summary["domain_events"].deleted == len(seeded.expired["domain_events"])
    assert stack.ids(PRUNABLE_TABLES["audit_events"]) == seeded.all_ids("audit_events")
    assert stack.ids(PRUNABLE_TABLES["invitations"]) == seeded.all_ids("invitations")
    assert stack.ids(PRUNABLE_TABLES["domain_events"]) == seeded.kept["domain_events"]


def test_a_missing_retention_setting_prunes_nothing(stack: RetentionStack):
    as_of = reference_time()
    seeded = seed(stack, as_of)

    summary = asyncio.run(stack.run(as_of=as_of))

    assert {table.reason for table in summary.tables} == {"not configured"}
    assert summary.total_deleted == 0
    for name in DAYS:
        assert stack.ids(PRUNABLE_TABLES[name]) == seeded.all_ids(name)


def test_a_dry_run_reports_exactly_what_the_real_run_then_deletes(stack: RetentionStack):
    as_of = reference_time()
    seeded = seed(stack, as_of, per_side=3)
    stack.set_retention(ALL_ENABLED)

    dry_run = asyncio.run(stack.run(as_of=as_of, dry_run=True))
    dry = tables(dry_run)
    for name in DAYS:
        assert stack.ids(PRUNABLE_TABLES[name]) == seeded.all_ids(name), "a dry run deletes nothing"
    assert stack.ledger(dry_run.run_key) == [], "and records nothing"
    real = tables(asyncio.run(stack.run(as_of=as_of, batch_size=4)))

    for name in DAYS:
        assert dry[name].status is TableStatus.COUNTED
        assert dry[name].would_delete == real[name].deleted == len(seeded.expired[name])
    assert_survivors_are_exactly(stack, seeded)


def test_a_long_run_continues_as_new_and_keeps_its_cutoffs(stack: RetentionStack):
    as_of = reference_time()
    seeded = seed(stack, as_of, per_side=4)
    stack.set_retention(ALL_ENABLED)

    # A limit every run reaches after its first step: one table per run, since one activity
    # call prunes a small table whole.
    summary = asyncio.run(stack.run(as_of=as_of, batch_size=1, max_history_events=1))

    assert summary.continuations >= 2
    for name, days in DAYS.items():
        assert tables(summary)[name].cutoff == as_of - timedelta(days=days)
        assert tables(summary)[name].deleted == len(seeded.expired[name])
    assert_survivors_are_exactly(stack, seeded)


def test_two_runs_at_once_delete_every_expired_row_exactly_once(stack: RetentionStack):
    as_of = reference_time()
    seeded = seed(stack, as_of, per_side=5)
    stack.set_retention(ALL_ENABLED)

    async def two_runs() -> list[RetentionRunSummary]:
        client = await stack.client()
        async with stack.worker(client):
            handles = [await stack.start(client, as_of=as_of, batch_size=2) for _ in range(2)]
            return list(await asyncio.gather(*(handle.result() for handle in handles)))

    first, second = asyncio.run(two_runs())

    for name in DAYS:
        deleted = tables(first)[name].deleted + tables(second)[name].deleted
        assert deleted == len(seeded.expired[name])
    assert_survivors_are_exactly(stack, seeded)
