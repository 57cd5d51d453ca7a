"""The prune rows of every retention target: linearity in the backlog, and batched vs bulk.

Both prune through the target's RetentionTarget (one short transaction per
batch, ledger entry included, as the workflow's activity runs it) at the
default batch size. Each measurement starts from a freshly seeded, analysed
and checkpointed table.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from returns.unsafe import unsafe_perform_io

from core.retention.ports import RetentionTarget
from devservers.bench.context import BenchContext
from devservers.bench.latency import ConcurrentWriter, idle_latencies, p99
from devservers.bench.seeding import (
    TemplateRow,
    make_templates,
    reset_table,
    seed_expired,
    settle,
)
from devservers.bench.table import Condition, Direction, Figure, Goal
from infra.db.retention.targets import RetentionTargetDeclaration

LINEARITY_GOAL = Goal(Direction.AT_LEAST, 0.8)
VS_BULK_GOAL = Goal(Direction.AT_LEAST, 0.3)
LONGEST_BATCH_MS_GOAL = Goal(Direction.AT_MOST, 50)
WRITER_P99_GOAL = Goal(Direction.AT_MOST, 2.0)
# Expired rows sit this far behind the cutoff; the writer's rows as far ahead of it.
MARGIN = timedelta(days=1)


def linearity_name(declaration: RetentionTargetDeclaration) -> str:
    return f"prune {declaration.name} linearity"


def vs_bulk_name(declaration: RetentionTargetDeclaration) -> str:
    return f"prune {declaration.name} vs bulk delete"


@dataclass(frozen=True)
class PruneRun:
    """Rows one prune deleted, its wall time and every batch transaction's time."""

    deleted: int
    seconds: float
    batch_seconds: tuple[float, ...]

    @property
    def rows_per_second(self) -> float:
        return self.deleted / self.seconds


def linearity(context: BenchContext, declaration: RetentionTargetDeclaration) -> Figure:
    """Rows/s pruning the first N rows of a large backlog ÷ of a small one."""
    sizes = context.sizes
    small = prune_fresh(context, declaration, sizes.linearity_small_backlog, sizes.linearity_pruned)
    large = prune_fresh(context, declaration, sizes.linearity_large_backlog, sizes.linearity_pruned)
    measured = (
        f"{small.deleted:,} of {sizes.linearity_small_backlog:,}: "
        f"{small.rows_per_second:,.0f} rows/s; {large.deleted:,} of "
        f"{sizes.linearity_large_backlog:,}: {large.rows_per_second:,.0f} rows/s"
    )
    ratio = large.rows_per_second / small.rows_per_second
    return Figure(linearity_name(declaration), measured, ratio, LINEARITY_GOAL)


def versus_bulk(context: BenchContext, declaration: RetentionTargetDeclaration) -> Figure:
    """Bulk DELETE time ÷ batched prune time for the same rows, with a writer beside the prune."""
    sizes = context.sizes
    templates = seed_backlog(context, declaration, sizes.bulk_backlog)
    writer_template = _kept_side(templates[0], _cutoff(declaration))
    idle = p99(idle_latencies(context.runtime, writer_template, sizes.writer_idle_samples))
    with ConcurrentWriter(context.runtime, writer_template) as writer:
        batched = prune_rows(context, declaration, sizes.bulk_pruned)
    busy = p99(writer.latencies)
    bulk_seconds = _bulk_delete(context, declaration, sizes.bulk_pruned)
    longest = max(batched.batch_seconds)
    measured = (
        f"{batched.deleted:,} of {sizes.bulk_backlog:,}: batched {batched.seconds:.2f} s, "
        f"bulk {bulk_seconds:.2f} s; longest batch {longest * 1000:.0f} ms; writer p99 "
        f"{busy * 1000:.1f} ms ÷ idle {idle * 1000:.1f} ms = {busy / idle:.2f}"
    )
    conditions = (
        Condition("longest batch (ms)", longest * 1000, LONGEST_BATCH_MS_GOAL),
        Condition("writer p99 ÷ idle", busy / idle, WRITER_P99_GOAL),
    )
    return Figure(
        vs_bulk_name(declaration), measured, bulk_seconds / batched.seconds, VS_BULK_GOAL,
        conditions,
    )  # fmt: skip


def prune_fresh(
    context: BenchContext, declaration: RetentionTargetDeclaration, backlog: int, rows: int
) -> PruneRun:
    seed_backlog(context, declaration, backlog)
    return prune_rows(context, declaration, rows)


def seed_backlog(
    context: BenchContext, declaration: RetentionTargetDeclaration, rows: int
) -> list[TemplateRow]:
    reset_table(context.owner_url, declaration.table)
    expired_at = _cutoff(declaration) - MARGIN
    with context.owner.begin() as connection:
        templates = make_templates(connection, declaration, expired_at)
        seed_expired(connection, templates, rows)
    settle(context.owner_url, declaration.table)
    return templates


def prune_rows(
    context: BenchContext, declaration: RetentionTargetDeclaration, rows: int
) -> PruneRun:
    """Batches of the default size until `rows` are gone (or nothing is left), each timed."""
    batch_size = context.sizes.batch_size
    cutoff = _cutoff(declaration)
    batches: list[float] = []
    deleted = 0
    run_key = f"bench-{uuid.uuid4()}"
    with context.ports() as ports:
        target: RetentionTarget = ports.retention_targets[declaration.name]
        started = time.perf_counter()
        while deleted < rows:
            batch_started = time.perf_counter()
            removed = unsafe_perform_io(
                target.prune_batch(cutoff, min(batch_size, rows - deleted), run_key).unwrap()
            )
            batches.append(time.perf_counter() - batch_started)
            deleted += removed
            if removed == 0:
                break
        seconds = time.perf_counter() - started
    return PruneRun(deleted, seconds, tuple(batches))


def _bulk_delete(
    context: BenchContext, declaration: RetentionTargetDeclaration, rows: int
) -> float:
    """One DELETE of the same oldest `rows`, in one transaction, on a freshly seeded table."""
    seed_backlog(context, declaration, context.sizes.bulk_backlog)
    statement = declaration.prune(_cutoff(declaration), rows)
    started = time.perf_counter()
    with context.runtime.begin() as connection:
        connection.execute(statement)
    return time.perf_counter() - started


def _cutoff(declaration: RetentionTargetDeclaration) -> datetime:
    # Seeds and prunes use the same day-granular cutoff; a few seconds of drift do not matter.
    return datetime.now(UTC).replace(microsecond=0) - timedelta(
        days=declaration.default.retention_days
    )


def _kept_side(template: TemplateRow, cutoff: datetime) -> TemplateRow:
    age = template.values[template.age_column]
    return template.shifted(cutoff + MARGIN - age)
