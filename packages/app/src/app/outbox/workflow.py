"""OutboxRelayWorkflow: deliver domain events for ever, a few relay calls at a time.

It runs `lanes` relay calls side by side, each claiming its own batches, so two
workers share the work. A call returns when its time budget is spent, or early
with handoffs: claimed events whose handler is a child workflow, which the
workflow starts under an id derived from the event id with a reuse policy that
rejects duplicates, then marks those events published. When its history grows
large the workflow lets every lane finish its call and continues as new.

Deterministic by construction: all I/O happens in activities, and the relay
calls are retried without limit (a database that is down is waited out).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from app.outbox.contract import (
        PUBLISH_HANDOFFS,
        RELAY_EVENTS,
        Handoff,
        PublishHandoffsInput,
        RelayCall,
        RelayInput,
        RelayReport,
    )

# The relay never gives up: a database or mail server that is down is retried with
# a delay that stops growing at half a minute.
RELAY_RETRY_POLICY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
)
# Bounds a relay call (its own budget is a minute by default) and a stuck handler.
RELAY_CALL_TIMEOUT = timedelta(minutes=10)
# A worker killed mid-call is noticed after this long and the call runs elsewhere;
# the events it had claimed are delivered again once their lease expires.
HEARTBEAT_TIMEOUT = timedelta(seconds=10)
PUBLISH_HANDOFFS_TIMEOUT = timedelta(seconds=30)


@workflow.defn(name="OutboxRelayWorkflow")
class OutboxRelayWorkflow:
    def __init__(self) -> None:
        self._continuing = False

    @workflow.run
    async def run(self, request: RelayInput) -> None:
        if request.lanes < 1:
            raise ApplicationError("the relay needs at least one lane", non_retryable=True)
        await asyncio.gather(*(self._lane(lane, request) for lane in range(request.lanes)))
        workflow.continue_as_new(request)

    async def _lane(self, lane: int, request: RelayInput) -> None:
        while not self._continuing:
            report = await workflow.execute_activity(
                RELAY_EVENTS,
                RelayCall(lane),
                result_type=RelayReport,
                start_to_close_timeout=RELAY_CALL_TIMEOUT,
                heartbeat_timeout=HEARTBEAT_TIMEOUT,
                retry_policy=RELAY_RETRY_POLICY,
            )
            if report.handoffs:
                await self._start_children(report.handoffs)
            if self._history_is_large(request):
                self._continuing = True

    async def _start_children(self, handoffs: tuple[Handoff, ...]) -> None:
        await asyncio.gather(*(self._start_child(handoff) for handoff in handoffs))
        await workflow.execute_activity(
            PUBLISH_HANDOFFS,
            PublishHandoffsInput(handoffs),
            result_type=int,
            start_to_close_timeout=PUBLISH_HANDOFFS_TIMEOUT,
            retry_policy=RELAY_RETRY_POLICY,
        )

    async def _start_child(self, handoff: Handoff) -> None:
        try:
            await workflow.start_child_workflow(
                handoff.workflow,
                handoff.argument,
                id=f"{handoff.id_prefix}-{handoff.event_id}",
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                # The child outlives this run of the relay (continue-as-new closes it).
                parent_close_policy=ParentClosePolicy.ABANDON,
            )
        except WorkflowAlreadyStartedError:
            # An earlier delivery of the event started it: Temporal refused a second one.
            workflow.logger.info("child workflow for event %s already started", handoff.event_id)

    @staticmethod
    def _history_is_large(request: RelayInput) -> bool:
        info = workflow.info()
        return (
            info.is_continue_as_new_suggested()
            or info.get_current_history_length() >= request.max_history_events
        )
