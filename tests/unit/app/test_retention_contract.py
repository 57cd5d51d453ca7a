"""Core's retention types cross Temporal's default JSON data converter unchanged.

The workflow and its activities exchange `core.retention` types as they are;
this is the round trip every activity result and continue-as-new input makes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TypeVar

from temporalio.converter import DataConverter

from app.retention.contract import PruneTableInput, RetentionPruneInput
from core.retention.plan import (
    RetentionPolicy,
    RetentionProgress,
    RetentionRunSummary,
    TableProgress,
    TablePruneReport,
    TableStatus,
)
from core.retention.policy import MalformedRetentionEntry, RetentionRule, RetentionSettings

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
T = TypeVar("T")


def round_trip(value: T, as_type: type[T]) -> T:
    converter = DataConverter.default.payload_converter
    [payload] = converter.to_payloads([value])
    [decoded] = converter.from_payloads([payload], [as_type])
    return decoded


def test_a_policy_comes_back_equal_with_its_rules_mapping_and_malformed_tuple():
    policy = RetentionPolicy(
        known_tables=("audit_events", "invitations"),
        settings=RetentionSettings(
            rules={"audit_events": RetentionRule(True, 90), "invitations": RetentionRule(False, 1)},
            malformed=(MalformedRetentionEntry("*", "expected an object of tables, got list"),),
        ),
    )
    decoded = round_trip(policy, RetentionPolicy)
    assert decoded == policy
    assert isinstance(decoded.settings.rules["audit_events"], RetentionRule)
    assert decoded.settings.rules["audit_events"].cutoff(NOW) == NOW - timedelta(days=90)
    assert isinstance(decoded.settings.malformed, tuple)


def test_a_continued_input_keeps_its_cutoffs_to_the_microsecond():
    cutoff = NOW - timedelta(days=30, microseconds=7)
    progress = RetentionProgress(
        reference_time=NOW,
        tables=[
            TableProgress("domain_events", TableStatus.PENDING, cutoff=cutoff, deleted=4),
            TableProgress("invitations", TableStatus.SKIPPED, reason="disabled"),
        ],
        run_key="first-run-id",
        continuations=2,
    )
    request = RetentionPruneInput(batch_size=2, as_of=NOW, progress=progress)
    decoded = round_trip(request, RetentionPruneInput)
    assert decoded == request
    assert decoded.progress is not None
    assert decoded.progress.tables[0].status is TableStatus.PENDING
    assert decoded.progress.tables[0].cutoff == cutoff


def test_a_summary_a_prune_input_and_its_report_come_back_equal():
    summary = RetentionRunSummary(
        dry_run=True,
        reference_time=NOW,
        tables=[TableProgress("audit_events", TableStatus.COUNTED, cutoff=NOW, would_delete=3)],
        run_key="first-run-id",
    )
    assert round_trip(summary, RetentionRunSummary) == summary
    prune = PruneTableInput("first-run-id", "audit_events", NOW, 1_000)
    assert round_trip(prune, PruneTableInput) == prune
    report = TablePruneReport(deleted=4_200, batches=5, done=True)
    assert round_trip(report, TablePruneReport) == report
