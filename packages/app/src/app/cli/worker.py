"""`strata worker`: the Temporal worker that runs retention pruning."""

from __future__ import annotations

import asyncio
import logging

from app.settings import TemporalSettings
from app.worker import run_worker


def worker() -> None:
    """Poll the retention task queue until SIGINT/SIGTERM (address, namespace, queue from env)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    asyncio.run(run_worker(TemporalSettings()))
