"""One retention run on demand: start the workflow, wait for it, return its summary."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client, WorkflowFailureError

from app.errors import OperatorError
from app.retention.contract import RetentionPruneInput
from app.retention.workflow import RetentionPruneWorkflow
from app.settings import TemporalSettings
from core.retention.plan import RetentionRunSummary

RUN_ID_PREFIX = "strata-retention-run"


@dataclass(frozen=True)
class RunRequest:
    dry_run: bool
    batch_size: int
    as_of: datetime | None = None


@dataclass(frozen=True)
class FinishedRun:
    workflow_id: str
    run_id: str | None
    summary: RetentionRunSummary


async def run_retention(
    client: Client, settings: TemporalSettings, request: RunRequest
) -> FinishedRun:
    """Start a run on the worker's task queue and wait for it (across continue-as-new)."""
    handle = await client.start_workflow(
        RetentionPruneWorkflow.run,
        RetentionPruneInput(
            dry_run=request.dry_run, batch_size=request.batch_size, as_of=request.as_of
        ),
        id=f"{RUN_ID_PREFIX}-{uuid.uuid4()}",
        task_queue=settings.task_queue,
        execution_timeout=settings.run_timeout,
    )
    try:
        summary = await handle.result()
    except WorkflowFailureError as error:
        raise OperatorError(f"retention run {handle.id} failed: {_reason(error)}") from error
    return FinishedRun(workflow_id=handle.id, run_id=handle.result_run_id, summary=summary)


async def has_workers(client: Client, settings: TemporalSettings) -> bool:
    """Whether any worker polled the task queue lately (else a run waits for one to start)."""
    response = await client.workflow_service.describe_task_queue(
        DescribeTaskQueueRequest(
            namespace=settings.namespace,
            task_queue=TaskQueue(name=settings.task_queue),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        )
    )
    return len(response.pollers) > 0


def _reason(error: BaseException) -> str:
    """The innermost cause is the one an operator can act on (e.g. the database is down)."""
    while error.__cause__ is not None:
        error = error.__cause__
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def run_url(settings: TemporalSettings, workflow_id: str) -> str | None:
    """Where the Temporal UI shows this run, when its address is known."""
    if not settings.ui_url:
        return None
    base = settings.ui_url.rstrip("/")
    return f"{base}/namespaces/{settings.namespace}/workflows/{workflow_id}"
