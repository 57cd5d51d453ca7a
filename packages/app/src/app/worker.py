"""`strata worker`: polls the task queue (retention, organization onboarding) until SIGINT
or SIGTERM, then drains; with a metrics port, serves Prometheus metrics meanwhile."""

from __future__ import annotations

import asyncio
import logging
import signal
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext

from temporalio.client import Client
from temporalio.worker import Worker

from app import bootstrap
from app.metrics.endpoint import metrics_endpoint
from app.metrics.sdk import SdkMetrics
from app.organizations.onboarding.activities import OnboardingActivities
from app.organizations.onboarding.workflow import OrganizationOnboardingWorkflow
from app.retention.activities import RetentionActivities
from app.retention.workflow import RetentionPruneWorkflow
from app.settings import MetricsSettings, TemporalSettings
from core.clock import SystemClock

log = logging.getLogger("strata.worker")


def build_worker(
    client: Client,
    task_queue: str,
    ports: bootstrap.Ports,
    executor: ThreadPoolExecutor,
    settings: TemporalSettings,
) -> Worker:
    """The one worker definition, shared by `strata worker` and the workflow tests.

    Each feature's workflows and activities are registered here, the activities
    bound to the ports the composition root wired.
    """
    retention = RetentionActivities(ports.retention_settings, ports.retention_targets)
    onboarding = OnboardingActivities(ports.unit_of_work, SystemClock())
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[RetentionPruneWorkflow, OrganizationOnboardingWorkflow],
        activities=[*retention.all, *onboarding.all],
        # The activities are synchronous (blocking database calls) and run here.
        activity_executor=executor,
        max_concurrent_activities=settings.activity_threads,
        graceful_shutdown_timeout=settings.shutdown_grace,
    )


async def run_worker(settings: TemporalSettings, metrics: MetricsSettings) -> None:
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
        async with build_worker(client, settings.task_queue, ports, executor, settings):
            log.info(
                "worker polling task queue %r on %s (namespace %r)",
                settings.task_queue, settings.address, settings.namespace,
            )  # fmt: skip
            await stop.wait()
            log.info("stop requested: finishing in-flight activities")
    log.info("worker stopped")


def _stop_on(stop: asyncio.Event, *signals: signal.Signals) -> None:
    loop = asyncio.get_running_loop()
    for signum in signals:
        loop.add_signal_handler(signum, stop.set)
