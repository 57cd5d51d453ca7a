"""The workflow row: expired domain events pruned through RetentionPruneWorkflow ÷ directly.

Both sides prune at the default batch size (what scheduled runs use), from a
freshly seeded table. The workflow runs on a worker that stays up for the
whole row, as a real worker does, after one warm-up run on an empty table;
the direct side calls the same target's batch prune in a loop (each batch with
its ledger entry, as in the workflow's activity). The sides alternate over the
rounds and the best time of each counts.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import delete
from temporalio.client import Client

from app import bootstrap
from app.retention.contract import RetentionPruneInput
from app.retention.workflow import RetentionPruneWorkflow
from app.worker import build_worker
from core.retention.policy import RETENTION_SETTING_KEY
from devservers.bench.context import BenchContext
from devservers.bench.prune import prune_rows, seed_backlog
from devservers.bench.table import Direction, Figure, Goal
from infra.db.retention.targets import RETENTION_TARGETS, RetentionTargetDeclaration
from infra.db.schema import system_settings

NAME = "retention workflow vs direct (default batch)"
GOAL = Goal(Direction.AT_MOST, 1.3)
PRUNED_TARGET = "domain_events"


def workflow_figure(context: BenchContext) -> Figure:
    return asyncio.run(_measure(context))


async def _measure(context: BenchContext) -> Figure:
    declaration = _declaration(PRUNED_TARGET)
    rows = context.sizes.workflow_rows
    _only_the_pruned_target_is_configured(context, declaration)
    client = await bootstrap.connect_temporal(context.temporal)
    task_queue = f"strata-bench-{uuid.uuid4()}"
    direct: list[float] = []
    through_workflow: list[float] = []
    with (
        context.ports() as ports,
        ThreadPoolExecutor(context.temporal.activity_threads) as executor,
    ):
        async with build_worker(client, task_queue, ports, executor, context.temporal):
            await _through_workflow(client, task_queue, context.sizes.batch_size)  # warm-up
            for round_number in range(context.sizes.workflow_rounds):
                # Alternating keeps either side from always running right after the other.
                for side in ("direct", "workflow")[:: 1 if round_number % 2 == 0 else -1]:
                    await asyncio.to_thread(seed_backlog, context, declaration, rows)
                    if side == "direct":
                        run = await asyncio.to_thread(prune_rows, context, declaration, rows)
                        direct.append(run.seconds)
                    else:
                        through_workflow.append(
                            await _through_workflow(client, task_queue, context.sizes.batch_size)
                        )
    best_workflow, best_direct = min(through_workflow), min(direct)
    measured = (
        f"{rows:,} {PRUNED_TARGET}, batches of {context.sizes.batch_size:,}: "
        f"workflow {best_workflow:.2f} s ÷ direct {best_direct:.2f} s"
    )
    return Figure(NAME, measured, best_workflow / best_direct, GOAL)


def _declaration(name: str) -> RetentionTargetDeclaration:
    return next(target for target in RETENTION_TARGETS if target.name == name)


def _only_the_pruned_target_is_configured(
    context: BenchContext, declaration: RetentionTargetDeclaration
) -> None:
    # Every other target is "not configured", so the workflow skips it whatever its table holds.
    with context.owner.begin() as connection:
        connection.execute(
            delete(system_settings).where(system_settings.c.key == RETENTION_SETTING_KEY)
        )
        connection.execute(
            system_settings.insert().values(
                key=RETENTION_SETTING_KEY,
                value={
                    declaration.name: {
                        "enabled": True,
                        "retention_days": declaration.default.retention_days,
                    }
                },
                description=f"bench: prune {declaration.name} only",
            )
        )


async def _through_workflow(client: Client, task_queue: str, batch_size: int) -> float:
    started = time.perf_counter()
    await client.execute_workflow(
        RetentionPruneWorkflow.run,
        RetentionPruneInput(batch_size=batch_size),
        id=f"strata-bench-{uuid.uuid4()}",
        task_queue=task_queue,
    )
    return time.perf_counter() - started
