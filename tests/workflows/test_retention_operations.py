"""`strata worker`, `strata retention run` and `strata retention schedule` as operators use them."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import text
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, ScheduleOverlapPolicy, WorkflowHandle

from app.retention.schedule import pause_schedule, trigger_schedule
from devservers.retention_seed import PRUNABLE_TABLES
from devservers.suite import strata as strata_command
from devservers.worker_process import StrataWorker
from tests.workflows.harness import RetentionStack
from tests.workflows.test_retention_workflow import (
    ALL_ENABLED,
    DAYS,
    assert_survivors_are_exactly,
    reference_time,
    seed,
)

BATCH = 2
LOCK_DOMAIN_EVENTS = text("LOCK TABLE domain_events IN ACCESS EXCLUSIVE MODE")
PRUNES_WAITING_FOR_DOMAIN_EVENTS = text("""
    SELECT count(*) FROM pg_stat_activity
    WHERE wait_event_type = 'Lock' AND query LIKE '%DELETE FROM domain_events%'
""")
PAUSE_LOCK = 20_261_130
HOLD_THE_PAUSE = text("SELECT pg_advisory_lock(:key)").bindparams(key=PAUSE_LOCK)
RELEASE_THE_PAUSE = text("SELECT pg_advisory_unlock(:key)").bindparams(key=PAUSE_LOCK)
CREATE_PAUSE_FUNCTION = text("""
    CREATE FUNCTION test_pause_third_audit_event_batch() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.target = 'audit_events' AND (
            SELECT count(*) FROM retention_prune_batches
            WHERE run_key = NEW.run_key AND target = 'audit_events'
        ) > 2 THEN
            PERFORM pg_advisory_xact_lock_shared(20261130);
        END IF;
        RETURN NEW;
    END
    $$
""")
CREATE_PAUSE_TRIGGER = text("""
    CREATE TRIGGER test_pause_third_audit_event_batch
    AFTER INSERT ON retention_prune_batches
    FOR EACH ROW EXECUTE FUNCTION test_pause_third_audit_event_batch()
""")
DROP_PAUSE = text("""
    DROP TRIGGER test_pause_third_audit_event_batch ON retention_prune_batches;
    DROP FUNCTION test_pause_third_audit_event_batch();
""")
BATCHES_WAITING_ON_THE_PAUSE = text("""
    SELECT count(*) FROM pg_stat_activity
    WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'
""")


def strata(stack: RetentionStack, *arguments: str, **overrides: str):
    return subprocess.run(
        strata_command(*arguments), env={**os.environ, **stack.environment, **overrides},
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


async def strata_in_background(stack: RetentionStack, *arguments: str):
    return await asyncio.create_subprocess_exec(
        *strata_command(*arguments), env={**os.environ, **stack.environment},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def the_run_on(client: Client, task_queue: str) -> WorkflowHandle:
    """The one workflow the CLI started on this test's task queue."""
    while True:
        async for execution in client.list_workflows(f'TaskQueue="{task_queue}"'):
            return client.get_workflow_handle(execution.id)
        await asyncio.sleep(0.1)


async def completed_activities(handle: WorkflowHandle) -> int:
    history = await handle.fetch_history()
    return sum(
        event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED for event in history.events
    )


def test_a_worker_killed_mid_run_and_restarted_finishes_with_exactly_the_expected_survivors(
    stack: RetentionStack,
):
    as_of = reference_time()
    seeded = seed(stack, as_of, per_side=20)
    stack.set_retention(ALL_ENABLED)

    async def kill_the_worker_mid_run() -> tuple[dict, int]:
        client = await stack.client()
        with StrataWorker(stack.environment) as worker:
            # Holding domain_events makes the kill land at a known point: audit events and
            # invitations are pruned, and a domain_events batch waits, uncommitted.
            with holding_domain_events(stack):
                run = await strata_in_background(
                    stack, "retention", "run", "--json", "--batch-size", str(BATCH),
                    "--as-of", as_of.isoformat(),
                )  # fmt: skip
                handle = await asyncio.wait_for(the_run_on(client, stack.task_queue), 30)
                await asyncio.wait_for(a_prune_waits_for_domain_events(stack), 60)
                worker.kill()
            killed_after = await completed_activities(handle)
            worker.start()
            stdout, stderr = await asyncio.wait_for(run.communicate(), 90)
        assert run.returncode == 0, stderr.decode()
        return json.loads(stdout), killed_after

    summary, killed_after = asyncio.run(kill_the_worker_mid_run())

    # The policy, then one call each for audit events and invitations: each prunes its table whole.
    assert killed_after == 3, "killed mid-run, with domain events to go"
    assert_survivors_are_exactly(stack, seeded)
    for name in DAYS:
        assert summary["tables"][name]["deleted"] == len(seeded.expired[name])
        assert summary["tables"][name]["status"] == "pruned"


def test_a_worker_killed_after_committing_batches_it_never_reported_still_gives_exact_counts(
    stack: RetentionStack,
):
    as_of = reference_time()
    seeded = seed(stack, as_of, per_side=20)
    stack.set_retention(ALL_ENABLED)

    async def kill_the_worker_between_commit_and_report() -> tuple[dict, int, list]:
        client = await stack.client()
        with StrataWorker(stack.environment) as worker:
            # Two audit-event batches commit; the third waits in its own transaction, so the
            # call that committed the first two dies without reporting them.
            with pausing_the_third_audit_event_batch(stack) as release:
                run = await strata_in_background(
                    stack, "retention", "run", "--json", "--batch-size", str(BATCH),
                    "--as-of", as_of.isoformat(),
                )  # fmt: skip
                handle = await asyncio.wait_for(the_run_on(client, stack.task_queue), 30)
                await asyncio.wait_for(a_batch_waits_on_the_pause(stack), 60)
                worker.kill()
                release()
            killed_after = await completed_activities(handle)
            ledger_at_the_kill = stack.ledger()
            worker.start()
            stdout, stderr = await asyncio.wait_for(run.communicate(), 90)
        assert run.returncode == 0, stderr.decode()
        return json.loads(stdout), killed_after, ledger_at_the_kill

    summary, killed_after, ledger_at_the_kill = asyncio.run(
        kill_the_worker_between_commit_and_report()
    )

    assert killed_after == 1, "only the policy was reported before the kill"
    assert ledger_at_the_kill == [("audit_events", BATCH), ("audit_events", BATCH)]
    assert_survivors_are_exactly(stack, seeded)
    for name in DAYS:
        assert summary["tables"][name]["deleted"] == len(seeded.expired[name])
        assert summary["tables"][name]["status"] == "pruned"
    recorded = stack.ledger(summary["run_key"])
    for name in DAYS:
        assert sum(rows for target, rows in recorded if target == name) == len(seeded.expired[name])


@contextmanager
def pausing_the_third_audit_event_batch(stack: RetentionStack) -> Iterator[Callable[[], None]]:
    """A test-only trigger that makes the third audit-event ledger entry of a run wait for an
    advisory lock this test holds; the returned function releases it."""
    with stack.owner.connect() as holder:
        holder.execute(HOLD_THE_PAUSE)
        holder.commit()
        with stack.owner.begin() as connection:
            connection.execute(CREATE_PAUSE_FUNCTION)
            connection.execute(CREATE_PAUSE_TRIGGER)
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                holder.execute(RELEASE_THE_PAUSE)
                holder.commit()
                released = True

        try:
            yield release
        finally:
            release()
            with stack.owner.begin() as connection:
                connection.execute(DROP_PAUSE)


async def a_batch_waits_on_the_pause(stack: RetentionStack) -> None:
    while True:
        with stack.owner.connect() as connection:
            if connection.execute(BATCHES_WAITING_ON_THE_PAUSE).scalar_one():
                return
        await asyncio.sleep(0.05)


@contextmanager
def holding_domain_events(stack: RetentionStack) -> Iterator[None]:
    with stack.owner.connect() as connection, connection.begin():
        connection.execute(LOCK_DOMAIN_EVENTS)
        yield


async def a_prune_waits_for_domain_events(stack: RetentionStack) -> None:
    while True:
        with stack.owner.connect() as connection:
            if connection.execute(PRUNES_WAITING_FOR_DOMAIN_EVENTS).scalar_one():
                return
        await asyncio.sleep(0.1)


def test_a_cli_run_prints_its_summary_as_json_and_sigterm_stops_the_worker_cleanly(
    stack: RetentionStack,
):
    as_of = reference_time()
    seeded = seed(stack, as_of)
    stack.set_retention({**ALL_ENABLED, "invitations": {"enabled": False, "retention_days": 9}})

    with StrataWorker(stack.environment) as worker:
        result = strata(stack, "retention", "run", "--json", "--as-of", as_of.isoformat())
        worker.stop()
        worker_log = worker.log_path.read_text()

    assert worker.returncode == 0
    assert "worker stopped" in worker_log
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["dry_run"] is False
    assert summary["tables"]["invitations"] == {
        "status": "skipped", "cutoff": None, "deleted": 0, "would_delete": None, "batches": 0,
        "reason": "disabled",
    }  # fmt: skip
    expected_cutoff = as_of - timedelta(days=DAYS["audit_events"])
    assert summary["tables"]["audit_events"]["cutoff"] == expected_cutoff.isoformat()
    assert summary["total_deleted"] == sum(
        len(seeded.expired[name]) for name in DAYS if name != "invitations"
    )
    assert stack.ids(PRUNABLE_TABLES["invitations"]) == seeded.all_ids("invitations")


def test_history_shows_per_table_what_a_run_deleted_as_its_summary_reported_it(
    stack: RetentionStack,
):
    as_of = reference_time()
    seed(stack, as_of, per_side=5)
    stack.set_retention(ALL_ENABLED)
    summary = asyncio.run(stack.run(as_of=as_of, batch_size=BATCH))

    result = strata(stack, "retention", "history", summary.run_key, "--json")
    readable = strata(stack, "retention", "history", summary.run_key)
    latest = strata(stack, "retention", "history", "--limit", "2", "--json")

    assert result.returncode == readable.returncode == latest.returncode == 0, result.stderr
    history = json.loads(result.stdout)
    assert history["totals"] == {
        table.table: {"deleted": table.deleted, "batches": table.batches}
        for table in summary.tables
        if table.status.value == "pruned"
    }
    assert {batch["run_key"] for batch in history["batches"]} == {summary.run_key}
    assert all(batch["rows_deleted"] <= BATCH for batch in history["batches"])
    assert "audit_events" in readable.stdout
    assert len(json.loads(latest.stdout)["batches"]) == 2


def test_schedule_ensure_twice_leaves_one_schedule_and_applies_a_changed_interval(
    stack: RetentionStack,
):
    settings = stack.temporal_settings

    async def trigger_and_pause() -> None:
        client = await stack.client()
        await trigger_schedule(client, settings)
        await pause_schedule(client, settings, "maintenance")

    first = strata(stack, "retention", "schedule", "ensure", RETENTION_SCHEDULE_INTERVAL="3600")
    asyncio.run(trigger_and_pause())
    second = strata(stack, "retention", "schedule", "ensure", RETENTION_SCHEDULE_INTERVAL="PT15M")

    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert "created" in first.stdout
    assert "updated" in second.stdout

    async def server_side():
        client = await stack.client()
        handle = client.get_schedule_handle(settings.schedule_id)
        # Listing and the trigger's run count are eventually consistent.
        ids: list[str] = []
        while settings.schedule_id not in ids or (await handle.describe()).info.num_actions < 1:
            ids = [listed.id async for listed in await client.list_schedules()]
            await asyncio.sleep(0.2)
        return ids, await handle.describe()

    ids, description = asyncio.run(server_side())
    assert ids.count(settings.schedule_id) == 1
    assert [interval.every for interval in description.schedule.spec.intervals] == [
        timedelta(minutes=15)
    ]
    assert description.schedule.policy.overlap is ScheduleOverlapPolicy.SKIP
    assert description.schedule.state.paused, "ensure keeps an operator's pause"
    assert description.info.num_actions == 1, "the trigger started one run"


def test_an_unreachable_temporal_server_is_one_clear_line_and_a_failing_exit(
    stack: RetentionStack,
):
    result = strata(stack, "retention", "run", TEMPORAL_ADDRESS="127.0.0.1:1")

    assert result.returncode == 1
    assert result.stderr.strip() == (
        "strata: cannot connect to Temporal at 127.0.0.1:1: Connection refused"
    )
