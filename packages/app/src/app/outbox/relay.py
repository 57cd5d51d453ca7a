"""Start the outbox relay once: `strata outbox ensure` and the demo call this.

The relay is one long-running workflow under a fixed id; starting it while it
runs is refused by Temporal (the id is taken), which is what makes `ensure`
safe to run from every deploy.
"""

from __future__ import annotations

from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from app.outbox.contract import RelayInput
from app.outbox.workflow import OutboxRelayWorkflow
from app.settings import OutboxSettings, TemporalSettings


async def ensure_relay(client: Client, temporal: TemporalSettings, outbox: OutboxSettings) -> bool:
    """Start the relay unless it runs already; True when this call started it."""
    if await relay_is_running(client, outbox):
        return False
    try:
        await client.start_workflow(
            OutboxRelayWorkflow.run,
            RelayInput(lanes=outbox.lanes),
            id=outbox.workflow_id,
            task_queue=outbox.queue(temporal.task_queue),
            # A relay that was stopped or failed may be started again under its id;
            # a running one is never duplicated.
            id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
        )
    except WorkflowAlreadyStartedError:
        # Another `ensure` started it a moment ago.
        return False
    return True


async def relay_is_running(client: Client, outbox: OutboxSettings) -> bool:
    """Whether the relay's workflow (any run of it) is running now."""
    try:
        described = await client.get_workflow_handle(outbox.workflow_id).describe()
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            return False
        raise
    return described.status == WorkflowExecutionStatus.RUNNING
