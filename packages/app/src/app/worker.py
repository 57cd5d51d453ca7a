"""`strata worker`: polls the retention task queue until SIGINT or SIGTERM, then drains."""

from __future__ import annotations

import asyncio
import logging
import signal
from concurrent.futures import ThreadPoolExecutor

from temporalio.client import Client
from temporalio.worker import Worker

from app import bootstrap
from app.activities import RetentionActivities
from app.settings import TemporalSettings
from app.workflows import RetentionPruneWorkflow

log = logging.getLogger("strata.worker")


def build_worker(
    client: Client,
    task_queue: str,
    activities: RetentionActivities,
    executor: ThreadPoolExecutor,
    settings: TemporalSettings,
) -> Worker:
    """The one worker definition, shared by `strata worker` and the workflow tests."""
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[RetentionPruneWorkflow],
        activities=activities.all,
        # The activities are synchronous (blocking database calls) and run here.
        activity_executor=executor,
        max_concurrent_activities=settings.activity_threads,
        graceful_shutdown_timeout=settings.shutdown_grace,
    )


async def run_worker(settings: TemporalSettings) -> None:
    """Serve until a stop signal arrives; in-flight activities get `shutdown_grace` to finish."""
    client = await bootstrap.connect_temporal(settings)
    stop = asyncio.Event()
    _stop_on(stop, signal.SIGINT, signal.SIGTERM)
    with (
        bootstrap.retention_activities() as activities,
        ThreadPoolExecutor(settings.activity_threads, thread_name_prefix="activity") as executor,
    ):
        async with build_worker(client, settings.task_queue, activities, executor, settings):
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
