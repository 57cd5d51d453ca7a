"""`strata worker`: the Temporal worker (retention, the outbox relay), optionally with metrics."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

import typer

from app.settings import MetricsSettings, OutboxSettings, TemporalSettings
from app.worker import run_worker


def worker(
    metrics_port: Annotated[
        int | None,
        typer.Option(
            "--metrics-port",
            min=1,
            max=65_535,
            help="Serve Prometheus metrics (the Temporal SDK's and Strata's gauges) on this "
            "port; overrides STRATA_METRICS_PORT.",
        ),
    ] = None,
) -> None:
    """Run retention, onboarding and the outbox relay until SIGINT/SIGTERM (settings from env)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    metrics = MetricsSettings()
    if metrics_port is not None:
        metrics = metrics.model_copy(update={"port": metrics_port})
    asyncio.run(run_worker(TemporalSettings(), metrics, OutboxSettings()))
