"""One retention run on demand: start the workflow, wait for it, return its summary;
and the progress of a run, running or finished, read from Temporal."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import (
    Client,
    WorkflowExecutionStatus,
    WorkflowFailureError,
    WorkflowQueryFailedError,
)
from temporalio.service import RPCError

from app.errors import OperatorError
from app.retention.contract import RetentionPruneInput
from app.retention.workflow import RetentionPruneWorkflow
from app.settings import TemporalSettings
from core.retention.plan import RetentionProgress, RetentionRunSummary, TableProgress

RUN_ID_PREFIX = "strata-retention-run"
# How often a watched run is asked for its progress; it changes once per activity call.
PROGRESS_POLL_INTERVAL = timedelta(seconds=1)
# A query waits for a worker to answer; a run no worker has picked up yet is asked again.
PROGRESS_QUERY_TIMEOUT = timedelta(seconds=5)

ProgressListener = Callable[[RetentionProgress], Awaitable[None]]


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


@dataclass(frozen=True)
class RunState:
    """A run as `strata retention status` shows it: its tables so far, or in the end."""

    workflow_id: str
    running: bool
    tables: list[TableProgress]
    run_key: str | None
    dry_run: bool | None


async def run_retention(
    client: Client,
    settings: TemporalSettings,
    request: RunRequest,
    on_progress: ProgressListener | None = None,
) -> FinishedRun:
    """Start a run on the worker's task queue and wait for it (across continue-as-new),
    passing its progress to `on_progress` while it runs, when given."""
    handle = await client.start_workflow(
        RetentionPruneWorkflow.run,
        RetentionPruneInput(
            dry_run=request.dry_run, batch_size=request.batch_size, as_of=request.as_of
        ),
        id=f"{RUN_ID_PREFIX}-{uuid.uuid4()}",
        task_queue=settings.task_queue,
        execution_timeout=settings.run_timeout,
    )
    watching = None
    if on_progress is not None:
        watching = asyncio.create_task(watch_progress(client, handle.id, on_progress))
    try:
        summary = await handle.result()
    except WorkflowFailureError as error:
        raise OperatorError(f"retention run {handle.id} failed: {_reason(error)}") from error
    finally:
        if watching is not None:
            watching.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watching
    return FinishedRun(workflow_id=handle.id, run_id=handle.result_run_id, summary=summary)


async def current_progress(client: Client, workflow_id: str) -> RetentionProgress | None:
    """The progress the run's latest execution reports; None before it has read its policy,
    or while no worker answers (none has taken the run up yet, or a continuation starts)."""
    # No run id: the handle follows the run across continue-as-new to its latest execution.
    handle = client.get_workflow_handle_for(RetentionPruneWorkflow.run, workflow_id)
    try:
        return await handle.query(
            RetentionPruneWorkflow.progress, rpc_timeout=PROGRESS_QUERY_TIMEOUT
        )
    except (RPCError, WorkflowQueryFailedError):
        return None


async def watch_progress(
    client: Client,
    workflow_id: str,
    on_progress: ProgressListener,
    every: timedelta = PROGRESS_POLL_INTERVAL,
) -> None:
    """Pass the run's progress to `on_progress` every `every` until cancelled."""
    while True:
        progress = await current_progress(client, workflow_id)
        if progress is not None:
            await on_progress(progress)
        await asyncio.sleep(every.total_seconds())


async def run_state(client: Client, workflow_id: str | None) -> RunState:
    """A run's tables: from its query while it runs, from its result once it has finished
    (the latest run of the workflow when `workflow_id` is None)."""
    workflow_id = workflow_id or await latest_run_id(client)
    handle = client.get_workflow_handle_for(RetentionPruneWorkflow.run, workflow_id)
    try:
        description = await handle.describe()
        if description.status == WorkflowExecutionStatus.RUNNING:
            progress = await current_progress(client, workflow_id)
            return RunState(
                workflow_id,
                running=True,
                tables=[] if progress is None else list(progress.tables),
                run_key=None if progress is None else progress.run_key,
                dry_run=None,
            )
        summary = await handle.result()
    except WorkflowFailureError as error:
        raise OperatorError(f"retention run {workflow_id} failed: {_reason(error)}") from error
    return RunState(
        workflow_id,
        running=False,
        tables=list(summary.tables),
        run_key=summary.run_key,
        dry_run=summary.dry_run,
    )


async def latest_run_id(client: Client) -> str:
    """The workflow id of the most recently started retention run, scheduled or on demand."""
    # The workflow is registered under its class's name.
    query = f"WorkflowType = '{RetentionPruneWorkflow.__name__}'"
    async for execution in client.list_workflows(query, limit=1):
        return execution.id
    raise OperatorError("no retention run found on this Temporal namespace")


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
