"""The outbox relay as users run it, for the outbox rows: `strata worker` processes and one relay.

Every worker is a real `strata worker` subprocess (the real handler registry,
the OUTBOX_* settings a user gets by default) polling a task queue of the
bench's own, so nothing else runs its tasks. The relay is started once, as
`strata outbox ensure` starts it, and runs until the bench ends; between rows
the fleet grows or shrinks to the workers a row asks for, and a row starts
measuring only once every lane's relay call runs on a worker still alive.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

from temporalio.api.enums.v1 import PendingActivityState
from temporalio.client import Client

from app import bootstrap
from app.outbox.contract import RELAY_EVENTS
from app.outbox.relay import ensure_relay
from app.settings import OutboxSettings, TemporalSettings
from devservers.worker_process import StrataWorker

# Moving a lane to a worker waits for its call to end; a stopping worker ends it within seconds.
LANES_TIMEOUT_SECONDS = 60.0
LANES_POLL_SECONDS = 0.05


class RelayFleet:
    """Worker processes running the relay; nothing starts until a row asks for workers."""

    def __init__(self, environment: Mapping[str, str]) -> None:
        name = f"strata-bench-outbox-{uuid.uuid4()}"
        self.environment = {
            **environment,
            "TEMPORAL_TASK_QUEUE": name,
            "OUTBOX_WORKFLOW_ID": name,
        }
        self._workers: list[StrataWorker] = []
        self._relay_started = False

    @property
    def outbox(self) -> OutboxSettings:
        return OutboxSettings.model_validate(self.environment)

    @property
    def temporal(self) -> TemporalSettings:
        return TemporalSettings.model_validate(self.environment)

    def serve(self, workers: int) -> int:
        """Exactly `workers` workers up, the relay running and every lane's call on one of them.

        Returns:
            How many of the workers run a lane: Temporal hands each call to any
            worker polling, so two workers may find both lanes on one of them.
        """
        while len(self._workers) > workers:
            leaving = self._workers.pop()
            leaving.stop()
            leaving.release()
        joining = [StrataWorker(self.environment) for _ in range(workers - len(self._workers))]
        # Listed before they start, so `close` stops one whose start failed halfway.
        self._workers += joining
        if joining:
            # Side by side: each start is mostly Python importing the application.
            with ThreadPoolExecutor(len(joining)) as pool:
                list(pool.map(StrataWorker.start, joining))
        return asyncio.run(self._lanes_on_workers())

    def close(self) -> None:
        """Terminate the relay (if it was started) and stop every worker."""
        try:
            if self._relay_started:
                asyncio.run(self._terminate())
        finally:
            for worker in self._workers:
                worker.stop()
                worker.release()
            self._workers.clear()

    async def _client(self) -> Client:
        return await bootstrap.connect_temporal(self.temporal)

    async def _lanes_on_workers(self) -> int:
        client = await self._client()
        await ensure_relay(client, self.temporal, self.outbox)
        self._relay_started = True
        handle = client.get_workflow_handle(self.outbox.workflow_id)
        alive = {str(worker.pid) for worker in self._workers}
        deadline = time.monotonic() + LANES_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            described = await handle.describe()
            running = [
                activity.last_worker_identity.partition("@")[0]
                for activity in described.raw_description.pending_activities
                if activity.activity_type.name == RELAY_EVENTS
                and activity.state == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
            ]
            if len(running) == self.outbox.lanes and set(running) <= alive:
                return len(set(running))
            await asyncio.sleep(LANES_POLL_SECONDS)
        raise TimeoutError(
            f"the relay's lanes did not start on the workers in {LANES_TIMEOUT_SECONDS:g} s"
        )

    async def _terminate(self) -> None:
        client = await self._client()
        await client.get_workflow_handle(self.outbox.workflow_id).terminate("bench finished")
