"""How much each row measures: the defaults are the sizes issue 10 states, `--quick` is tiny."""

from __future__ import annotations

from dataclasses import dataclass

from core.retention.plan import DEFAULT_BATCH_SIZE

WRITERS = 8
AGGREGATE_COUNTS = (100, 1)


@dataclass(frozen=True)
class Sizes:
    """Rows and repetitions per figure; every prune runs at the default batch size."""

    append_events_per_writer: int = 500
    decode_rows: int = 10_000
    linearity_small_backlog: int = 100_000
    linearity_large_backlog: int = 1_000_000
    linearity_pruned: int = 100_000
    bulk_backlog: int = 1_000_000
    bulk_pruned: int = 500_000
    writer_idle_samples: int = 300
    workflow_rows: int = 200_000
    workflow_rounds: int = 1
    checker_tables: int = 300
    checker_runs: int = 5
    outbox_events: int = 5_000
    outbox_latency_samples: int = 200
    outbox_idle_seconds: float = 10.0
    # PostgreSQL reports a backend's statistics up to 10 s late (PGSTAT_IDLE_INTERVAL); the
    # window waits that long so the relay's start-up is not counted as idle work.
    outbox_idle_settle_seconds: float = 11.0
    rounds: int = 3  # best of, for the sub-second figures (append, decode)
    batch_size: int = DEFAULT_BATCH_SIZE


QUICK = Sizes(
    append_events_per_writer=5,
    decode_rows=50,
    linearity_small_backlog=1_000,
    linearity_large_backlog=3_000,
    linearity_pruned=1_000,
    bulk_backlog=3_000,
    bulk_pruned=1_500,
    writer_idle_samples=20,
    workflow_rows=2_000,
    workflow_rounds=1,
    checker_tables=3,
    checker_runs=1,
    outbox_events=200,
    outbox_latency_samples=10,
    outbox_idle_seconds=2.0,
    outbox_idle_settle_seconds=0.0,
    rounds=1,
)
