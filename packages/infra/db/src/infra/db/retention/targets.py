"""The retention targets, each declared once: the one source of truth of retention.

The defaults below, the generated `reconcile_retention_settings.sql`, the
repository's RetentionTarget adapters and the demo seed are all derived from
RETENTION_TARGETS. Adding a target: its statements in `statements.py`, one
declaration here, then `strata db schemas generate`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from sqlalchemy import Delete, Select, Table

from core.retention.policy import RetentionRule
from infra.db.retention.statements import (
    count_audit_events,
    count_completed_domain_events,
    count_idempotency_keys,
    count_processed_events,
    count_retention_ledger,
    count_terminal_invitations,
    prune_audit_events,
    prune_completed_domain_events,
    prune_idempotency_keys,
    prune_processed_events,
    prune_retention_ledger,
    prune_terminal_invitations,
)
from infra.db.schema import (
    auth_audit_events,
    domain_events,
    idempotency_keys,
    invitations,
    processed_events,
    retention_prune_batches,
)

PruneStatement = Callable[[datetime, int], Delete]
CountStatement = Callable[[datetime], Select[int]]


@dataclass(frozen=True)
class AgedRow:
    """A row the seed makes with the table's factory, placed in time by one timestamp column.

    `values` are the other columns it sets (a status, say); `before` lists the
    timestamp columns that must come earlier, which the seed sets far in the past.
    """

    age_column: str
    values: Mapping[str, object] = field(default_factory=dict)
    before: tuple[str, ...] = ()


@dataclass(frozen=True)
class RetentionSample:
    """What the demo seed makes of a target: rows a prune may take, rows it must never take."""

    prunable: tuple[AgedRow, ...]
    exempt: tuple[AgedRow, ...] = ()


@dataclass(frozen=True)
class RetentionTargetDeclaration:
    """One prunable table: its logical name, statements, default rule and seed sample."""

    name: str
    table: Table
    prune: PruneStatement
    count: CountStatement
    default: RetentionRule
    sample: RetentionSample


RETENTION_TARGETS: Final[tuple[RetentionTargetDeclaration, ...]] = (
    RetentionTargetDeclaration(
        name="audit_events",
        table=auth_audit_events,
        prune=prune_audit_events,
        count=count_audit_events,
        default=RetentionRule(enabled=True, retention_days=90),
        sample=RetentionSample(prunable=(AgedRow("created_at"),)),
    ),
    RetentionTargetDeclaration(
        name="invitations",
        table=invitations,
        prune=prune_terminal_invitations,
        count=count_terminal_invitations,
        default=RetentionRule(enabled=True, retention_days=180),
        sample=RetentionSample(
            prunable=tuple(
                AgedRow("created_at", {"status": status})
                for status in ("accepted", "revoked", "expired")
            ),
            exempt=(AgedRow("created_at", {"status": "pending"}),),
        ),
    ),
    RetentionTargetDeclaration(
        name="domain_events",
        table=domain_events,
        prune=prune_completed_domain_events,
        count=count_completed_domain_events,
        default=RetentionRule(enabled=True, retention_days=30),
        # Completed events age from their completion: created long before it on purpose.
        sample=RetentionSample(
            prunable=(
                AgedRow("published_at", {"status": "published"}, before=("occurred_at",)),
                AgedRow("failed_at", {"status": "failed"}, before=("occurred_at",)),
            ),
            exempt=(
                AgedRow("occurred_at", {"status": "pending"}),
                AgedRow("occurred_at", {"status": "processing"}),
            ),
        ),
    ),
    RetentionTargetDeclaration(
        name="retention_ledger",
        table=retention_prune_batches,
        prune=prune_retention_ledger,
        count=count_retention_ledger,
        # A year of "what did retention delete, and when": one small row per thousand rows.
        default=RetentionRule(enabled=True, retention_days=365),
        sample=RetentionSample(prunable=(AgedRow("recorded_at"),)),
    ),
    RetentionTargetDeclaration(
        name="idempotency_keys",
        table=idempotency_keys,
        prune=prune_idempotency_keys,
        count=count_idempotency_keys,
        # Long enough for any client's retries of one request, short enough to stay small.
        default=RetentionRule(enabled=True, retention_days=7),
        sample=RetentionSample(prunable=(AgedRow("created_at"),)),
    ),
    RetentionTargetDeclaration(
        name="processed_events",
        table=processed_events,
        prune=prune_processed_events,
        count=count_processed_events,
        # A record outlives any redelivery of its event: an event is redelivered only until
        # it is published or dead-lettered, and the relay does that within minutes.
        default=RetentionRule(enabled=True, retention_days=30),
        sample=RetentionSample(prunable=(AgedRow("processed_at"),)),
    ),
)

RETENTION_DEFAULTS: Final[Mapping[str, RetentionRule]] = {
    target.name: target.default for target in RETENTION_TARGETS
}
