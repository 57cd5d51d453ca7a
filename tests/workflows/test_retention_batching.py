"""One prune activity call runs many short batch transactions, resumes on retry, counts exactly."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from datetime import datetime

import pytest
from returns.io import IOFailure, IOResult
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowFailureError

from core.errors import DatabaseUnavailable, PersistenceError
from core.retention.ledger import PrunedSoFar
from core.retention.ports import RetentionTarget
from devservers.retention_seed import PRUNABLE_TABLES
from tests.workflows.harness import RetentionStack
from tests.workflows.test_retention_workflow import (
    ALL_ENABLED,
    DAYS,
    assert_survivors_are_exactly,
    reference_time,
    seed,
    tables,
)

BATCH = 2


def test_one_activity_call_prunes_a_table_in_many_batches_of_at_most_the_batch_size(
    stack: RetentionStack,
):
    as_of = reference_time()
    seeded = seed(stack, as_of, per_side=15)
    stack.set_retention(ALL_ENABLED)

    async def run_and_count_calls():
        client = await stack.client()
        async with stack.worker(client):
            handle = await stack.start(client, as_of=as_of, batch_size=BATCH)
            summary = await handle.result()
            history = await handle.fetch_history()
        completed = [
            event for event in history.events
            if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
        ]  # fmt: skip
        return summary, len(completed)

    summary, calls = asyncio.run(run_and_count_calls())

    assert calls == 1 + len(DAYS), "the policy, then one call per table"
    ledger = stack.ledger(summary.run_key)
    assert all(rows <= BATCH for _, rows in ledger), f"a transaction over the batch size: {ledger}"
    for name in DAYS:
        expired = len(seeded.expired[name])
        batches = [rows for target, rows in ledger if target == name]
        assert sum(batches) == tables(summary)[name].deleted == expired
        assert len(batches) == tables(summary)[name].batches == expired // BATCH + 1
    assert_survivors_are_exactly(stack, seeded)


class ForgetsItsFirstReport:
    """A target whose first ledger read, after the table is done, waits past a heartbeat
    and then fails as a dropped connection would: the attempt dies after its last batch."""

    def __init__(self, target: RetentionTarget) -> None:
        self._target = target
        self.batches_run = 0
        self.failed = False

    def prune_batch(
        self, older_than: datetime, batch_size: int, run_key: str
    ) -> IOResult[int, PersistenceError]:
        self.batches_run += 1
        return self._target.prune_batch(older_than, batch_size, run_key)

    def pruned_in_run(self, run_key: str) -> IOResult[PrunedSoFar, PersistenceError]:
        if not self.failed:
            self.failed = True
            time.sleep(2.5)  # long enough for the call to heartbeat that the table is done
            return IOFailure(DatabaseUnavailable("connection dropped before the report"))
        return self._target.pruned_in_run(run_key)

    def count_expired(self, older_than: datetime) -> IOResult[int, PersistenceError]:
        return self._target.count_expired(older_than)


def test_a_retried_call_resumes_from_its_heartbeat_and_runs_no_batch_again(
    stack: RetentionStack,
):
    as_of = reference_time()
    seeded = seed(stack, as_of, per_side=5)
    stack.set_retention({"audit_events": ALL_ENABLED["audit_events"]})
    flaky: dict[str, ForgetsItsFirstReport] = {}

    def wrap(targets: Mapping[str, RetentionTarget]) -> Mapping[str, RetentionTarget]:
        flaky["audit_events"] = ForgetsItsFirstReport(targets["audit_events"])
        return {**targets, **flaky}

    async def run():
        client = await stack.client()
        async with stack.worker(client, targets=wrap):
            handle = await stack.start(client, as_of=as_of, batch_size=BATCH)
            return await handle.result()

    summary = asyncio.run(run())

    expired = len(seeded.expired["audit_events"])
    audit_events = tables(summary)["audit_events"]
    assert flaky["audit_events"].failed
    assert flaky["audit_events"].batches_run == expired // BATCH + 1, "the retry ran none"
    assert (audit_events.deleted, audit_events.batches) == (expired, expired // BATCH + 1)
    assert stack.ids(PRUNABLE_TABLES["audit_events"]) == seeded.kept["audit_events"]


class SlowBatches:
    """A target whose every batch takes a while, so a run is still going when it is cancelled."""

    def __init__(self, target: RetentionTarget) -> None:
        self._target = target

    def prune_batch(
        self, older_than: datetime, batch_size: int, run_key: str
    ) -> IOResult[int, PersistenceError]:
        time.sleep(0.2)
        return self._target.prune_batch(older_than, batch_size, run_key)

    def pruned_in_run(self, run_key: str) -> IOResult[PrunedSoFar, PersistenceError]:
        return self._target.pruned_in_run(run_key)

    def count_expired(self, older_than: datetime) -> IOResult[int, PersistenceError]:
        return self._target.count_expired(older_than)


def test_a_cancelled_run_stops_pruning_within_one_call_and_leaves_the_rest(
    stack: RetentionStack,
):
    as_of = reference_time()
    seeded = seed(stack, as_of, per_side=100)
    stack.set_retention({"audit_events": ALL_ENABLED["audit_events"]})

    def slow(targets: Mapping[str, RetentionTarget]) -> Mapping[str, RetentionTarget]:
        return {**targets, "audit_events": SlowBatches(targets["audit_events"])}

    async def cancel_mid_run() -> int:
        client = await stack.client()
        async with stack.worker(client, targets=slow):
            handle = await stack.start(client, as_of=as_of, batch_size=BATCH)
            while len(stack.ledger()) < 2:
                await asyncio.sleep(0.05)
            await handle.cancel()
            with pytest.raises(WorkflowFailureError):
                await handle.result()
            return await settled_ledger_size(stack)

    batches = asyncio.run(cancel_mid_run())

    expired = len(seeded.expired["audit_events"])
    assert batches < expired // BATCH, "the cancelled run did not go on to the end"
    pruned = sum(rows for _, rows in stack.ledger())
    left = stack.ids(PRUNABLE_TABLES["audit_events"]) & seeded.expired["audit_events"]
    assert len(left) == expired - pruned, "the ledger counts exactly what is gone"


async def settled_ledger_size(stack: RetentionStack) -> int:
    """The ledger's size once it has stopped growing for a while (the call in flight ended)."""
    size, unchanged_since = len(stack.ledger()), time.monotonic()
    while time.monotonic() - unchanged_since < 1.5:
        await asyncio.sleep(0.1)
        now = len(stack.ledger())
        if now != size:
            size, unchanged_since = now, time.monotonic()
    return size
