"""`python -m devservers bench`: the cost of pruning through Temporal, against pruning directly.

Seeds N expired, published domain events (as the owner, with one INSERT …
SELECT generate_series) before every prune, then prunes them either by calling
the retention target's batch prune in a loop, or through RetentionPruneWorkflow
on a worker that runs for the whole benchmark (as a real worker does), and
prints both wall times and their ratio. The contenders alternate for a few
rounds and the best time of each counts: on a shared machine the best run is
the one least disturbed by everything else. Run it on its own, not next to
the test suite: it measures.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from returns.unsafe import unsafe_perform_io
from sqlalchemy import Engine, create_engine, delete, text
from sqlalchemy.pool import NullPool
from temporalio.client import Client

from app import bootstrap
from app.retention.contract import RetentionPruneInput
from app.retention.workflow import RetentionPruneWorkflow
from app.settings import TemporalSettings
from app.worker import build_worker
from devservers.suite import console
from infra.db.env import DatabaseSettings
from infra.db.schema import auth_audit_events, domain_events, invitations, system_settings

# Static SQL, values bound: a year-old published event per row, each on its own aggregate.
# strata: ignore[DE001] benchmark seeding as the owner; 500,000 appends one by one would dwarf it
SEED_EXPIRED_EVENTS = text("""
    INSERT INTO domain_events (event_type, aggregate_type, aggregate_id, sequence_number,
                               payload, status, occurred_at, published_at, created_at)
    SELECT 'benchmark.seeded', 'benchmark', gen_random_uuid(), n, '{}'::jsonb, 'published',
           now() - interval '400 days', now() - interval '400 days', now() - interval '400 days'
    FROM generate_series(1, :rows) AS n
""")
TRUNCATE_EVENTS = text("TRUNCATE domain_events")
VACUUM_EVENTS = text("VACUUM ANALYZE domain_events")
CHECKPOINT = text("CHECKPOINT")  # needs a superuser or pg_checkpoint, as the owner usually is
DOMAIN_EVENTS = "domain_events"
RETENTION_DAYS = 30


@dataclass(frozen=True)
class Timings:
    """Every round's wall time per contender; the best of each counts."""

    direct: list[float] = field(default_factory=list)
    workflow: list[float] = field(default_factory=list)

    @property
    def direct_seconds(self) -> float:
        return min(self.direct)

    @property
    def workflow_seconds(self) -> float:
        return min(self.workflow)

    @property
    def ratio(self) -> float:
        return self.workflow_seconds / self.direct_seconds

    @property
    def median_ratio(self) -> float:
        return statistics.median(self.workflow) / statistics.median(self.direct)


@dataclass(frozen=True)
class Bench:
    environment: dict[str, str]
    rows: int
    batch_size: int

    @property
    def database(self) -> DatabaseSettings:
        return DatabaseSettings.model_validate(self.environment)

    @property
    def temporal(self) -> TemporalSettings:
        return TemporalSettings.model_validate(self.environment)


def run_benchmark(bench: Bench, rounds: int) -> Timings:
    return asyncio.run(_run(bench, rounds))


async def _run(bench: Bench, rounds: int) -> Timings:
    owner = create_engine(bench.database.owner_url, poolclass=NullPool)
    client = await bootstrap.connect_temporal(bench.temporal)
    task_queue = f"strata-bench-{uuid.uuid4()}"
    timings = Timings()
    try:
        _only_domain_events_expire(owner)
        with (
            bootstrap.ports(bench.database) as ports,
            ThreadPoolExecutor(bench.temporal.activity_threads) as executor,
        ):
            async with build_worker(client, task_queue, ports, executor, bench.temporal):
                await _through_workflow(client, task_queue, bench)  # warm-up, empty table
                for round_number in range(rounds):
                    # Alternating keeps either side from always running right after the other.
                    for side in ("direct", "workflow")[:: 1 if round_number % 2 == 0 else -1]:
                        await asyncio.to_thread(_seed, owner, bench.rows)
                        if side == "direct":
                            timings.direct.append(await asyncio.to_thread(_directly, bench))
                        else:
                            timings.workflow.append(
                                await _through_workflow(client, task_queue, bench)
                            )
    finally:
        owner.dispose()
    return timings


def _only_domain_events_expire(owner: Engine) -> None:
    with owner.begin() as connection:
        for table in (auth_audit_events, invitations, domain_events):
            connection.execute(delete(table))
        connection.execute(delete(system_settings).where(system_settings.c.key == "retention"))
        connection.execute(
            system_settings.insert().values(
                key="retention",
                value={DOMAIN_EVENTS: {"enabled": True, "retention_days": RETENTION_DAYS}},
                description="benchmark: prune domain events only",
            )
        )


def _seed(owner: Engine, rows: int) -> None:
    started = time.monotonic()
    with owner.begin() as connection:
        # A fresh heap and fresh indexes every time: without this each round inherits the
        # previous prune's index bloat and runs slower than the one before, whoever it is.
        connection.execute(TRUNCATE_EVENTS)
        connection.execute(SEED_EXPIRED_EVENTS, {"rows": rows})
    # Both contenders start from the same freshly analysed table, with the seed's dirty
    # pages already written, so neither prune pays for the seed's checkpoint.
    with owner.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(VACUUM_EVENTS)
        connection.execute(CHECKPOINT)
    console.print(f"seeded {rows:,} expired domain events in {time.monotonic() - started:.1f}s")


def _directly(bench: Bench) -> float:
    with bootstrap.ports(bench.database) as ports:
        target = ports.retention_targets[DOMAIN_EVENTS]
        cutoff = datetime.now(UTC) - timedelta(days=RETENTION_DAYS)
        started = time.monotonic()
        total, deleted = 0, bench.batch_size
        while deleted == bench.batch_size:
            deleted = unsafe_perform_io(target.prune_batch(cutoff, bench.batch_size).unwrap())
            total += deleted
        elapsed = time.monotonic() - started
    console.print(f"direct:   deleted {total:,} rows in {elapsed:.2f}s")
    return elapsed


async def _through_workflow(client: Client, task_queue: str, bench: Bench) -> float:
    started = time.monotonic()
    summary = await client.execute_workflow(
        RetentionPruneWorkflow.run,
        RetentionPruneInput(batch_size=bench.batch_size),
        id=f"strata-bench-{uuid.uuid4()}",
        task_queue=task_queue,
    )
    elapsed = time.monotonic() - started
    batches = sum(table.batches for table in summary.tables)
    console.print(
        f"workflow: deleted {summary.total_deleted:,} rows in {elapsed:.2f}s ({batches} batches)"
    )
    return elapsed
