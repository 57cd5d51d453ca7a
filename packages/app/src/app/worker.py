"""`strata worker`: polls its task queue (and the outbox relay's, when it has its own) until
SIGINT or SIGTERM, then drains; with a metrics port, serves Prometheus metrics meanwhile."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack, nullcontext

from temporalio.client import Client
from temporalio.worker import Worker

from app import bootstrap
from app.metrics.endpoint import metrics_endpoint
from app.metrics.sdk import SdkMetrics
from app.organizations.onboarding.activities import OnboardingActivities
from app.organizations.onboarding.workflow import OrganizationOnboardingWorkflow
from app.outbox.activities import OutboxActivities, RelayTuning
from app.outbox.handlers import EventHandler, HandlerPorts
from app.outbox.registry import EVENT_HANDLERS
from app.outbox.workflow import OutboxRelayWorkflow
from app.retention.activities import RetentionActivities
from app.retention.workflow import RetentionPruneWorkflow
from app.settings import MetricsSettings, OutboxSettings, TemporalSettings
from core.clock import SystemClock

log = logging.getLogger("strata.worker")


def build_worker(
    client: Client,
    task_queue: str,
    ports: bootstrap.Ports,
    executor: ThreadPoolExecutor,
    settings: TemporalSettings,
    *,
    outbox: OutboxSettings | None = None,
    handlers: Mapping[str, EventHandler] = EVENT_HANDLERS,
) -> Worker:
    """The one worker definition, shared by `strata worker` and the workflow tests.

    Each feature's workflows and activities are registered here, the activities
    bound to the ports the composition root wired. The outbox relay runs here too
    unless OUTBOX_TASK_QUEUE names a queue of its own (see `build_outbox_worker`);
    tests give the relay `handlers` of their own.
    """
    outbox = outbox or OutboxSettings()
    workflows: list[type] = [RetentionPruneWorkflow, OrganizationOnboardingWorkflow]
    activities = [
        *RetentionActivities(ports.retention_settings, ports.retention_targets).all,
        *OnboardingActivities(ports.unit_of_work, SystemClock()).all,
    ]
    if outbox.queue(task_queue) == task_queue:
        workflows.append(OutboxRelayWorkflow)
        activities.extend(_outbox_activities(ports, outbox, handlers).all)
    return _worker(client, task_queue, workflows, activities, executor, settings)


def build_outbox_worker(
    client: Client,
    ports: bootstrap.Ports,
    executor: ThreadPoolExecutor,
    settings: TemporalSettings,
    outbox: OutboxSettings,
) -> Worker | None:
    """The relay's own worker when OUTBOX_TASK_QUEUE is a queue of its own, else None."""
    queue = outbox.queue(settings.task_queue)
    if queue == settings.task_queue:
        return None
    activities = _outbox_activities(ports, outbox, EVENT_HANDLERS).all
    return _worker(client, queue, [OutboxRelayWorkflow], activities, executor, settings)


def _outbox_activities(
    ports: bootstrap.Ports, outbox: OutboxSettings, handlers: Mapping[str, EventHandler]
) -> OutboxActivities:
    tuning = RelayTuning(
        batch_size=outbox.batch_size,
        lease=outbox.lease,
        idle_poll=outbox.idle_poll,
        call_budget=outbox.call_budget,
        retry=outbox.retry_policy,
    )
    handler_ports = HandlerPorts(ports.unit_of_work, ports.email, SystemClock())
    return OutboxActivities(ports.outbox, ports.commit_listener, handlers, handler_ports, tuning)


def _worker(  # noqa: PLR0917  # each is a different kind of thing; none has a default
    client: Client,
    task_queue: str,
    workflows: Sequence[type],
    activities: Sequence[Callable[..., object]],
    executor: ThreadPoolExecutor,
    settings: TemporalSettings,
) -> Worker:
    return Worker(
        client,
        task_queue=task_queue,
        workflows=workflows,
        activities=activities,
        # The activities are synchronous (blocking database calls) and run here.
        activity_executor=executor,
        max_concurrent_activities=settings.activity_threads,
        graceful_shutdown_timeout=settings.shutdown_grace,
    )


async def run_worker(
    settings: TemporalSettings, metrics: MetricsSettings, outbox: OutboxSettings
) -> None:
    """Serve until a stop signal arrives; in-flight activities get `shutdown_grace` to finish.

    With `metrics.port` set, the SDK's runtime metrics and Strata's gauges are served
    there for as long as the worker runs.
    """
    sdk = None if metrics.port is None else SdkMetrics.on_loopback()
    client = await bootstrap.connect_temporal(settings, None if sdk is None else sdk.runtime)
    stop = asyncio.Event()
    _stop_on(stop, signal.SIGINT, signal.SIGTERM)
    with (
        bootstrap.ports() as ports,
        ThreadPoolExecutor(settings.activity_threads, thread_name_prefix="activity") as executor,
        nullcontext() if sdk is None else metrics_endpoint(metrics, ports, sdk),
    ):
        workers = [
            build_worker(client, settings.task_queue, ports, executor, settings, outbox=outbox),
            build_outbox_worker(client, ports, executor, settings, outbox),
        ]
        async with AsyncExitStack() as running:
            for worker in filter(None, workers):
                await running.enter_async_context(worker)
                log.info(
                    "worker polling task queue %r on %s (namespace %r)",
                    worker.task_queue, settings.address, settings.namespace,
                )  # fmt: skip
            await stop.wait()
            log.info("stop requested: finishing in-flight activities")
    log.info("worker stopped")


def _stop_on(stop: asyncio.Event, *signals: signal.Signals) -> None:
    loop = asyncio.get_running_loop()
    for signum in signals:
        loop.add_signal_handler(signum, stop.set)
