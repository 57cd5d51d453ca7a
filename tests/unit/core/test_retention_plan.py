"""The pure decisions of a retention run, without Temporal or a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.retention.ledger import PrunedBatch, PrunedSoFar, totals_by_target
from core.retention.plan import (
    PruneCallProgress,
    RetentionPolicy,
    TablePruneReport,
    TableStatus,
    after_count,
    after_prune,
    next_pending,
    plan_run,
    reference_time_for,
    summarize,
    with_table,
)
from core.retention.policy import MalformedRetentionEntry, RetentionRule, RetentionSettings

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
RUN = "first-run-id"
TABLES = ("audit_events", "invitations", "domain_events")


def policy(
    rules: dict[str, RetentionRule], malformed: tuple[MalformedRetentionEntry, ...] = ()
) -> RetentionPolicy:
    return RetentionPolicy(known_tables=TABLES, settings=RetentionSettings(rules, malformed))


def by_table(progress):
    return {table.table: table for table in progress.tables}


def test_each_enabled_table_gets_its_cutoff_from_the_one_reference_time():
    progress = plan_run(
        policy({"audit_events": RetentionRule(True, 90), "domain_events": RetentionRule(True, 30)}),
        NOW,
        RUN,
    )
    tables = by_table(progress)
    assert tables["audit_events"].cutoff == NOW - timedelta(days=90)
    assert tables["domain_events"].cutoff == NOW - timedelta(days=30)
    assert tables["audit_events"].status is TableStatus.PENDING
    assert progress.reference_time == NOW


def test_a_disabled_table_is_skipped_with_the_reason_disabled():
    tables = by_table(plan_run(policy({"invitations": RetentionRule(False, 180)}), NOW, RUN))
    assert tables["invitations"].status is TableStatus.SKIPPED
    assert tables["invitations"].reason == "disabled"
    assert tables["invitations"].cutoff is None


def test_a_table_without_an_entry_is_skipped_as_not_configured():
    tables = by_table(plan_run(policy({}), NOW, RUN))
    assert [t.reason for t in tables.values()] == ["not configured"] * 3


def test_a_malformed_entry_skips_its_table_and_keeps_the_reason():
    malformed = (MalformedRetentionEntry("domain_events", "retention_days must be a whole number"),)
    tables = by_table(
        plan_run(policy({"audit_events": RetentionRule(True, 90)}, malformed), NOW, RUN)
    )
    assert tables["domain_events"].status is TableStatus.SKIPPED
    assert tables["domain_events"].reason == "malformed: retention_days must be a whole number"
    assert tables["audit_events"].status is TableStatus.PENDING


def test_a_malformed_whole_setting_skips_every_table():
    malformed = (MalformedRetentionEntry("*", "expected an object of tables, got list"),)
    progress = plan_run(policy({}, malformed), NOW, RUN)
    assert [t.table for t in progress.tables] == list(TABLES)
    assert {t.reason for t in progress.tables} == {
        "malformed: expected an object of tables, got list"
    }


def test_an_entry_for_an_unknown_table_is_reported_after_the_known_ones_and_never_pruned():
    malformed = (MalformedRetentionEntry("sessions", "unknown table"),)
    progress = plan_run(policy({}, malformed), NOW, RUN)
    assert progress.tables[-1].table == "sessions"
    assert progress.tables[-1].status is TableStatus.SKIPPED


def test_a_full_batch_leaves_a_call_going_and_a_short_one_finishes_it():
    full = PruneCallProgress().after_batch(deleted=100, batch_size=100)
    assert not full.done
    short = full.after_batch(deleted=7, batch_size=100)
    assert (short.batches, short.deleted, short.done) == (2, 107, True)


def test_a_table_takes_the_ledger_totals_as_they_are_and_finishes_when_the_call_says_so():
    table = plan_run(policy({"audit_events": RetentionRule(True, 90)}), NOW, RUN).tables[0]
    going = after_prune(table, TablePruneReport(deleted=5_000, batches=5, done=False))
    assert (going.status, going.deleted, going.batches) == (TableStatus.PENDING, 5_000, 5)
    # A retried call reports the run's totals again: they replace, never add.
    done = after_prune(going, TablePruneReport(deleted=5_300, batches=6, done=True))
    assert (done.status, done.deleted, done.batches) == (TableStatus.PRUNED, 5_300, 6)


def test_the_run_key_is_fixed_at_the_start_and_carried_into_the_summary():
    progress = plan_run(policy({}), NOW, RUN)
    assert progress.run_key == RUN
    assert summarize(progress, dry_run=False).run_key == RUN


def test_a_count_finishes_a_table_in_a_dry_run_without_deleting():
    table = plan_run(policy({"audit_events": RetentionRule(True, 90)}), NOW, RUN).tables[0]
    counted = after_count(table, 42)
    assert (counted.status, counted.would_delete, counted.deleted) == (TableStatus.COUNTED, 42, 0)


def test_the_run_works_through_the_pending_tables_in_registry_order():
    progress = plan_run(
        policy({"audit_events": RetentionRule(True, 90), "domain_events": RetentionRule(True, 30)}),
        NOW,
        RUN,
    )
    first = next_pending(progress)
    assert first is not None
    assert first.table == "audit_events"
    progress = with_table(progress, after_prune(first, TablePruneReport(0, 1, done=True)))
    second = next_pending(progress)
    assert second is not None
    assert second.table == "domain_events"
    progress = with_table(progress, after_prune(second, TablePruneReport(3, 1, done=True)))
    assert next_pending(progress) is None
    summary = summarize(progress, dry_run=False)
    assert summary.total_deleted == 3
    assert not summary.dry_run


def test_as_of_can_move_the_reference_time_back_but_never_forward():
    assert reference_time_for(NOW, None) == NOW
    assert reference_time_for(NOW, NOW - timedelta(days=1)) == NOW - timedelta(days=1)
    assert reference_time_for(NOW, NOW + timedelta(days=1)) == NOW


def test_ledger_totals_add_up_rows_and_batches_per_target_in_order_of_appearance():
    def batch(target: str, rows: int) -> PrunedBatch:
        return PrunedBatch(RUN, target, NOW, rows, NOW)

    totals = totals_by_target(
        [batch("invitations", 2), batch("audit_events", 2), batch("invitations", 0)]
    )

    assert list(totals) == ["invitations", "audit_events"]
    assert totals["invitations"] == PrunedSoFar(deleted=2, batches=2)
    assert totals["audit_events"] == PrunedSoFar(deleted=2, batches=1)
